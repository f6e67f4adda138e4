import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/logger";

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) }, "info");
  return { logger, lines, last: () => JSON.parse(lines.at(-1)!) as Record<string, unknown> };
}

describe("log redaction", () => {
  it("removes emails, tokens and keys at any depth, in keys, values, messages and errors", () => {
    const { logger, last, lines } = capture();
    const apiKey = `pk_live_${"a".repeat(12)}_${"b".repeat(48)}`;
    const cause = new Error(`bank said no to ivan.petrov@example.ru using ${apiKey}`);
    logger.warn(
      {
        request: { headers: { authorization: `Bearer ${"x".repeat(40)}`, "x-api-key": apiKey }, body: { deep: { deeper: [{ linkToken: "tok_123456", recipientEmail: "a@b.ru", cardToken: "ct_1" }] } } },
        operator: { email: "Admin@Portal.test", passwordHash: "scrypt$1$2$3$salt$hash" },
        note: "see https://portal.test/p/AbCdEfGhIjKlMnOpQrStUv and write to boss@corp.example.com",
        session: { number_hash: "9a8a" + "0".repeat(60), publicToken: "pt_1", privateKey: "-----BEGIN", secret: "s" },
        err: cause,
        amount: 12345,
        hasSignature: true,
      },
      `refused for payee@example.org`,
    );
    const line = lines.at(-1)!;
    for (const secret of ["ivan.petrov@example.ru", apiKey, "x".repeat(40), "tok_123456", "a@b.ru", "ct_1", "Admin@Portal.test", "scrypt$1", "AbCdEfGhIjKlMnOpQrStUv", "boss@corp", "9a8a000", "pt_1", "BEGIN", "payee@example.org"]) {
      expect(line, secret).not.toContain(secret);
    }
    const entry = last();
    expect(entry).toMatchObject({ level: 40, msg: "refused for [email]", amount: 12345, hasSignature: true });
    expect(entry.request).toMatchObject({ headers: { authorization: "[redacted]", "x-api-key": "[redacted]" } });
    expect((entry.err as { message: string }).message).toBe("bank said no to [email] using [redacted]");
    expect(entry.note).toBe("see https://portal.test/p/[redacted] and write to [email]");
  });

  it("leaves ordinary fields alone", () => {
    const { logger, last } = capture();
    logger.info({ payoutRequestId: "0190f0f0-0000-7000-8000-000000000000", effect: "transition:submitted→awaiting_approval", dedupeKey: "d".repeat(64) }, "bank131 webhook stored");
    expect(last()).toMatchObject({ msg: "bank131 webhook stored", effect: "transition:submitted→awaiting_approval", dedupeKey: "d".repeat(64), service: "portal" });
  });
});
