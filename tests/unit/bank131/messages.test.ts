import { describe, expect, it } from "vitest";
import { Bank131ApiError, Bank131NetworkError, Bank131ProtocolError, isBank131Error } from "@/lib/bank131/errors";
import { KNOWN_ERROR_CODES, describeBankError, isKnownErrorCode } from "@/lib/bank131/messages";

// Every code listed in api-reference §5.
const DOCUMENTED = [
  "identification_error", "authentication_error", "authorization_error", "invalid_request", "internal_error",
  "idempotency_key_already_exists", "session_wrong_state", "session_cancelled", "session_cancelled_by_partner",
  "3DS_error", "account_not_found", "activity_count_exceeded", "amount_less_allowed_provider", "bank_card_expired",
  "binding_is_deactivated", "capture_timeout", "card_number_does_not_exist", "confirm_timeout",
  "declined_by_issuer_bank", "not_permitted_by_issuer_bank", "insufficient_funds", "insufficient_wallet_balance",
  "refund_amount_too_large", "operation_rejected", "provider_internal_error", "provider_issuer_unavailable",
  "provider_foreign_transfer_prohibited", "provider_exceeds_amount_limit", "provider_timeout",
  "npd_service_internal_error", "wallet_internal_error", "routing_internal_error", "taxpayer_unknown",
  "taxpayer_not_bound", "taxpayer_already_bound", "taxpayer_income_exceeds_amount_limit",
];

describe("describeBankError", () => {
  it("has a Russian and an English sentence for every documented code", () => {
    expect([...KNOWN_ERROR_CODES].sort()).toEqual([...DOCUMENTED].sort());
    for (const code of DOCUMENTED) {
      const ru = describeBankError(code, "ru");
      const en = describeBankError(code, "en");
      expect(isKnownErrorCode(code)).toBe(true);
      expect(ru).toMatch(/[а-яё]/i);
      expect(en).toMatch(/^[\x20-\x7e—«»]+$/);
      expect(ru).not.toContain(code);
    }
  });

  it("falls back to a generic sentence naming a sanitised code", () => {
    expect(describeBankError("brand_new_code", "en")).toBe("The Bank rejected the operation. Error code: brand_new_code.");
    expect(describeBankError("brand_new_code", "ru")).toContain("brand_new_code");
    expect(describeBankError("<script>", "en")).not.toContain("<");
    expect(describeBankError("toString", "en")).toContain("toString");
    expect(describeBankError("declined_by_issuer_bank")).toBe("Банк получателя отклонил операцию.");
  });
});

describe("error classes", () => {
  it("retriability", () => {
    expect(new Bank131ApiError({ code: "insufficient_funds", httpStatus: 400 }).isRetriable).toBe(false);
    expect(new Bank131ApiError({ code: "internal_error", httpStatus: 500 }).isRetriable).toBe(true);
    expect(new Bank131NetworkError("x", { timedOut: true }).isRetriable).toBe(true);
    expect(new Bank131ProtocolError("x", { httpStatus: 200 }).isRetriable).toBe(false);
    expect(new Bank131ProtocolError("x", { httpStatus: 503 }).isRetriable).toBe(true);
    expect(isBank131Error(new Bank131ProtocolError("x"))).toBe(true);
    expect(isBank131Error(new Error("x"))).toBe(false);
  });

  it("message carries code and description", () => {
    const e = new Bank131ApiError({ code: "invalid_request", description: "session_id: is required", httpStatus: 400 });
    expect(e.message).toBe("Bank 131 error invalid_request: session_id: is required (HTTP 400)");
    expect(e.name).toBe("Bank131ApiError");
    expect(e.rejectReasons).toEqual([]);
  });
});
