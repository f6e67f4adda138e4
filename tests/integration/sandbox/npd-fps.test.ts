import { describe, expect, test } from "vitest";
import { createBank131Client, type Bank131Client } from "@/lib/bank131/client";
import { Bank131ApiError } from "@/lib/bank131/errors";
import type { FiscalizationDetailsRequest, Payout } from "@/lib/bank131/schemas";
import { parseWebhook } from "@/lib/bank131/webhook";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { sessionWebhook, withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/**
 * Contract of the self-employed (НПД) and SBP methods: the portal's lib/bank131 client and raw signed
 * requests against the real sandbox process, in API v1 and v2, for every test INN and test phone.
 */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;

withSandboxSuite((suite) => ({ sandbox, receiver } = suite), { env: { SANDBOX_NPD_CHECK_DELAY_MS: "200" } });

const INN = {
  linked: "770713100139",
  notLinked: "770713100202",
  notSelfEmployed: "770713100386",
  pending: "770713100450",
  incomeLimit: "770713100523",
} as const;
const PHONE = { verified: "79000000001", unknown: "79000000002", nameMismatch: "79000000003" } as const;
const BANK_ID = "100000000069";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies edited into invalid shapes
type Body = Record<string, any>;

const client = (apiVersion: 1 | 2): Bank131Client =>
  createBank131Client({ baseUrl: sandbox.url, project: sandbox.project, privateKey: sandbox.keys.partnerPrivateKey, apiVersion });

const sbp = (phone: string, description = "Оплата по договору № 5015553111") => ({
  type: "bank_account" as const,
  bank_account: { system_type: "faster_payment_system" as const, faster_payment_system: { phone, bank_id: BANK_ID, description } },
});

const fiscal = (taxReference: string, amount: number): FiscalizationDetailsRequest => ({
  professional_income_taxpayer: {
    tax_reference: taxReference,
    payer_type: "legal",
    payer_tax_number: "3316004777",
    payer_name: "OOO Vector",
    services: [{ name: "Доставка товаров", amount_details: { amount: amount / 2, currency: "rub" }, quantity: 2 }],
  },
});

const recipient = { recipient: { full_name: "Иванов Иван Иванович" } };

async function finished(sessionId: string) {
  const w = await sessionWebhook(receiver, "payment_finished", sessionId);
  const parsed = parseWebhook(w.raw, w.signature, sandbox.keys.bankPublicKey);
  if (!parsed.known) throw new Error("payment_finished must be a known webhook");
  return { raw: w.json, session: parsed.session };
}

async function readyToConfirm(sessionId: string) {
  return sessionWebhook(receiver, "ready_to_confirm", sessionId);
}

/** npd/check, then npd/request/status until it is no longer pending. */
async function checkTaxpayer(c: Bank131Client, taxReference: string) {
  const check = await c.npdCheck({ tax_reference: taxReference });
  expect(check).toMatchObject({ status: "pending", request_id: expect.any(String) });
  let answer = await c.npdRequestStatus({ request_id: check.request_id });
  await expect
    .poll(async () => (answer = await c.npdRequestStatus({ request_id: check.request_id })).status, { timeout: 10_000, interval: 50 })
    .toBe("ok");
  return answer;
}

function receiptOf(payout: Payout | undefined) {
  return payout?.fiscalization_details?.professional_income_taxpayer?.receipt;
}

describe("self-employed check: npd/check → pending → ok", () => {
  test.each([
    ["linked", INN.linked, { is_professional_income_taxpayer: true, is_linked: true }],
    ["self-employed, not linked", INN.notLinked, { is_professional_income_taxpayer: true, is_linked: false }],
    ["not self-employed", INN.notSelfEmployed, { is_professional_income_taxpayer: false, is_linked: false }],
    ["income near the limit (still linked)", INN.incomeLimit, { is_professional_income_taxpayer: true, is_linked: true }],
    ["any other INN", "500100732259", { is_professional_income_taxpayer: true, is_linked: false }],
  ])("%s", async (_name, inn, flags) => {
    const answer = await checkTaxpayer(client(1), inn);
    expect(answer).toMatchObject({ status: "ok", ...flags });
  });

  test("the tax service never answers for the pending INN, while a check sent with it completes", async () => {
    const c = client(1);
    const stuck = await c.npdCheck({ tax_reference: INN.pending });
    await checkTaxpayer(c, INN.linked);
    expect(await c.npdRequestStatus({ request_id: stuck.request_id })).toMatchObject({ status: "pending", request_id: stuck.request_id });
  });

  test("client.checkSelfEmployed polls until ok, or returns the pending answer with its request_id at the timeout", async () => {
    const c = client(2);
    expect(await c.checkSelfEmployed(INN.linked, { intervalMs: 50, timeoutMs: 10_000 })).toMatchObject({ status: "ok", is_linked: true, request_id: expect.any(String) });
    const stuck = await c.checkSelfEmployed(INN.pending, { intervalMs: 50, timeoutMs: 300 });
    expect(stuck).toMatchObject({ status: "pending", request_id: expect.stringMatching(/^npd_/) });
    const stopped = new AbortController();
    const polling = c.checkSelfEmployed(INN.pending, { intervalMs: 60_000, timeoutMs: 120_000, signal: stopped.signal });
    stopped.abort(new Error("operator left"));
    await expect(polling).rejects.toThrow();
  });

  test("served under /api/v1 only; bad INN and unknown request are invalid_request", async () => {
    expect((await sandbox.api("npd/check", { tax_reference: INN.linked }, { version: 2 })).status).toBe(404);
    expect((await sandbox.api("npd/request/status", { request_id: "npd_1" }, { version: 2 })).status).toBe(404);
    const short = await sandbox.api("npd/check", { tax_reference: "77071310013" }, { version: 1 });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: "invalid_request", description: "tax_reference: must be a 12-digit INN" });
    await expect(client(1).npdRequestStatus({ request_id: "npd_999999" })).rejects.toMatchObject({ code: "invalid_request" });
    // The client refuses a bad INN before sending.
    await expect(client(1).npdCheck({ tax_reference: "12345" })).rejects.toThrow(/tax_reference: must be a 12-digit INN/);
  });
});

describe("linking widget", () => {
  const post = (path: string, body: unknown) =>
    fetch(sandbox.url + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      cors: r.headers.get("access-control-allow-origin"),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      body: (await r.json()) as any,
    }));

  test("script and stylesheet are served at their own URLs with the documented global", async () => {
    const script = await fetch(`${sandbox.url}/self-employed.js`);
    expect(script.headers.get("content-type")).toContain("javascript");
    const source = await script.text();
    expect(source).toContain("window.Bank131SelfEmployed = Bank131SelfEmployed");
    expect(source).toContain("STAGES = { bind:");
    expect(source).toContain("bank131-self-employed");
    expect((await fetch(`${sandbox.url}/self-employed.css`)).headers.get("content-type")).toContain("text/css");
  });

  test("token → send request → «Мой налог» confirms → npd/check reports is_linked; the fiscalized payout then succeeds", async () => {
    const c = client(1);
    const before = await checkTaxpayer(c, INN.notLinked);
    expect(before.is_linked).toBe(false);
    const tooEarly = await c.initPayoutFiscalization({
      payout_details: sbp(PHONE.verified),
      amount_details: { amount: 50_000, currency: "rub" },
      participant_details: recipient,
      fiscalization_details: fiscal(INN.notLinked, 50_000),
    });
    expect((await finished(tooEarly.session.id)).session.payout_list?.[0]?.error?.code).toBe("taxpayer_not_bound");

    const { public_token } = await c.token({ self_employed_widget: { tax_reference: INN.notLinked } });
    const sent = await post("/self-employed/v1/requests", { public_token, tax_reference_or_phone: INN.notLinked });
    expect(sent).toMatchObject({ status: 200, cors: "*", body: { status: "ok", state: "request_sent", tax_reference: INN.notLinked } });
    // Single use.
    expect((await post("/self-employed/v1/requests", { public_token, tax_reference_or_phone: INN.notLinked })).body.error.code).toBe("public_token_spent");
    expect((await post("/self-employed/v1/requests/status", { public_token })).body.state).toBe("request_sent");
    // Still not linked until the person answers.
    expect((await checkTaxpayer(c, INN.notLinked)).is_linked).toBe(false);

    // The person opens «Мой налог» (the sandbox's page) and allows Bank 131.
    const page = await fetch(`${sandbox.url}/npd/my-tax?tax_reference=${INN.notLinked}`).then((r) => r.text());
    expect(page).toContain("Разрешить");
    const decided = await fetch(`${sandbox.url}/npd/my-tax/decide`, {
      method: "POST",
      body: new URLSearchParams({ tax_reference: INN.notLinked, decision: "confirm" }),
      redirect: "manual",
    });
    expect(decided.status).toBe(303);

    expect((await post("/self-employed/v1/requests/status", { public_token })).body.state).toBe("confirmed");
    expect(await checkTaxpayer(c, INN.notLinked)).toMatchObject({ is_professional_income_taxpayer: true, is_linked: true });

    const started = await c.initPayoutFiscalization({
      payout_details: sbp(PHONE.verified),
      amount_details: { amount: 50_000, currency: "rub" },
      participant_details: recipient,
      fiscalization_details: fiscal(INN.notLinked, 50_000),
    });
    const id = started.session.id;
    await readyToConfirm(id);
    await c.confirm(id);
    const done = await finished(id);
    expect(done.session.payout_list?.[0]?.status).toBe("succeeded");
    expect(receiptOf(done.session.payout_list?.[0])).toMatchObject({ id: expect.any(String), link: expect.stringContaining(`/npd/receipts/${INN.notLinked}/`) });
  });

  test("a rejected request leaves the INN unlinked; a phone is accepted as the token's person", async () => {
    const inn = "500100732259";
    const { public_token } = await client(1).token({ self_employed_widget: { tax_reference: inn } });
    expect((await post("/self-employed/v1/requests", { public_token, tax_reference_or_phone: "+7 (900) 000-00-09" })).body.state).toBe("request_sent");
    await sandbox.control.post(`/sandbox/npd/bindings/${inn}/reject`);
    expect((await post("/self-employed/v1/requests/status", { public_token })).body.state).toBe("rejected");
    expect((await checkTaxpayer(client(1), inn)).is_linked).toBe(false);
  });

  test("refusals: not self-employed, pending tax service, wrong INN, card-widget token", async () => {
    const c = client(1);
    const notSe = await c.token({ self_employed_widget: { tax_reference: INN.notSelfEmployed } });
    expect((await post("/self-employed/v1/requests", { public_token: notSe.public_token, tax_reference_or_phone: INN.notSelfEmployed })).body.error.code).toBe("taxpayer_unknown");
    const pending = await c.token({ self_employed_widget: { tax_reference: INN.pending } });
    expect((await post("/self-employed/v1/requests", { public_token: pending.public_token, tax_reference_or_phone: INN.pending })).body.error.code).toBe(
      "npd_service_internal_error",
    );
    const other = await c.token({ self_employed_widget: { tax_reference: INN.linked } });
    const wrong = await post("/self-employed/v1/requests", { public_token: other.public_token, tax_reference_or_phone: INN.notLinked });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    const card = await c.token({ tokenize_widget: { access: true } });
    expect((await post("/self-employed/v1/requests", { public_token: card.public_token, tax_reference_or_phone: INN.linked })).status).toBe(403);
  });
});

describe.each([1, 2] as const)("payouts with fiscalization, API v%i", (version) => {
  const payoutsKey = version === 1 ? "payments" : "payout_list";
  const instrumentKey = version === 1 ? "payment_method" : "payout_details";

  test("session/init/payout/fiscalization: linked INN → receipt {id, link} in payment_finished and session/status, receipt page at the link", async () => {
    const c = client(version);
    const started = await c.initPayoutFiscalization(
      { payout_details: sbp(PHONE.verified), amount_details: { amount: 10_000, currency: "rub" }, participant_details: recipient, fiscalization_details: fiscal(INN.linked, 10_000) },
      { idempotencyKey: `fiscal-init-${version}` },
    );
    const id = started.session.id;
    expect(receiptOf(started.session.payout_list?.[0])).toBeUndefined();
    await readyToConfirm(id);
    await c.confirm(id);
    const done = await finished(id);
    // The webhook body is in the version's spelling and carries the receipt.
    const rawPayout = done.raw.session[payoutsKey][0];
    expect(rawPayout[instrumentKey].bank_account.system_type).toBe("faster_payment_system");
    expect(rawPayout.fiscalization_details.professional_income_taxpayer).toMatchObject({ tax_reference: INN.linked, receipt: { id: expect.any(String), link: expect.any(String) } });
    const receipt = receiptOf(done.session.payout_list?.[0]);
    const status = await c.status(id);
    expect(receiptOf(status.session.payout_list?.[0])).toEqual(receipt);

    const page = await fetch(receipt!.link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(INN.linked);
    expect(html).toContain("Доставка товаров");
    expect(html).toMatch(/100,00\s₽/);
  });

  test("session/create → session/start/payout/fiscalization", async () => {
    const c = client(version);
    const created = await c.sessionCreate({ metadata: "npd" });
    const id = created.session.id;
    await c.startPayoutFiscalization({
      session_id: id,
      payout_details: sbp(PHONE.verified),
      amount_details: { amount: 20_000, currency: "rub" },
      participant_details: recipient,
      fiscalization_details: fiscal(INN.linked, 20_000),
    });
    await readyToConfirm(id);
    await c.confirm(id);
    const done = await finished(id);
    expect(done.session.status).toBe("accepted");
    expect(receiptOf(done.session.payout_list?.[0])?.link).toContain(`/npd/receipts/${INN.linked}/`);
  });

  test.each([
    // Any INN outside the list is self-employed and not linked (the listed one is linked by the widget test).
    ["self-employed, not linked", "500100732267", "taxpayer_not_bound"],
    ["not self-employed", INN.notSelfEmployed, "taxpayer_unknown"],
    ["tax service pending", INN.pending, "npd_service_internal_error"],
    ["annual income would pass 2 400 000 ₽", INN.incomeLimit, "taxpayer_income_exceeds_amount_limit"],
  ])("%s → no ready_to_confirm, payout failed with %s", async (_name, inn, code) => {
    const amount = 1_000_002; // 10 000,02 ₽: over the limit INN's remaining 10 000 ₽
    const started = await client(version).initPayoutFiscalization({
      payout_details: sbp(PHONE.verified),
      amount_details: { amount, currency: "rub" },
      participant_details: recipient,
      fiscalization_details: fiscal(inn, amount),
    });
    const done = await finished(started.session.id);
    expect(done.session.status).toBe("cancelled");
    expect(done.session.payout_list?.[0]).toMatchObject({ status: "failed", error: { code } });
    expect(receiver.received.some((w) => w.json?.type === "ready_to_confirm" && w.json?.session?.id === started.session.id)).toBe(false);
  });

  test("the limit INN can still take a payout that fits under 2 400 000 ₽", async () => {
    const c = client(version);
    const started = await c.initPayoutFiscalization({
      payout_details: sbp(PHONE.verified),
      amount_details: { amount: 10_000, currency: "rub" },
      participant_details: recipient,
      fiscalization_details: fiscal(INN.incomeLimit, 10_000),
    });
    await readyToConfirm(started.session.id);
    await c.confirm(started.session.id);
    expect(receiptOf((await finished(started.session.id)).session.payout_list?.[0])).toBeDefined();
  });

  test.each([
    ["11-digit INN", (b: Body) => (b.fiscalization_details.professional_income_taxpayer.tax_reference = "77071310013"), "fiscalization_details.professional_income_taxpayer.tax_reference: must be a 12-digit INN"],
    ["legal payer without its INN", (b: Body) => delete b.fiscalization_details.professional_income_taxpayer.payer_tax_number, "fiscalization_details.professional_income_taxpayer.payer_tax_number: is required when payer_type is legal"],
    ["unknown payer type", (b: Body) => (b.fiscalization_details.professional_income_taxpayer.payer_type = "company"), "fiscalization_details.professional_income_taxpayer.payer_type: must be one of legal, individual, foreign"],
    [
      "7 services",
      (b: Body) => {
        b.fiscalization_details.professional_income_taxpayer.services = Array.from({ length: 7 }, () => ({ name: "x", amount_details: { amount: 1000, currency: "rub" }, quantity: 1 }));
        b.amount_details.amount = 7000;
      },
      "fiscalization_details.professional_income_taxpayer.services: must list at most 6 services",
    ],
    ["services not adding up to the amount", (b: Body) => (b.amount_details.amount = 10_100), "fiscalization_details.professional_income_taxpayer.services: amount × quantity must add up to amount_details.amount (10000 ≠ 10100)"],
    ["no recipient name", (b: Body) => (b.participant_details = { recipient: {} }), "participant_details.recipient.full_name: is required"],
    ["SBP phone not 7XXXXXXXXXX", (b: Body) => (b[instrumentKey].bank_account.faster_payment_system.phone = "89000000001"), `${instrumentKey}.bank_account.faster_payment_system.phone: must be 7XXXXXXXXXX`],
    ["SBP description over 140", (b: Body) => (b[instrumentKey].bank_account.faster_payment_system.description = "я".repeat(141)), `${instrumentKey}.bank_account.faster_payment_system.description: must be at most 140 characters`],
    ["unknown SBP bank", (b: Body) => (b[instrumentKey].bank_account.faster_payment_system.bank_id = "100000000999"), `${instrumentKey}.bank_account.faster_payment_system.bank_id: unknown SBP bank (see fps/banks)`],
  ])("invalid_request: %s", async (_name, change, description) => {
    const body: Body = {
      [instrumentKey]: sbp(PHONE.verified),
      amount_details: { amount: 10_000, currency: "rub" },
      participant_details: { recipient: { full_name: "Иванов Иван" } },
      fiscalization_details: fiscal(INN.linked, 10_000),
    };
    change(body);
    const res = await sandbox.api("session/init/payout/fiscalization", body, { version });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_request", description });
  });

  test("plain session/init/payout refuses fiscalization_details (no receipt would be made)", async () => {
    const res = await sandbox.api(
      "session/init/payout",
      { [instrumentKey]: sbp(PHONE.verified), amount_details: { amount: 10_000, currency: "rub" }, fiscalization_details: fiscal(INN.linked, 10_000) },
      { version },
    );
    expect(res.body.error).toEqual({ code: "invalid_request", description: "fiscalization_details: send it with session/init/payout/fiscalization" });
  });
});

describe("fiscalization (standalone, v1)", () => {
  test("registers the income of a finished payout and answers the receipt; only once", async () => {
    const c = client(2);
    const started = await c.initPayout({ payout_details: sbp(PHONE.verified), amount_details: { amount: 30_000, currency: "rub" }, participant_details: recipient });
    const id = started.session.id;
    await readyToConfirm(id);
    await c.confirm(id);
    expect(receiptOf((await finished(id)).session.payout_list?.[0])).toBeUndefined();

    const answer = await c.fiscalization({ session_id: id, fiscalization_details: fiscal(INN.linked, 30_000) });
    expect(c.versionFor("fiscalization")).toBe(1);
    const receipt = answer.fiscalization_details.professional_income_taxpayer?.receipt;
    expect(receipt).toMatchObject({ id: expect.any(String), link: expect.stringContaining(`/npd/receipts/${INN.linked}/`) });
    expect(receiptOf((await c.status(id)).session.payout_list?.[0])).toEqual(receipt);

    const again = c.fiscalization({ session_id: id, fiscalization_details: fiscal(INN.linked, 30_000) });
    await expect(again).rejects.toBeInstanceOf(Bank131ApiError);
    await expect(again).rejects.toMatchObject({ code: "session_wrong_state" });
    const notLinked = await c.initPayout({ payout_details: sbp(PHONE.verified), amount_details: { amount: 30_000, currency: "rub" } });
    await readyToConfirm(notLinked.session.id);
    await c.confirm(notLinked.session.id);
    await finished(notLinked.session.id);
    await expect(c.fiscalization({ session_id: notLinked.session.id, fiscalization_details: fiscal(INN.notSelfEmployed, 30_000) })).rejects.toMatchObject({ code: "taxpayer_unknown" });
  });
});

describe.each([1, 2] as const)("SBP, API v%i", (version) => {
  const instrumentKey = version === 1 ? "payment_method" : "payout_details";

  test("fps/banks is a signed GET listing bank_id values; POST is refused", async () => {
    const banks = await client(version).fpsBanks();
    expect(banks.banks).toContainEqual({ id: BANK_ID, eng_name: expect.any(String), ru_name: expect.any(String) });
    expect((await sandbox.api("fps/banks", {}, { version })).status).toBe(405);
    const unsigned = await sandbox.api("fps/banks", {}, { version, httpMethod: "GET", sign: null, rawBody: "" });
    expect(unsigned.body.error.code).toBe("authentication_error");
  });

  test.each([
    ["verified", PHONE.verified, "accepted", "succeeded", undefined],
    ["any other phone", "79161234567", "accepted", "succeeded", undefined],
    ["unknown phone", PHONE.unknown, "cancelled", "failed", "account_not_found"],
    ["name mismatch", PHONE.nameMismatch, "cancelled", "failed", "recipient_data_mismatch"],
  ])("fps/customer_verification, %s", async (_name, phone, sessionStatus, payoutStatus, code) => {
    const c = client(version);
    const started = await c.fpsCustomerVerification({
      payout_details: { type: "bank_account", bank_account: { system_type: "faster_payment_system_verification", faster_payment_system_verification: { phone, bank_id: BANK_ID } } },
      participant_details: { recipient: { first_name: "Ivan", last_name: "Ivanov", middle_name: "Ivanovich" } },
    });
    expect(started.session.status).toBe("in_progress");
    expect(started.session.payout_list?.[0]?.payout_details).toMatchObject({ bank_account: { faster_payment_system_verification: { phone } } });
    const done = await finished(started.session.id);
    expect(done.raw.session[version === 1 ? "payments" : "payout_list"][0][instrumentKey].bank_account.system_type).toBe("faster_payment_system_verification");
    expect(done.session.status).toBe(sessionStatus);
    expect(done.session.payout_list?.[0]?.status).toBe(payoutStatus);
    expect(done.session.payout_list?.[0]?.error?.code).toBe(code);
    expect((await c.status(started.session.id)).session.status).toBe(sessionStatus);
  });

  test("fps/customer_verification needs the recipient's name and a known bank", async () => {
    const instrument = { type: "bank_account", bank_account: { system_type: "faster_payment_system_verification", faster_payment_system_verification: { phone: PHONE.verified, bank_id: BANK_ID } } };
    const noName = await sandbox.api("fps/customer_verification", { [instrumentKey]: instrument, participant_details: { recipient: { first_name: "Ivan" } } }, { version });
    expect(noName.body.error.description).toBe("participant_details.recipient.last_name: first_name and last_name (or full_name) are required");
    instrument.bank_account.faster_payment_system_verification.bank_id = "1";
    const badBank = await sandbox.api("fps/customer_verification", { [instrumentKey]: instrument, participant_details: recipient }, { version });
    expect(badBank.body.error.description).toBe(`${instrumentKey}.bank_account.faster_payment_system_verification.bank_id: unknown SBP bank (see fps/banks)`);
  });

  test.each([
    ["verified phone", PHONE.verified, "succeeded", undefined],
    ["name-mismatch phone (SBP pays the phone's owner)", PHONE.nameMismatch, "succeeded", undefined],
    ["unknown phone", PHONE.unknown, "failed", "account_not_found"],
  ])("SBP payout to the %s", async (_name, phone, payoutStatus, code) => {
    const c = client(version);
    const started = await c.initPayout({ payout_details: sbp(phone), amount_details: { amount: 25_000, currency: "rub" }, participant_details: recipient });
    const id = started.session.id;
    await readyToConfirm(id);
    await c.confirm(id);
    const done = await finished(id);
    expect(done.session.payout_list?.[0]).toMatchObject({ status: payoutStatus, payout_details: sbp(phone) });
    expect(done.session.payout_list?.[0]?.error?.code).toBe(code);
    // SBP payouts cannot be refunded: nothing is scheduled to return the money.
    const view = await sandbox.control.session(id);
    expect(view.pending_jobs.filter((j: { kind: string }) => j.kind === "refund")).toEqual([]);
    expect(done.session.payout_list?.[0]?.refunds).toBeUndefined();
  });
});

describe("test data for people and tests", () => {
  test("the landing page and /sandbox/test-instruments list the test INNs, phones and SBP banks", async () => {
    const html = await fetch(`${sandbox.url}/`).then((r) => r.text());
    for (const value of [...Object.values(INN), ...Object.values(PHONE), BANK_ID, "/self-employed.js"]) expect(html).toContain(value);
    const instruments = await sandbox.control.get("/sandbox/test-instruments");
    expect(instruments.taxpayers.map((t: { tax_reference: string }) => t.tax_reference).sort()).toEqual(Object.values(INN).sort());
    expect(instruments.fps_phones.map((p: { phone: string }) => p.phone).sort()).toEqual(Object.values(PHONE).sort());
    expect(instruments.fps_banks).toContainEqual(expect.objectContaining({ id: BANK_ID }));
  });

  test("GET /sandbox/npd/taxpayers/:inn shows the year's income after a fiscalized payout", async () => {
    const view = await sandbox.control.get(`/sandbox/npd/taxpayers/${INN.linked}`);
    expect(view.taxpayer).toMatchObject({ tax_reference: INN.linked, self_employed: true, linked: true });
    // Earlier tests in this file paid 100 ₽ + 200 ₽ twice (v1, v2) and registered 300 ₽ standalone.
    expect(view.income_this_year).toBe(2 * (10_000 + 20_000) + 30_000);
  });
});
