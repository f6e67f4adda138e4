import { describe, expect, it } from "vitest";
import {
  BANK131_METHODS,
  METHOD_SPECS,
  METHOD_VERSIONS,
  PaymentSessionSchema,
  PayoutSchema,
  SessionResponseSchema,
  WebhookSchema,
  describeZodError,
  isBank131Method,
  methodPath,
  parseMethodPath,
  requestSchemaFor,
  validateRequest,
  type Bank131Method,
} from "@/lib/bank131/schemas";
import { requestToWire, responseToWire, webhookToWire } from "@/lib/bank131/wire";
import { clone, loadExamples } from "./helpers";

const examples = loadExamples();

/** Deep search for a key anywhere in a JSON value. */
function hasKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKey(v, key));
  if (value && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => k === key || hasKey(v, key));
  }
  return false;
}

describe("seed examples parse in both spellings", () => {
  it("has fixtures for every kind", () => {
    expect(examples.filter((e) => e.kind === "request").length).toBeGreaterThanOrEqual(15);
    expect(examples.filter((e) => e.kind === "response").length).toBeGreaterThanOrEqual(8);
    expect(examples.filter((e) => e.kind === "webhook").length).toBeGreaterThanOrEqual(5);
  });

  for (const ex of examples.filter((e) => e.kind === "request")) {
    it(`request ${ex.file}`, () => {
      const method = ex.method as Bank131Method;
      const v1 = requestSchemaFor(method, 1).safeParse(ex.body);
      expect(v1.success, v1.success ? "" : describeZodError(v1.error)).toBe(true);
      if (!METHOD_VERSIONS[method].includes(2)) return;
      // The v2 spelling of the same body validates to the same canonical object.
      const canonical = v1.data as Record<string, unknown>;
      const v2 = requestSchemaFor(method, 2).safeParse(requestToWire(canonical, 2));
      expect(v2.success).toBe(true);
      expect(v2.data).toEqual(canonical);
      expect(hasKey(canonical, "payment_method")).toBe(false);
    });
  }

  for (const ex of examples.filter((e) => e.kind === "response")) {
    it(`response ${ex.file}`, () => {
      const schema = METHOD_SPECS[ex.method as Bank131Method].response;
      const fromV1 = schema.safeParse(ex.body);
      expect(fromV1.success, fromV1.success ? "" : describeZodError(fromV1.error)).toBe(true);
      for (const legacy of ["payments", "acquiring_payments", "payment_method"]) {
        expect(hasKey(fromV1.data, legacy)).toBe(false);
      }
      const fromV2 = schema.safeParse(responseToWire(fromV1.data, 2));
      expect(fromV2.data).toEqual(fromV1.data);
      // Converting the canonical result back to v1 and parsing again is stable.
      expect(schema.parse(responseToWire(fromV1.data, 1))).toEqual(fromV1.data);
    });
  }

  for (const ex of examples.filter((e) => e.kind === "webhook")) {
    it(`webhook ${ex.file}`, () => {
      const parsed = WebhookSchema.safeParse(ex.body);
      expect(parsed.success, parsed.success ? "" : describeZodError(parsed.error)).toBe(true);
      const hook = parsed.data!;
      expect(hook.known).toBe(true);
      if (!hook.known) return;
      expect(hook.session.payout_list?.length).toBeGreaterThan(0);
      expect(hasKey(hook, "payments")).toBe(false);
      expect(WebhookSchema.parse(webhookToWire(hook, 2))).toEqual(hook);
    });
  }
});

describe("canonical shape details", () => {
  const escrow = examples.find((e) => e.file === "seed4-ready-to-confirm-escrow.webhook.json")!;

  it("escrow webhook: payout without amount, internal transfer in payment_list, confirm_information canonical", () => {
    const hook = WebhookSchema.parse(escrow.body);
    if (!hook.known) throw new Error("expected known");
    expect(hook.session.next_action).toBe("confirm");
    expect(hook.session.payout_list?.[0]?.amount_details).toBeUndefined();
    const pm = hook.session.payment_list?.[0];
    expect(pm?.id).toBe("pm_6933973");
    expect(pm?.amount_details).toEqual({ amount: 10000, currency: "rub" });
    expect(pm?.payment_details?.internal_transfer?.transfer_from_nominal_account?.card_mask).toBe("553691******8371");
    expect(hook.confirm_information?.transfer_details?.payout_details).toEqual({
      type: "card",
      card: { brand: "mastercard", last4: "8371", country_iso3: "RUS" },
    });
    expect(hasKey(hook.confirm_information, "payment_method")).toBe(false);
  });

  it("keeps unknown extra fields in responses", () => {
    const session = PaymentSessionSchema.parse({
      id: "ps_1",
      status: "accepted",
      created_at: "t",
      updated_at: "t",
      brand_new_field: { x: 1 },
      payout_list: [{ id: "po_1", status: "succeeded", created_at: "t", extra: true }],
    });
    expect(session.brand_new_field).toEqual({ x: 1 });
    expect(session.payout_list?.[0]?.extra).toBe(true);
  });

  it("prefers the v2 name when a payout carries both spellings", () => {
    const payout = PayoutSchema.parse({
      id: "po_1",
      status: "pending",
      created_at: "t",
      payment_method: { type: "card", card: { last4: "1111" } },
      payout_details: { type: "card", card: { last4: "2222" } },
    });
    expect(payout.payout_details).toEqual({ type: "card", card: { last4: "2222" } });
    expect("payment_method" in payout).toBe(false);
  });

  it("never keeps a full card number echoed in a response", () => {
    const payout = PayoutSchema.parse({
      id: "po_1",
      status: "pending",
      created_at: "t",
      payout_details: { type: "card", card: { type: "bank_card", bank_card: { number: "4242424242424242" } } },
    });
    expect(JSON.stringify(payout)).not.toContain("4242424242424242");
  });

  it("rejects unknown payout and session statuses", () => {
    expect(PayoutSchema.safeParse({ id: "po_1", status: "done", created_at: "t" }).success).toBe(false);
    const res = SessionResponseSchema.safeParse({
      status: "ok",
      session: { id: "ps_1", status: "finished", created_at: "t", updated_at: "t" },
    });
    expect(res.success).toBe(false);
    expect(describeZodError(res.error!)).toBe(
      "session.status: must be one of created, in_progress, accepted, cancelled, error",
    );
  });

  it("rejects fractional or non-positive amounts in responses", () => {
    for (const amount of [100.5, 0, -1, "100"]) {
      const r = PayoutSchema.safeParse({ id: "po_1", status: "pending", created_at: "t", amount_details: { amount, currency: "rub" } });
      expect(r.success).toBe(false);
    }
  });

  it("accepts unknown webhook types leniently and returns them raw", () => {
    const hook = WebhookSchema.parse({ type: "action_required", session: { anything: 1 } });
    expect(hook).toEqual({ known: false, type: "action_required", raw: { type: "action_required", session: { anything: 1 } } });
  });

  it("rejects a known webhook type with an invalid session", () => {
    const r = WebhookSchema.safeParse({ type: "payment_finished", session: { id: "ps_1" } });
    expect(r.success).toBe(false);
    expect(describeZodError(r.error!)).toBe("session.status: is required");
    expect(WebhookSchema.safeParse({ session: {} }).success).toBe(false);
  });
});

describe("request validation messages", () => {
  const card = { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: "ab".repeat(32) } } };
  const amount = { amount: 10000, currency: "rub" };

  const cases: [string, Bank131Method, 1 | 2, unknown, string][] = [
    ["fractional amount", "session/init/payout", 2, { payout_details: card, amount_details: { amount: 100.5, currency: "rub" } }, "amount_details.amount: must be a positive integer"],
    ["zero amount", "session/init/payout", 2, { payout_details: card, amount_details: { amount: 0, currency: "rub" } }, "amount_details.amount: must be a positive integer"],
    ["negative amount", "session/init/payout", 2, { payout_details: card, amount_details: { amount: -5, currency: "rub" } }, "amount_details.amount: must be a positive integer"],
    ["string amount", "session/init/payout", 2, { payout_details: card, amount_details: { amount: "100", currency: "rub" } }, "amount_details.amount: must be a positive integer"],
    ["unsafe amount", "session/init/payout", 2, { payout_details: card, amount_details: { amount: 2 ** 53, currency: "rub" } }, "amount_details.amount: must be a positive integer"],
    ["missing amount", "session/init/payout", 2, { payout_details: card }, "amount_details: is required"],
    ["missing instrument", "session/init/payout", 2, { amount_details: amount }, "payout_details: is required"],
    ["missing instrument v1", "session/init/payout", 1, { amount_details: amount }, "payment_method: is required"],
    ["v1 key on v2", "session/init/payout", 2, { payment_method: card, amount_details: amount }, "payment_method: is not accepted in API v2; use payout_details"],
    ["v2 key on v1", "session/init/payout", 1, { payout_details: card, amount_details: amount }, "payout_details: is not accepted in API v1; use payment_method"],
    ["v1 path spelling", "session/init/payout", 1, { payment_method: { type: "card", card: { type: "tokenized_card", tokenized_card: {} } }, amount_details: amount }, "payment_method.card.tokenized_card.token: is required"],
    ["unknown instrument", "session/init/payout", 2, { payout_details: { type: "crypto" }, amount_details: amount }, "payout_details.type: must be one of card, recurrent, bank_account, wallet"],
    ["bank account without requisites", "session/init/payout", 2, { payout_details: { type: "bank_account", bank_account: { system_type: "ru", ru: { full_name: "A", description: "B" } } }, amount_details: amount }, "payout_details.bank_account.ru.bik: is required unless token is given"],
    ["bank account token plus bik", "session/init/payout", 2, { payout_details: { type: "bank_account", bank_account: { system_type: "ru", ru: { token: "t", bik: "049205131", full_name: "A", description: "B" } } }, amount_details: amount }, "payout_details.bank_account.ru.token: cannot be combined with bik/account"],
    ["missing session id", "session/status", 2, {}, "session_id: is required"],
    ["empty session id", "session/confirm", 1, { session_id: "" }, "session_id: must not be empty"],
    ["body not an object", "session/status", 2, [1, 2], "request body must be a JSON object"],
    ["token without widget", "token", 1, {}, "tokenize_widget: at least one widget object is required"],
    ["tokenize bad bik", "tokenize", 1, { type: "bank_account_ru", bank_account_ru: { bik: "12", account: "40702810200000000025" } }, "bank_account_ru.bik: must be 9 digits"],
    ["escrow without beneficiary", "session/multi/start/payment/nominal", 2, { session_id: "ps_1", payout_details: card, amount_details: amount, payment_details: { type: "internal_transfer", internal_transfer: { type: "transfer_from_nominal_account", transfer_from_nominal_account: {} } }, participant_details: { sender: { full_name: "Vector LLC" } } }, "participant_details.sender.beneficiary_id: is required"],
    ["escrow wrong transfer type", "session/init/payout/nominal", 2, { payout_details: card, amount_details: amount, payment_details: { type: "internal_transfer", internal_transfer: { type: "transfer_from_bank_account", transfer_from_bank_account: {} } }, participant_details: { sender: { beneficiary_id: "1234567890" } } }, 'payment_details.internal_transfer.type: must be "transfer_from_nominal_account"'],
    ["v2 key in confirm_information on v1", "session/confirm", 1, { session_id: "ps_1", confirm_information: { transfer_details: { payout_details: card } } }, "confirm_information.transfer_details.payout_details: is not accepted in API v1; use payment_method"],
  ];
  for (const [name, method, version, body, expected] of cases) {
    it(name, () => {
      const result = validateRequest(method, version, body);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.description).toBe(expected);
    });
  }

  it("never echoes a card number in the description", () => {
    const pan = "4111111111111"; // 13 digits: invalid
    const result = validateRequest("session/init/payout", 2, {
      payout_details: { type: "card", card: { type: "bank_card", bank_card: { number: pan, security_code: "12345" } } },
      amount_details: amount,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.description).toBe("payout_details.card.bank_card.number: must be 14–19 digits");
      expect(result.description).not.toContain(pan);
    }
  });

  it("accepts a PCI DSS card payout and outputs canonical names", () => {
    const result = validateRequest("session/init/payout", 1, {
      payment_method: { type: "card", card: { type: "bank_card", bank_card: { number: "4242424242424242" } } },
      amount_details: { amount: 1, currency: "RUB" },
      participant_details: { recipient: { full_name: "Иванов Иван" } },
    });
    expect(result.ok).toBe(true);
    if (result.ok) expect(Object.keys(result.data)).toContain("payout_details");
  });

  it("accepts FPS and wallet instruments", () => {
    expect(validateRequest("session/init/payout", 2, {
      payout_details: { type: "bank_account", bank_account: { system_type: "faster_payment_system", faster_payment_system: { phone: "79001234567", bank_id: "100000000008", description: "p" } } },
      amount_details: amount,
    }).ok).toBe(true);
    expect(validateRequest("session/init/payout", 2, {
      payout_details: { type: "wallet", wallet: { type: "yoomoney", yoomoney: { account: "4100", description: "p" } } },
      amount_details: amount,
    }).ok).toBe(true);
    const noInner = validateRequest("session/init/payout", 2, { payout_details: { type: "wallet", wallet: { type: "yoomoney" } }, amount_details: amount });
    expect(noInner).toEqual({ ok: false, description: "payout_details.wallet.yoomoney: is required" });
  });

  it("does not mutate the input body", () => {
    const ex = examples.find((e) => e.file === "seed4-confirm-escrow.request.json")!;
    const before = clone(ex.body);
    requestSchemaFor("session/confirm", 1).parse(ex.body);
    expect(ex.body).toEqual(before);
  });
});

describe("method table", () => {
  it("lists the 21 methods with their versions", () => {
    expect(BANK131_METHODS).toHaveLength(21);
    for (const m of ["token", "tokenize", "token/info", "fiscalization", "npd/check", "npd/request/status"] as const) {
      expect(METHOD_VERSIONS[m]).toEqual([1]);
    }
    for (const m of ["fps/banks", "fps/customer_verification"] as const) expect(METHOD_VERSIONS[m]).toEqual([1, 2]);
    for (const m of BANK131_METHODS.filter((m) => m.startsWith("session/"))) expect(METHOD_VERSIONS[m]).toEqual([1, 2]);
  });

  it("builds and parses paths", () => {
    expect(methodPath("session/init/payout", 2)).toBe("/api/v2/session/init/payout");
    expect(parseMethodPath("/api/v1/token/info")).toEqual({ method: "token/info", version: 1 });
    expect(parseMethodPath("/prefix/api/v2/session/multi/start/payment/nominal?x=1")).toEqual({
      method: "session/multi/start/payment/nominal",
      version: 2,
    });
    expect(parseMethodPath("/api/v3/session/create")).toBeNull();
    expect(parseMethodPath("/api/v1/session/refund")).toBeNull();
    expect(isBank131Method("session/status")).toBe(true);
    expect(isBank131Method("wallet/balance")).toBe(false);
  });
});
