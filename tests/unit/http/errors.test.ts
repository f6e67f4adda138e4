import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Bank131ApiError, Bank131NetworkError, Bank131ProtocolError, Bank131ValidationError } from "@/lib/bank131/errors";
import { HttpError, INTERNAL_ERROR_MESSAGE, PARTNER_INTERNAL_ERROR_MESSAGE, forbidden, payloadTooLarge, toErrorAnswer } from "@/lib/http/errors";
import { PayoutError } from "@/lib/payouts/errors";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";

describe("toErrorAnswer: the one mapper from any error to the contract's answer", () => {
  it("keeps an HttpError's status, code, field and params", () => {
    expect(toErrorAnswer(new HttpError(400, "invalid_request", "cursor: is not a valid cursor", "cursor"))).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_request", message: "cursor: is not a valid cursor", field: "cursor" } },
      unexpected: false,
    });
    expect(toErrorAnswer(forbidden()).body.error).toEqual({ code: "forbidden", message: "Your role does not allow this action", params: { reason: "role" } });
    expect(toErrorAnswer(payloadTooLarge(1024))).toMatchObject({ status: 413, body: { error: { code: "payload_too_large", params: { limit: 1024 } } } });
  });

  it("gives a 429 that says how long to wait a Retry-After header, and other answers none", () => {
    const limited = toErrorAnswer(new PayoutError("rate_limited", "Too many requests; try again in 42 s", { params: { retryAfterSeconds: 42 } }));
    expect(limited).toMatchObject({ status: 429, headers: { "retry-after": "42" }, body: { error: { code: "rate_limited", params: { retryAfterSeconds: 42 } } } });
    expect(toErrorAnswer(new PayoutError("not_found", "nope")).headers).toEqual({});
  });

  it.each([
    [new PayoutError("not_found", "Payout request not found"), 404],
    [new PayoutError("link_expired", "expired"), 410],
    [new PayoutError("link_used", "used", { params: { status: "paid" } }), 409],
    [new PayoutError("invalid_state", "moved on", { params: { status: "paid" } }), 409],
    [new PayoutError("approval_rule", "amounts differ", { params: { rule: "amount_mismatch", bankAmount: 100, requestAmount: 200 } }), 403],
    [new PayoutError("validation", "amountKopecks: too much", { field: "amountKopecks", params: { issue: "too_big", maximum: 500 } }), 400],
    [new PayoutError("bank_rejected", "refused", { params: { bankCode: "insufficient_funds" } }), 502],
  ])("maps a domain refusal %# with its code, field and params", (error, status) => {
    const answer = toErrorAnswer(error);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toEqual({
      code: error.code,
      message: error.message,
      ...(error.details.field ? { field: error.details.field } : {}),
      ...(error.details.params ? { params: error.details.params } : {}),
    });
  });

  it("answers a zod error with 400 naming the field and the broken limit", () => {
    const parsed = CreatePayoutRequestSchema.safeParse({ amountKopecks: 100, recipientName: "Иванов Иван", purpose: "ab", method: "card_widget" });
    expect(parsed.success).toBe(false);
    const answer = toErrorAnswer(parsed.error);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "invalid_request", field: "purpose", params: { issue: "too_small", minimum: 3 } });
    expect(answer.body.error.message).toMatch(/^purpose: /);
  });

  it("names a cross-field rule in params and keeps the English sentence for API readers", () => {
    const parsed = CreatePayoutRequestSchema.safeParse({ amountKopecks: 100, recipientName: "Иванов Иван", purpose: "Выплата", method: "card_saved" });
    const answer = toErrorAnswer(parsed.error);
    expect(answer.body.error).toMatchObject({
      code: "invalid_request",
      field: "savedInstrument",
      message: "savedInstrument: a saved card hash or card token is required",
      params: { issue: "custom", rule: "saved_card_required" },
    });
  });

  it("answers a Bank 131 api error with 502 bank_rejected and the bank's code", () => {
    const answer = toErrorAnswer(new Bank131ApiError({ code: "insufficient_wallet_balance", description: "low", httpStatus: 400, method: "session/init/payout" }));
    expect(answer).toMatchObject({ status: 502, unexpected: true, body: { error: { code: "bank_rejected", params: { bankCode: "insufficient_wallet_balance" } } } });
  });

  it("answers a bank timeout or an unreadable answer with 504 bank_unavailable (outcome unknown), never 500", () => {
    const timeout = toErrorAnswer(new Bank131NetworkError("timed out", { timedOut: true, method: "session/confirm" }));
    expect(timeout).toMatchObject({ status: 504, body: { error: { code: "bank_unavailable", params: { timedOut: true } } } });
    expect(timeout.body.error.message).toMatch(/outcome is unknown/);
    const refused = toErrorAnswer(new Bank131NetworkError("refused", { timedOut: false, code: "ECONNREFUSED" }));
    expect(refused).toMatchObject({ status: 504, body: { error: { code: "bank_unavailable", params: { timedOut: false } } } });
    expect(toErrorAnswer(new Bank131ProtocolError("garbled", { httpStatus: 502 })).status).toBe(504);
  });

  it("answers anything else with 500 and a message that promises nothing", () => {
    for (const error of [new Error("boom"), new Bank131ValidationError("amount: bad"), "a string", undefined]) {
      const answer = toErrorAnswer(error);
      expect(answer).toMatchObject({ status: 500, unexpected: true, body: { error: { code: "internal_error", message: INTERNAL_ERROR_MESSAGE } } });
      expect(answer.body.error.message).toContain("may or may not have taken effect");
      expect(answer.body.error.message).not.toMatch(/nothing was changed/i);
      expect(JSON.stringify(answer.body)).not.toContain("boom");
    }
    expect(toErrorAnswer(new Error("boom"), { internalMessage: PARTNER_INTERNAL_ERROR_MESSAGE }).body.error.message).toContain("same Idempotency-Key");
  });

  it("never throws, even for a zod error without issues", () => {
    expect(toErrorAnswer(new z.ZodError([]))).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
  });
});
