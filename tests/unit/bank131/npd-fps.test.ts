import { describe, expect, it } from "vitest";
import { createBank131Client, interpretResponse } from "@/lib/bank131/client";
import { Bank131ProtocolError } from "@/lib/bank131/errors";
import { FiscalizationDetailsRequestSchema, SessionResponseSchema, validateRequest } from "@/lib/bank131/schemas";
import { verifyBody } from "@/lib/bank131/signature";
import { sdkPrivateKey, sdkPublicKey } from "./helpers";

/** Self-employed (НПД) and SBP parts of lib/bank131: request rules, answers with receipts, the GET method. */

const taxpayer = {
  tax_reference: "123456789012",
  payer_type: "legal",
  payer_tax_number: "3316004777",
  payer_name: "OOO Vector",
  services: [{ name: "Goods delivery", amount_details: { amount: 5000, currency: "rub" }, quantity: 2 }],
};
const sbp = (fps: Record<string, unknown>) => ({
  type: "bank_account",
  bank_account: { system_type: "faster_payment_system", faster_payment_system: { phone: "79680000000", bank_id: "100000000069", ...fps } },
});
const initBody = (version: 1 | 2, pit: Record<string, unknown> = taxpayer, fps: Record<string, unknown> = {}) => ({
  [version === 1 ? "payment_method" : "payout_details"]: sbp(fps),
  amount_details: { amount: 10_000, currency: "rub" },
  participant_details: { recipient: { full_name: "Иванов Иван" } },
  fiscalization_details: { professional_income_taxpayer: pit },
});

describe.each([1, 2] as const)("session/init/payout/fiscalization, v%i spelling", (version) => {
  const field = version === 1 ? "payment_method" : "payout_details";
  const pit = "fiscalization_details.professional_income_taxpayer";
  const check = (body: unknown) => validateRequest("session/init/payout/fiscalization", version, body);

  it("accepts the docs example and outputs canonical names", () => {
    const result = check(initBody(version));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.data.payout_details.type).toBe("bank_account");
  });

  it.each([
    ["an 11-digit INN", { ...taxpayer, tax_reference: "12345678901" }, `${pit}.tax_reference: must be a 12-digit INN`],
    ["a 10-digit (company) INN as the taxpayer", { ...taxpayer, tax_reference: "3316004777" }, `${pit}.tax_reference: must be a 12-digit INN`],
    ["legal without payer_tax_number", { ...taxpayer, payer_tax_number: undefined }, `${pit}.payer_tax_number: is required when payer_type is legal`],
    ["a payer INN of 11 digits", { ...taxpayer, payer_tax_number: "12345678901" }, `${pit}.payer_tax_number: must be 10 or 12 digits`],
    ["payer type company", { ...taxpayer, payer_type: "company" }, `${pit}.payer_type: must be one of legal, individual, foreign`],
    ["no services", { ...taxpayer, services: [] }, `${pit}.services: must list at least one service`],
    ["7 services", { ...taxpayer, services: Array.from({ length: 7 }, () => taxpayer.services[0]) }, `${pit}.services: must list at most 6 services`],
    ["a fractional quantity", { ...taxpayer, services: [{ ...taxpayer.services[0], quantity: 1.5 }] }, `${pit}.services.0.quantity: must be a positive integer`],
  ])("rejects %s", (_name, details, description) => {
    expect(check(initBody(version, details))).toEqual({ ok: false, description });
  });

  it("lets individual and foreign payers go without an INN", () => {
    expect(check(initBody(version, { ...taxpayer, payer_type: "individual", payer_tax_number: undefined })).ok).toBe(true);
    expect(check(initBody(version, { ...taxpayer, payer_type: "foreign", payer_tax_number: undefined })).ok).toBe(true);
  });

  it("requires the fiscalization details and the recipient's name", () => {
    const { fiscalization_details: _f, ...noFiscal } = initBody(version);
    expect(check(noFiscal)).toEqual({ ok: false, description: "fiscalization_details: is required" });
    expect(check({ ...initBody(version), participant_details: { recipient: {} } })).toEqual({ ok: false, description: "participant_details.recipient.full_name: is required" });
  });

  it.each([
    ["phone with 8", { phone: "89680000000" }, `${field}.bank_account.faster_payment_system.phone: must be 7XXXXXXXXXX`],
    ["phone with +", { phone: "+79680000000" }, `${field}.bank_account.faster_payment_system.phone: must be 7XXXXXXXXXX`],
    ["description of 141 characters", { description: "x".repeat(141) }, `${field}.bank_account.faster_payment_system.description: must be at most 140 characters`],
    ["bank_id with letters", { bank_id: "sber" }, `${field}.bank_account.faster_payment_system.bank_id: must be an SBP bank id (digits, from fps/banks)`],
  ])("SBP instrument: rejects %s", (_name, fps, description) => {
    expect(check(initBody(version, taxpayer, fps))).toEqual({ ok: false, description });
  });

  it("SBP instrument: accepts a description of exactly 140 characters", () => {
    expect(check(initBody(version, taxpayer, { description: "я".repeat(140) })).ok).toBe(true);
  });
});

describe("fiscalization details in answers", () => {
  it("a receipt sent in a request is dropped (it exists only in answers)", () => {
    const parsed = FiscalizationDetailsRequestSchema.parse({ professional_income_taxpayer: { ...taxpayer, receipt: { id: "x", link: "y" } } });
    expect(parsed.professional_income_taxpayer).not.toHaveProperty("receipt");
  });

  it("session answers keep receipt {id, link} in either spelling", () => {
    const receipt = { id: "200egl7bkk", link: "https://lknpd.nalog.ru/api/v1/receipt/123456789012/200egl7bkk/print" };
    const payout = { id: "po_1", status: "succeeded", created_at: "2026-01-01T00:00:00Z", fiscalization_details: { professional_income_taxpayer: { ...taxpayer, receipt } } };
    for (const session of [{ payments: [payout] }, { payout_list: [payout] }]) {
      const parsed = SessionResponseSchema.parse({ status: "ok", session: { id: "ps_1", status: "accepted", created_at: "x", updated_at: "x", ...session } });
      expect(parsed.session.payout_list?.[0]?.fiscalization_details?.professional_income_taxpayer?.receipt).toEqual(receipt);
    }
  });
});

describe("npd and fps answers", () => {
  it("npd methods accept pending as a success answer", () => {
    expect(interpretResponse("npd/check", 200, JSON.stringify({ status: "pending", request_id: "r1" }))).toEqual({ status: "pending", request_id: "r1" });
    expect(interpretResponse("npd/request/status", 200, JSON.stringify({ status: "ok", is_professional_income_taxpayer: true, is_linked: false }))).toMatchObject({
      is_linked: false,
    });
    // "ok" without the answer is not an answer.
    expect(() => interpretResponse("npd/request/status", 200, JSON.stringify({ status: "ok" }))).toThrow(Bank131ProtocolError);
    // Other methods still insist on "ok".
    expect(() => interpretResponse("session/status", 200, JSON.stringify({ status: "pending" }))).toThrow(Bank131ProtocolError);
  });

  it("fps/banks is answered with or without status", () => {
    const banks = [{ id: "100000000069", eng_name: "Bank", ru_name: "Банк" }];
    expect(interpretResponse("fps/banks", 200, JSON.stringify({ banks })).banks).toEqual(banks);
    expect(interpretResponse("fps/banks", 200, JSON.stringify({ status: "ok", banks })).banks).toEqual(banks);
  });

  it("fps/banks goes out as a signed GET without a body, under the client's version", () => {
    const client = createBank131Client({ baseUrl: "http://127.0.0.1:1", project: "p", privateKey: sdkPrivateKey, apiVersion: 2 });
    const req = client.prepare("fps/banks", {});
    expect(req).toMatchObject({ httpMethod: "GET", url: "http://127.0.0.1:1/api/v2/fps/banks", body: "" });
    expect(req.headers).not.toHaveProperty("content-type");
    expect(verifyBody("", req.headers["x-partner-sign"] ?? "", sdkPublicKey)).toBe(true);
    expect(client.prepare("npd/check", { tax_reference: "123456789012" }).url).toBe("http://127.0.0.1:1/api/v1/npd/check");
    expect(client.prepare("fps/customer_verification", {
      payout_details: { type: "bank_account", bank_account: { system_type: "faster_payment_system_verification", faster_payment_system_verification: { phone: "79261234567", bank_id: "100000000069" } } },
      participant_details: { recipient: { first_name: "Ivan", last_name: "Ivanov" } },
    }, { apiVersion: 1 }).body).toContain('"payment_method"');
  });
});
