import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { signBody } from "@/lib/bank131/signature";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { sessionWebhook, withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** Negative paths: authentication, validation, unknown methods, states and idempotency. */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;
let hash: string;

withSandboxSuite((suite) => ({ sandbox, receiver } = suite));

beforeAll(async () => {
  hash = (await sandbox.control.card("2200240000014940")).number_hash;
});

const amount = { amount: 10_000, currency: "rub" };
const instrument = () => ({ type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: hash } } });
const initBody = () => ({ payout_details: instrument(), amount_details: amount });
const webhook = (type: string, sessionId: string) => sessionWebhook(receiver, type, sessionId);

async function sessionCount(): Promise<number> {
  return ((await sandbox.control.get("/sandbox/sessions")) as { sessions: unknown[] }).sessions.length;
}

describe("authentication and identification", () => {
  test("missing X-PARTNER-SIGN → authentication_error 401", async () => {
    const res = await sandbox.api("session/create", {}, { sign: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ status: "error", error: { code: "authentication_error", description: expect.stringContaining("X-PARTNER-SIGN") } });
  });

  test("signature by another key, a garbage signature, or a body changed after signing → 401", async () => {
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    for (const sign of [otherKey, "broken_signature", "a4f1698616d6ad7b8b73a9d72d281eeb443b64dee3f38df430eeed6aa29e1dc"]) {
      const res = await sandbox.api("session/create", {}, { sign });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("authentication_error");
    }
    // Signed `{}` but sent `{} ` (one extra byte): the signature covers the exact bytes.
    const res = await sandbox.api("session/create", {}, { rawBody: "{} ", sign: signBody("{}", sandbox.keys.partnerPrivateKey) });
    expect(res.status).toBe(401);
  });

  test("any valid JSON spelling is accepted when signed as sent (escaped slashes, spaces, Cyrillic)", async () => {
    const raw = '{ "metadata" : "a\\/b — Иван" }';
    const res = await sandbox.api("session/create", undefined, { rawBody: raw });
    expect(res.status).toBe(200);
  });

  test("missing or unknown X-PARTNER-PROJECT → identification_error", async () => {
    const missing = await sandbox.api("session/create", {}, { project: null });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe("identification_error");
    const wrong = await sandbox.api("session/create", {}, { project: "someone-else" });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("identification_error");
  });
});

describe("request validation", () => {
  test("malformed JSON → invalid_request 400 naming the body", async () => {
    const res = await sandbox.api("session/create", undefined, { rawBody: '{"metadata": ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(res.body.error.description).toMatch(/^body: malformed JSON/);
  });

  test("invalid bodies → invalid_request with `field.path: reason`", async () => {
    const cases: [string, unknown, RegExp][] = [
      ["session/init/payout", { payout_details: instrument(), amount_details: { amount: 100.5, currency: "rub" } }, /^amount_details\.amount: /],
      ["session/init/payout", { payout_details: instrument() }, /^amount_details: is required/],
      ["session/init/payout", { payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: {} } }, amount_details: amount }, /^payout_details\.card\.encrypted_card\.number_hash: /],
      ["session/start/payout", { payout_details: instrument(), amount_details: amount }, /^session_id: /],
      ["session/init/payout", { payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: "0".repeat(64) } } }, amount_details: amount }, /^payout_details\.card\.encrypted_card\.number_hash: unknown card hash/],
      ["session/init/payout/nominal", { ...initBody(), payment_details: { type: "internal_transfer", internal_transfer: { type: "transfer_from_nominal_account", transfer_from_nominal_account: {} } } }, /^participant_details/],
      ["session/status", { session_id: "ps_404404" }, /^session_id: session ps_404404 not found/],
    ];
    for (const [method, body, description] of cases) {
      const res = await sandbox.api(method, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.description).toMatch(description);
    }
    const v1 = await sandbox.api("session/init/payout", { payment_method: instrument(), amount_details: { amount: -1, currency: "rub" } }, { version: 1 });
    expect(v1.body.error.description).toMatch(/^amount_details\.amount: /);
    const v1field = await sandbox.api("session/init/payout", { payment_method: { type: "card" }, amount_details: amount }, { version: 1 });
    expect(v1field.body.error.description).toMatch(/^payment_method\.card: /);
  });

  test("the PHP SDK's `[]` body and an empty body are accepted as {}", async () => {
    expect((await sandbox.api("session/create", undefined, { rawBody: "[]" })).status).toBe(200);
    expect((await sandbox.api("session/create", undefined, { rawBody: "" })).status).toBe(200);
  });

  test("unknown method → 404 error body; GET → 405; a bug → internal_error 500 JSON", async () => {
    const unknown = await sandbox.api("session/teleport", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ status: "error", error: { code: "invalid_request", description: expect.stringContaining("unknown method") } });
    const v3 = await fetch(`${sandbox.url}/api/v3/session/create`, { method: "POST", body: "{}" });
    expect(v3.status).toBe(404);
    expect(((await v3.json()) as { status: string }).status).toBe("error");
    const get = await sandbox.api("session/status", undefined, { httpMethod: "GET" });
    expect(get.status).toBe(405);
    expect(get.body.status).toBe("error");

    await sandbox.control.addFault({ type: "api_exception", method: "session/create" });
    const crashed = await sandbox.api("session/create", {});
    expect(crashed.status).toBe(500);
    expect(crashed.headers.get("content-type")).toContain("application/json");
    expect(crashed.body).toEqual({ status: "error", error: { code: "internal_error", description: expect.any(String) } });
    // …and the sandbox is still alive.
    expect((await sandbox.api("session/create", {})).status).toBe(200);
  });
});

describe("session states", () => {
  test("confirm before start and confirm/cancel before ready_to_confirm → session_wrong_state; start twice → session_wrong_state", async () => {
    const created = await sandbox.api("session/create", {});
    const id = created.body.session.id;
    const early = await sandbox.api("session/confirm", { session_id: id });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("session_wrong_state");
    expect((await sandbox.api("session/start/payout", { session_id: id, ...initBody() })).status).toBe(200);
    const again = await sandbox.api("session/start/payout", { session_id: id, ...initBody() });
    expect(again.body.error.code).toBe("session_wrong_state");
    const beforeReady = await sandbox.api("session/confirm", { session_id: id });
    // Either still being checked (wrong state) or already ready; the checks delay is 50 ms.
    if (beforeReady.status !== 200) expect(beforeReady.body.error.code).toBe("session_wrong_state");
  });

  test("confirming twice → session_wrong_state; a cancelled session rejects calls with session_cancelled", async () => {
    const init = await sandbox.api("session/init/payout", initBody());
    const id = init.body.session.id;
    await webhook("ready_to_confirm", id);
    expect((await sandbox.api("session/confirm", { session_id: id })).status).toBe(200);
    const twice = await sandbox.api("session/confirm", { session_id: id });
    expect(twice.body.error.code).toBe("session_wrong_state");

    const other = await sandbox.api("session/init/payout", initBody());
    const otherId = other.body.session.id;
    await webhook("ready_to_confirm", otherId);
    expect((await sandbox.api("session/cancel", { session_id: otherId })).status).toBe(200);
    for (const method of ["session/confirm", "session/cancel", "session/start/payout"]) {
      const res = await sandbox.api(method, { session_id: otherId, ...(method === "session/start/payout" ? initBody() : {}) });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("session_cancelled");
    }
    // session/status still answers for a cancelled session.
    expect((await sandbox.api("session/status", { session_id: otherId })).body.session.status).toBe("cancelled");
  });

  test("an escrow session cannot be started with session/start/payout", async () => {
    const created = await sandbox.api("session/multi/create/nominal", {});
    const res = await sandbox.api("session/start/payout", { session_id: created.body.session.id, ...initBody() });
    expect(res.status).toBe(400);
    expect(res.body.error.description).toMatch(/^session_id: .*session\/multi\/start\/payment\/nominal/);
  });
});

describe("idempotency (X-PARTNER-IDEMPOTENCY-KEY)", () => {
  test("same key + same body → the same stored answer, no second session", async () => {
    const before = await sessionCount();
    const first = await sandbox.api("session/init/payout", initBody(), { idempotencyKey: "idem-replay-1" });
    const second = await sandbox.api("session/init/payout", initBody(), { idempotencyKey: "idem-replay-1" });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("x-sandbox-idempotent-replay")).toBe("true");
    expect(await sessionCount()).toBe(before + 1);
  });

  test("same key + different body → idempotency_key_already_exists", async () => {
    await sandbox.api("session/create", { metadata: "a" }, { idempotencyKey: "idem-conflict-1" });
    const res = await sandbox.api("session/create", { metadata: "b" }, { idempotencyKey: "idem-conflict-1" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("idempotency_key_already_exists");
    // The same key on another method is a different request too.
    const other = await sandbox.api("session/multi/create/nominal", { metadata: "a" }, { idempotencyKey: "idem-conflict-1" });
    expect(other.body.error.code).toBe("idempotency_key_already_exists");
  });

  test("concurrent identical requests create one session", async () => {
    const before = await sessionCount();
    const results = await Promise.all(Array.from({ length: 8 }, () => sandbox.api("session/init/payout", initBody(), { idempotencyKey: "idem-concurrent-1" })));
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(results.map((r) => r.body.session.id)).size).toBe(1);
    expect(await sessionCount()).toBe(before + 1);
  });

  test("errors are not remembered: a wrong-state confirm can be retried with the same key", async () => {
    const init = await sandbox.api("session/create", {});
    const id = init.body.session.id;
    const early = await sandbox.api("session/confirm", { session_id: id }, { idempotencyKey: `confirm-${id}` });
    expect(early.body.error.code).toBe("session_wrong_state");
    await sandbox.api("session/start/payout", { session_id: id, ...initBody() });
    await webhook("ready_to_confirm", id);
    const later = await sandbox.api("session/confirm", { session_id: id }, { idempotencyKey: `confirm-${id}` });
    expect(later.status).toBe(200);
  });
});
