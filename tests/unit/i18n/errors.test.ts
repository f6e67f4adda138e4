import { describe, expect, it } from "vitest";
import { HTTP_ERROR_CODES, PAYOUT_ERROR_STATUS } from "@/lib/http/errors";
import { CLIENT_ERROR_CODES, errorMessage, fieldErrorMessage, hasWording, zodErrorMap } from "@/lib/i18n/errors";
import { APPROVAL_RULE_NAMES } from "@/lib/payouts/rules";
import { CreatePayoutRequestSchema, PURPOSE_MIN_LENGTH } from "@/lib/payouts/schemas";

const CYRILLIC = /[А-Яа-яЁё]/u;
// Every code an answer can carry: the domain's (the status table has one row per PayoutErrorCode), the HTTP edge's, the browser's own.
const ALL_CODES = [...Object.keys(PAYOUT_ERROR_STATUS), ...HTTP_ERROR_CODES, ...CLIENT_ERROR_CODES];

describe("the RU/EN error catalogue", () => {
  it.each(ALL_CODES)("words %s in Russian and in English", (code) => {
    expect(hasWording(code)).toBe(true);
    const ru = errorMessage({ code }, "ru");
    const en = errorMessage({ code }, "en");
    expect(ru).toMatch(CYRILLIC);
    expect(en).not.toMatch(CYRILLIC);
    expect(en).not.toBe(ru);
    for (const audience of ["operator", "recipient"] as const) {
      expect(errorMessage({ code }, "ru", audience)).toMatch(CYRILLIC);
      expect(errorMessage({ code }, "en", audience)).not.toMatch(CYRILLIC);
    }
  });

  it.each(APPROVAL_RULE_NAMES)("words the approval rule %s from its params, money with the ru-RU formatter", (rule) => {
    const params = { rule, bankAmount: 1_250_050, requestAmount: 100_000, bankCurrency: "usd", requestCurrency: "rub" };
    const ru = errorMessage({ code: "approval_rule", params }, "ru");
    const en = errorMessage({ code: "approval_rule", params }, "en");
    expect(ru).toMatch(/^Правила согласования не позволяют подтвердить выплату: /);
    expect(en).not.toMatch(CYRILLIC);
    expect(ru).not.toMatch(/выплата не прошла проверку/);
    if (rule === "amount_mismatch" || rule === "escrow_amount_mismatch") {
      expect(ru).toMatch(/12\s500,50\s₽/);
      expect(ru).toMatch(/1\s000,00\s₽/);
    }
  });

  it("words a bank refusal with the bank vocabulary", () => {
    expect(errorMessage({ code: "bank_rejected", params: { bankCode: "insufficient_wallet_balance" } }, "ru")).toBe(
      "Банк не принял операцию: Недостаточно средств на балансе партнёра в банке для выплаты.",
    );
    expect(errorMessage({ code: "bank_rejected", params: { bankCode: "new_code" } }, "en")).toContain("new_code");
  });

  it("never shows an unknown code's message: it reads as an internal error", () => {
    expect(errorMessage({ code: "something_new" }, "ru")).toBe(errorMessage({ code: "internal_error" }, "ru"));
  });

  it("words a field refusal from its params: the amount limit as money, lengths as numbers", () => {
    expect(fieldErrorMessage({ code: "validation", field: "amountKopecks", params: { issue: "too_big", maximum: 10_000 } })).toMatch(
      /^Сумма больше допустимой: не более 100,00\s₽\.$/,
    );
    expect(fieldErrorMessage({ code: "invalid_request", field: "reason", params: { issue: "too_small", minimum: 3 } })).toBe("Нужно не меньше 3 символов.");
    expect(fieldErrorMessage({ code: "invalid_request", field: "x", params: { issue: "too_big", maximum: 500 } }, "en")).toBe("At most 500 characters.");
  });

  it("is a Russian zod error map for the domain schema: limits come from the schema, rules from params", () => {
    const parsed = CreatePayoutRequestSchema.safeParse(
      { amountKopecks: 100, recipientName: "Иванов Иван", purpose: "ab", method: "bank_account", sourceAccount: "escrow", recipientEmail: "ivan@" },
      { error: zodErrorMap("ru") },
    );
    const byPath = Object.fromEntries((parsed.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
    expect(byPath.purpose).toBe(`Нужно не меньше ${PURPOSE_MIN_LENGTH} символов.`);
    expect(byPath.recipientEmail).toMatch(/^Введите email целиком/);
    // Cross-field rules run although other fields are broken.
    expect(byPath.beneficiaryInn).toBe("Для выплаты с номинального счёта укажите ИНН бенефициара.");
    expect(byPath.method).toMatch(/^С номинального счёта выплачивают только на карту/);
  });
});
