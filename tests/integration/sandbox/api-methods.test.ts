import { beforeAll, describe, expect, test } from "vitest";
import { verifyBody } from "@/lib/bank131/signature";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { sessionWebhook, withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** Every partner-API method, in the v1 and the v2 spelling, with signed requests. */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;
let mirHash: string;
let visaHash: string;

withSandboxSuite((suite) => ({ sandbox, receiver } = suite));

beforeAll(async () => {
  mirHash = (await sandbox.control.card("2200240000014940")).number_hash;
  visaHash = (await sandbox.control.card("4276000000000017")).number_hash;
});

const amount = { amount: 150_050, currency: "rub" };
const hashInstrument = (hash: string) => ({ type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: hash } } });
const webhook = (type: string, sessionId: string) => sessionWebhook(receiver, type, sessionId);

describe.each([1, 2] as const)("API v%i spelling", (version) => {
  const instrumentKey = version === 1 ? "payment_method" : "payout_details";
  const wrongInstrumentKey = version === 1 ? "payout_details" : "payment_method";
  const payoutsKey = version === 1 ? "payments" : "payout_list";
  const wrongPayoutsKey = version === 1 ? "payout_list" : "payments";
  const paymentsKey = version === 1 ? "acquiring_payments" : "payment_list";
  const call = (method: string, body: unknown) => sandbox.api(method, body, { version });

  const nominalBody = (hash: string) => ({
    payment_details: {
      type: "internal_transfer",
      internal_transfer: { type: "transfer_from_nominal_account", transfer_from_nominal_account: { description: "Offer agreement" } },
    },
    [instrumentKey]: hashInstrument(hash),
    participant_details: { sender: { full_name: "Vector LLC", beneficiary_id: "1234567890" }, recipient: { full_name: "Ivanov Ivan" } },
    amount_details: amount,
    customer: { reference: "123456789012" },
  });

  test("session/create → session/start/payout → session/status → session/confirm", async () => {
    const created = await call("session/create", { metadata: { order: 42 } });
    expect(created.status).toBe(200);
    expect(created.body.session.status).toBe("created");
    const id = created.body.session.id;

    const started = await call("session/start/payout", {
      session_id: id,
      [instrumentKey]: hashInstrument(mirHash),
      participant_details: { recipient: { full_name: "Иванов Иван" } },
      amount_details: amount,
      metadata: { order: 42 },
    });
    expect(started.status).toBe(200);
    expect(started.body.session.status).toBe("in_progress");
    expect(started.body.session[wrongPayoutsKey]).toBeUndefined();
    const payout = started.body.session[payoutsKey][0];
    expect(payout).toMatchObject({ status: "in_progress", amount_details: amount, metadata: { order: 42 } });
    expect(payout[instrumentKey]).toEqual({ type: "card", card: { last4: "4940", brand: "mir", bin: "220024", country_iso3: "RUS" } });
    expect(payout[wrongInstrumentKey]).toBeUndefined();

    const ready = await webhook("ready_to_confirm", id);
    expect(verifyBody(ready.raw, ready.signature, sandbox.keys.bankPublicKey)).toBe(true);
    // Webhooks use the spelling of the API version the session was created with.
    expect(ready.json.session[payoutsKey][0][instrumentKey].card.last4).toBe("4940");

    const status = await call("session/status", { session_id: id });
    expect(status.status).toBe(200);
    expect(status.body.session).toMatchObject({ status: "in_progress", next_action: "confirm", [payoutsKey]: [{ status: "pending" }] });

    const confirmed = await call("session/confirm", { session_id: id });
    expect(confirmed.status).toBe(200);
    const finished = await webhook("payment_finished", id);
    expect(finished.json.session).toMatchObject({ status: "accepted", [payoutsKey]: [{ status: "succeeded" }] });
    const final = await call("session/status", { session_id: id });
    expect(final.body.session).toMatchObject({ status: "accepted", finished_at: expect.any(String), [payoutsKey]: [{ status: "succeeded" }] });
  });

  test("session/cancel after ready_to_confirm", async () => {
    const init = await call("session/init/payout", { [instrumentKey]: hashInstrument(visaHash), amount_details: amount });
    expect(init.status).toBe(200);
    const id = init.body.session.id;
    await webhook("ready_to_confirm", id);
    const cancelled = await call("session/cancel", { session_id: id });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.session).toMatchObject({
      status: "cancelled",
      [payoutsKey]: [{ status: "failed", error: { code: "session_cancelled_by_partner", description: expect.any(String) } }],
    });
    const finished = await webhook("payment_finished", id);
    expect(finished.json.session.status).toBe("cancelled");
  });

  test("session/init/payout to a bank account by requisites", async () => {
    const res = await call("session/init/payout", {
      [instrumentKey]: {
        type: "bank_account",
        bank_account: { system_type: "ru", ru: { bik: "049205131", account: "40817810500000000131", full_name: "Ivanov Ivan", description: "Payout" } },
      },
      amount_details: amount,
    });
    expect(res.status).toBe(200);
    expect(res.body.session[payoutsKey][0][instrumentKey].bank_account.ru).toMatchObject({ bik: "049205131", full_name: "Ivanov Ivan" });
  });

  test("session/init/payout/nominal: confirm echoes confirm_information in this version's spelling", async () => {
    const res = await call("session/init/payout/nominal", nominalBody(mirHash));
    expect(res.status).toBe(200);
    const id = res.body.session.id;
    expect(res.body.session[payoutsKey][0].amount_details).toBeUndefined();
    expect(res.body.session[paymentsKey][0]).toMatchObject({ id: expect.stringMatching(/^pm_/), amount_details: amount });
    const ready = await webhook("ready_to_confirm", id);
    const info = ready.json.confirm_information;
    expect(info.transfer_details[instrumentKey]).toEqual({ type: "card", card: { last4: "4940", brand: "mir", country_iso3: "RUS" } });
    expect(info.transfer_details[wrongInstrumentKey]).toBeUndefined();
    const confirmed = await call("session/confirm", { session_id: id, confirm_information: info });
    expect(confirmed.status).toBe(200);
    const finished = await webhook("payment_finished", id);
    expect(finished.json.session[paymentsKey][0].status).toBe("succeeded");
  });

  test("session/multi/create/nominal → session/multi/start/payment/nominal → session/cancel with confirm_information", async () => {
    const created = await call("session/multi/create/nominal", {});
    expect(created.body.session.status).toBe("created");
    const id = created.body.session.id;
    const started = await call("session/multi/start/payment/nominal", { session_id: id, ...nominalBody(visaHash) });
    expect(started.status).toBe(200);
    expect(started.body.session[paymentsKey][0].payment_details.internal_transfer.transfer_from_nominal_account.card_mask).toBe("427600******0017");
    const ready = await webhook("ready_to_confirm", id);
    const cancelled = await call("session/cancel", { session_id: id, confirm_information: ready.json.confirm_information });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.session.status).toBe("cancelled");
  });

  test("session/multi/init/payment/nominal", async () => {
    const res = await call("session/multi/init/payment/nominal", nominalBody(mirHash));
    expect(res.status).toBe(200);
    expect(res.body.session[payoutsKey]).toHaveLength(1);
    expect(res.body.session[paymentsKey]).toHaveLength(1);
    const ready = await webhook("ready_to_confirm", res.body.session.id);
    expect(ready.json.confirm_information.transfer_details.amount).toEqual(amount);
  });

  test("session/init/payout/rko", async () => {
    const res = await call("session/init/payout/rko", {
      payment_details: {
        type: "internal_transfer",
        internal_transfer: { type: "transfer_from_bank_account", transfer_from_bank_account: { description: "Settlement payout" } },
      },
      [instrumentKey]: hashInstrument(mirHash),
      participant_details: { recipient: { full_name: "Ivanov Ivan" } },
      amount_details: amount,
    });
    expect(res.status).toBe(200);
    const id = res.body.session.id;
    expect(res.body.session[payoutsKey][0].amount_details).toEqual(amount);
    const ready = await webhook("ready_to_confirm", id);
    expect(ready.json.confirm_information).toBeUndefined();
    await call("session/confirm", { session_id: id });
    const finished = await webhook("payment_finished", id);
    expect(finished.json.session.status).toBe("accepted");
  });

  test("the other version's field names are rejected with a description naming the field", async () => {
    const res = await call("session/init/payout", { [wrongInstrumentKey]: hashInstrument(mirHash), amount_details: amount });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(res.body.error.description).toMatch(new RegExp(`^${wrongInstrumentKey}: `));
  });
});

describe("token, tokenize, token/info (v1 only)", () => {
  test("token issues a 64-hex public token; v2 path is an unknown method", async () => {
    const res = await sandbox.api("token", { tokenize_widget: { access: true } });
    expect(res.body).toEqual({ status: "ok", public_token: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const v2 = await sandbox.api("token", { tokenize_widget: { access: true } }, { version: 2 });
    expect(v2.status).toBe(404);
    expect(v2.body.status).toBe("error");
  });

  test("tokenize is deterministic per account and masks it", async () => {
    const body = { type: "bank_account_ru", bank_account_ru: { bik: "049205131", account: "40817810500000000131" } };
    const a = await sandbox.api("tokenize", body);
    const b = await sandbox.api("tokenize", body);
    expect(a.body).toEqual({ status: "ok", token: expect.stringMatching(/^[0-9a-f]{64}$/), data: { masked_account: "40817***0131" } });
    expect(b.body.token).toBe(a.body.token);
    const bad = await sandbox.api("tokenize", { type: "bank_account_ru", bank_account_ru: { bik: "049205131", account: "40817810000000000131" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.description).toMatch(/^bank_account_ru\.account: /);
  });

  test("token/info for a card hash, a card token, a public token, a recurrent token and a bank-account token", async () => {
    const card = await sandbox.control.card("5536910000068371");
    const byHash = await sandbox.api("token/info", { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: card.number_hash } } });
    expect(byHash.body).toEqual({
      status: "ok",
      info: { type: "card", last4: "8371", brand: "mastercard", bin: "553691", country_iso3: "RUS", number_hash: card.number_hash },
    });
    const byToken = await sandbox.api("token/info", { type: "card", card: { type: "tokenized_card", tokenized_card: { token: card.token } } });
    expect(byToken.body.info).toMatchObject({ type: "card", last4: "8371", brand: "mastercard", token: card.token });

    const publicToken = (await sandbox.api("token", { tokenize_widget: { access: true } })).body.public_token;
    const pub = await sandbox.api("token/info", { type: "public_token", public_token: { token: publicToken } });
    expect(pub.body.info).toEqual({ token: publicToken, created_at: expect.any(String), finished_at: expect.any(String), is_active: true });
    // finished_at of an unused token is its expiry, 24 h after issue.
    expect(Date.parse(pub.body.info.finished_at) - Date.parse(pub.body.info.created_at)).toBe(24 * 60 * 60 * 1000);

    const rec = await sandbox.api("token/info", { type: "recurrent_token", recurrent_token: { token: card.recurrent_token } });
    expect(rec.body.info).toEqual({ token: card.recurrent_token, created_at: expect.any(String), finished_at: expect.any(String), is_active: true, initiator: "merchant" });

    const account = await sandbox.api("tokenize", { type: "bank_account_ru", bank_account_ru: { bik: "049205131", account: "40817810100000000777" } });
    const acc = await sandbox.api("token/info", { type: "bank_account_ru", bank_account_ru: { token: account.body.token } });
    expect(acc.body.info).toMatchObject({ type: "bank_account_ru", token: account.body.token, bik: "049205131", masked_account: "40817***0777", is_active: true });

    const unknown = await sandbox.api("token/info", { type: "recurrent_token", recurrent_token: { token: "f".repeat(64) } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.description).toMatch(/^recurrent_token\.token: /);
  });
});
