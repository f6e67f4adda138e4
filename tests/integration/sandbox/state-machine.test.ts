import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { TEST_BANK_ACCOUNTS, TEST_CARDS } from "@/sandbox/test-instruments";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { sessionWebhook, withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** Test instruments drive the §4.2 state machine: successes, every failure kind, error, slow, refunds, timeouts. */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;
withSandboxSuite((suite) => ({ sandbox, receiver } = suite));

const amount = { amount: 99_999, currency: "rub" };
const webhook = (type: string, sessionId: string) => sessionWebhook(receiver, type, sessionId);
const card = (id: string) => {
  const found = TEST_CARDS.find((c) => c.id === id);
  if (!found) throw new Error(`no test card ${id}`);
  return found;
};

async function initCard(number: string): Promise<string> {
  const { number_hash } = await sandbox.control.card(number);
  const res = await sandbox.api("session/init/payout", {
    payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash } } },
    amount_details: amount,
  });
  expect(res.status).toBe(200);
  return res.body.session.id;
}

describe("test cards", () => {
  test.each(["mir_success", "visa_success", "mastercard_success"])("%s: accepted + succeeded with its masked card", async (id) => {
    const c = card(id);
    const sessionId = await initCard(c.number);
    const ready = await webhook("ready_to_confirm", sessionId);
    expect(ready.json.session.payout_list[0].payout_details.card).toEqual({ last4: c.number.slice(-4), brand: c.brand, bin: c.number.slice(0, 6), country_iso3: "RUS" });
    await sandbox.api("session/confirm", { session_id: sessionId });
    const finished = await webhook("payment_finished", sessionId);
    expect(finished.json.session).toMatchObject({ status: "accepted", payout_list: [{ status: "succeeded" }] });
  });

  test.each(["declined_by_issuer_bank", "insufficient_funds", "card_number_does_not_exist", "provider_timeout", "bank_card_expired"])(
    "%s: fails after confirm → payout failed with the code, session cancelled",
    async (code) => {
      const sessionId = await initCard(card(code).number);
      await webhook("ready_to_confirm", sessionId);
      await sandbox.api("session/confirm", { session_id: sessionId });
      const finished = await webhook("payment_finished", sessionId);
      expect(finished.json.session).toMatchObject({
        status: "cancelled",
        payout_list: [{ status: "failed", error: { code, description: expect.any(String) } }],
      });
      const status = await sandbox.api("session/status", { session_id: sessionId });
      expect(status.body.session.payout_list[0].error.code).toBe(code);
    },
  );

  test("operation_rejected: rejected by the checks, no ready_to_confirm", async () => {
    const sessionId = await initCard(card("operation_rejected").number);
    const finished = await webhook("payment_finished", sessionId);
    expect(finished.json.session).toMatchObject({ status: "cancelled", payout_list: [{ status: "failed", error: { code: "operation_rejected" } }] });
    expect(receiver.forSession(sessionId).map((w) => w.json.type)).toEqual(["payment_finished"]);
  });

  test("session_error card: status error (not final, no webhook), then resolves to accepted", async () => {
    const sessionId = await initCard(card("session_error").number);
    await webhook("ready_to_confirm", sessionId);
    await sandbox.api("session/confirm", { session_id: sessionId });
    const inError = await sandbox.control.waitForSession(sessionId, (v) => v.session.status === "error" || v.session.status === "accepted");
    expect(inError.session.status).toBe("error");
    expect(inError.session.error.code).toBe("provider_internal_error");
    expect(inError.session.payout_list[0].status).toBe("pending");
    const status = await sandbox.api("session/status", { session_id: sessionId });
    expect(["error", "accepted"]).toContain(status.body.session.status);
    const finished = await webhook("payment_finished", sessionId);
    expect(finished.json.session).toMatchObject({ status: "accepted", payout_list: [{ status: "succeeded" }] });
    expect(finished.json.session.error).toBeUndefined();
  });

  test("slow card: ready_to_confirm only after SANDBOX_SLOW_READY_DELAY_MS", async () => {
    const slowDelay = Number(sandbox.env.SANDBOX_SLOW_READY_DELAY_MS);
    const started = Date.now();
    const sessionId = await initCard(card("slow").number);
    const fast = await initCard(card("mir_success").number);
    await webhook("ready_to_confirm", fast);
    const view = await sandbox.control.session(sessionId);
    expect(view.session.payout_list[0].status).toBe("in_progress");
    await webhook("ready_to_confirm", sessionId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(slowDelay);
  });

  test("PCI bank_card payout: the number is never echoed, logged or stored", async () => {
    const number = "4276000000000017";
    const res = await sandbox.api("session/init/payout", { payout_details: { type: "card", card: { type: "bank_card", bank_card: { number, security_code: "123" } } }, amount_details: amount });
    expect(res.status).toBe(200);
    expect(res.body.session.payout_list[0].payout_details.card).toEqual({ last4: "0017", brand: "visa", bin: "427600", country_iso3: "RUS" });
    expect(res.text).not.toContain(number);
    const log = await sandbox.control.get("/sandbox/requests?method=session/init/payout");
    const logged = JSON.stringify(log);
    expect(logged).not.toContain(number);
    expect(logged).toContain("427600******0017");
    expect(logged).not.toContain('"123"');
    const bad = await sandbox.api("session/init/payout", { payout_details: { type: "card", card: { type: "bank_card", bank_card: { number: "4276000000000018" } } }, amount_details: amount });
    expect(bad.body.error.description).toMatch(/^payout_details\.card\.bank_card\.number: /);
    for (const file of readdirSync(sandbox.dataDir)) {
      expect(readFileSync(path.join(sandbox.dataDir, file), "utf8")).not.toContain(number);
    }
  });
});

describe("test bank accounts", () => {
  const account = (id: string) => {
    const found = TEST_BANK_ACCOUNTS.find((a) => a.id === id);
    if (!found) throw new Error(`no test account ${id}`);
    return found;
  };
  const initAccount = async (id: string) => {
    const a = account(id);
    const res = await sandbox.api("session/init/payout", {
      payout_details: { type: "bank_account", bank_account: { system_type: "ru", ru: { bik: a.bik, account: a.account, full_name: "Ivanov Ivan", description: "Payout" } } },
      amount_details: amount,
    });
    expect(res.status).toBe(200);
    const sessionId = res.body.session.id as string;
    await webhook("ready_to_confirm", sessionId);
    await sandbox.api("session/confirm", { session_id: sessionId });
    return sessionId;
  };

  test("account_success succeeds; account_not_found fails with account_not_found", async () => {
    const ok = await initAccount("account_success");
    expect((await webhook("payment_finished", ok)).json.session.payout_list[0].status).toBe("succeeded");
    const missing = await initAccount("account_not_found");
    expect((await webhook("payment_finished", missing)).json.session.payout_list[0].error.code).toBe("account_not_found");
  });

  test("account_refunded: succeeds, later payment_refunded with refunds[] appended", async () => {
    const sessionId = await initAccount("account_refunded");
    const finished = await webhook("payment_finished", sessionId);
    expect(finished.json.session.payout_list[0].status).toBe("succeeded");
    expect(finished.json.session.payout_list[0].refunds).toBeUndefined();
    const refunded = await webhook("payment_refunded", sessionId);
    expect(refunded.json.session).toMatchObject({
      status: "accepted",
      payout_list: [{ status: "succeeded", refunds: [{ id: expect.stringMatching(/^rf_/), status: "accepted", amount_details: amount, is_chargeback: false }] }],
    });
    const status = await sandbox.api("session/status", { session_id: sessionId });
    expect(status.body.session.payout_list[0].refunds).toHaveLength(1);
  });
});

describe("confirm deadline", () => {
  test("no confirm in time → cancelled with confirm_timeout + payment_finished", async () => {
    await sandbox.restart({ env: { SANDBOX_CONFIRM_TIMEOUT_MS: "300" } });
    try {
      const sessionId = await initCard(card("mir_success").number);
      await webhook("ready_to_confirm", sessionId);
      const finished = await webhook("payment_finished", sessionId);
      expect(finished.json.session).toMatchObject({ status: "cancelled", payout_list: [{ status: "failed", error: { code: "confirm_timeout" } }] });
      const late = await sandbox.api("session/confirm", { session_id: sessionId });
      expect(late.body.error.code).toBe("session_cancelled");
    } finally {
      await sandbox.restart({ env: { SANDBOX_CONFIRM_TIMEOUT_MS: "60000" } });
    }
  });
});
