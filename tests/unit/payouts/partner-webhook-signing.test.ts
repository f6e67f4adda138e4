import { describe, expect, it } from "vitest";
import { retryDelayMs } from "@/lib/payouts/partner-webhooks/delivery";
import { deriveSecretsKey, newSigningSecret, openSecret, sealSecret, signatureHeader } from "@/lib/payouts/partner-webhooks/secrets";

describe("partner webhook signing", () => {
  it("matches the Standard Webhooks reference vector (v1, base64 HMAC-SHA256 over id.timestamp.body)", () => {
    const header = signatureHeader(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], "msg_p5jXN8AQM9LWM0D4loKWxJek", new Date(1_614_265_330_000), '{"test": 2432232314}');
    expect(header).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("carries one space-separated v1 entry per secret in force", () => {
    const header = signatureHeader([newSigningSecret(), newSigningSecret()], "msg_1", new Date(), "{}");
    expect(header).toMatch(/^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/);
  });

  it("keeps secrets encrypted at rest: sealed ≠ plain, opens only with the key it was sealed under", () => {
    const key = deriveSecretsKey("a".repeat(32));
    const secret = newSigningSecret();
    const sealed = sealSecret(key, secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret(key, sealed)).toBe(secret);
    expect(() => openSecret(deriveSecretsKey("b".repeat(32)), sealed)).toThrow();
    const tampered = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(() => openSecret(key, tampered)).toThrow();
  });
});

describe("partner webhook back-off", () => {
  const settings = { retryBaseMs: 5_000, retryMaxDelayMs: 3_600_000 };

  it("doubles from the base with ±20 % jitter and stops growing at the cap", () => {
    expect(retryDelayMs(1, settings, () => 0.5)).toBe(5_000);
    expect(retryDelayMs(4, settings, () => 0.5)).toBe(40_000);
    expect(retryDelayMs(1, settings, () => 0)).toBe(4_000);
    expect(retryDelayMs(1, settings, () => 0.999_999)).toBeLessThanOrEqual(6_000);
    expect(retryDelayMs(40, settings, () => 0.5)).toBe(3_600_000);
  });

  it("keeps retrying for at least 24 hours with the defaults (about 33 attempts, not thousands)", () => {
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 24 * 3_600_000) elapsed += retryDelayMs(++attempts, settings, () => 0.5);
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
  });
});
