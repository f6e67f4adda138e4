import { describe, expect, it } from "vitest";
import { randomBytes, scryptSync } from "node:crypto";
import { hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";

// Each hash costs 128 MiB and up to a second on a busy machine (OWASP parameters).
describe("operator passwords", { timeout: 30_000 }, () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/); // OWASP: N = 2^17, r = 8, p = 1
    expect(stored).not.toContain("correct horse");
    await expect(verifyPassword("correct horse battery staple", stored)).resolves.toBe(true);
    await expect(verifyPassword("correct horse battery stapl", stored)).resolves.toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("treats a malformed stored hash as a refusal, not a crash", async () => {
    await expect(verifyPassword("x", "plain-text-password")).resolves.toBe(false);
    await expect(verifyPassword("x", "")).resolves.toBe(false);
  });

  it("still verifies a hash made with the old parameters, and marks it for a rehash", async () => {
    const salt = randomBytes(16);
    const old = ["scrypt", 1 << 15, 8, 1, salt.toString("base64"), scryptSync("old password", salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString("base64")].join("$");
    await expect(verifyPassword("old password", old)).resolves.toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword("new password"))).toBe(false);
  });
});
