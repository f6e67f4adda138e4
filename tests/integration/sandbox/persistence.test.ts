import { expect, test } from "vitest";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { sessionWebhook, withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** Sandbox state lives in SANDBOX_DATA_DIR and survives graceful and hard restarts. */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;
withSandboxSuite((suite) => ({ sandbox, receiver } = suite));

const amount = { amount: 12_345, currency: "rub" };
const webhook = (type: string, sessionId: string) => sessionWebhook(receiver, type, sessionId);

test("sessions, tokens, hashes and idempotency records survive a graceful restart", async () => {
  const card = await sandbox.control.card("4276000000000017");
  const publicToken = (await sandbox.api("token", { tokenize_widget: { access: true } })).body.public_token;
  const account = (await sandbox.api("tokenize", { type: "bank_account_ru", bank_account_ru: { bik: "049205131", account: "40817810500000000131" } })).body.token;
  const body = { payout_details: { type: "card", card: { type: "tokenized_card", tokenized_card: { token: card.token } } }, amount_details: amount };
  const first = await sandbox.api("session/init/payout", body, { idempotencyKey: "persist-1" });
  const id = first.body.session.id;
  await webhook("ready_to_confirm", id);
  const before = await sandbox.api("session/status", { session_id: id });

  await sandbox.restart();

  const after = await sandbox.api("session/status", { session_id: id });
  expect(after.text).toBe(before.text);
  const replay = await sandbox.api("session/init/payout", body, { idempotencyKey: "persist-1" });
  expect(replay.text).toBe(first.text);
  expect((await sandbox.api("token/info", { type: "public_token", public_token: { token: publicToken } })).body.info.is_active).toBe(true);
  expect((await sandbox.api("token/info", { type: "bank_account_ru", bank_account_ru: { token: account } })).body.info.masked_account).toBe("40817***0131");
  expect((await sandbox.control.card("4276000000000017")).number_hash).toBe(card.number_hash);
  expect((await sandbox.api("token/info", { type: "recurrent_token", recurrent_token: { token: card.recurrent_token } })).status).toBe(200);

  // The flow goes on where it stopped.
  expect((await sandbox.api("session/confirm", { session_id: id })).status).toBe(200);
  const finished = await webhook("payment_finished", id);
  expect(finished.json.session.status).toBe("accepted");
  // Ids keep counting after a restart.
  const next = await sandbox.api("session/create", {});
  expect(Number(next.body.session.id.slice(3))).toBeGreaterThan(Number(id.slice(3)));
});

test("a crash (SIGKILL) between answer and timers loses neither the session nor its pending steps", async () => {
  // Slow checks so the kill lands while ready_to_confirm is still scheduled.
  await sandbox.restart({ env: { SANDBOX_READY_DELAY_MS: "400" } });
  const { number_hash } = await sandbox.control.card("2200240000014940");
  const res = await sandbox.api("session/init/payout", { payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash } } }, amount_details: amount });
  expect(res.status).toBe(200);
  const id = res.body.session.id;
  await sandbox.kill();
  await sandbox.restart({ env: { SANDBOX_READY_DELAY_MS: "50" } });
  const ready = await webhook("ready_to_confirm", id);
  expect(ready.json.session.payout_list[0].status).toBe("pending");
  await sandbox.api("session/confirm", { session_id: id });
  expect((await webhook("payment_finished", id)).json.session.status).toBe("accepted");
});

test("POST /sandbox/reset clears sessions, webhooks and requests; ids are not reused", async () => {
  const created = await sandbox.api("session/create", {});
  const lastId = Number(created.body.session.id.slice(3));
  await sandbox.control.reset();
  expect((await sandbox.control.get("/sandbox/sessions")).sessions).toEqual([]);
  expect(await sandbox.control.webhooks()).toEqual([]);
  expect((await sandbox.control.get("/sandbox/requests")).requests).toEqual([]);
  const status = await sandbox.api("session/status", { session_id: created.body.session.id });
  expect(status.body.error.code).toBe("invalid_request");
  await sandbox.restart();
  const fresh = await sandbox.api("session/create", {});
  expect(Number(fresh.body.session.id.slice(3))).toBeGreaterThan(lastId);
  // Test cards still work after a reset (they are re-registered).
  const instruments = await sandbox.control.get("/sandbox/test-instruments");
  const mir = instruments.cards.find((c: { id: string }) => c.id === "mir_success");
  const info = await sandbox.api("token/info", { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: mir.number_hash } } });
  expect(info.body.info.last4).toBe("4940");
});
