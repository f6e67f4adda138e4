import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { loadPublicKey, verifyBody } from "@/lib/bank131/signature";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startSandbox, type SandboxProcess } from "@/tests/helpers/sandbox-process";
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** Webhook delivery (signature, retries, persistence) and every fault-injection switch. */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;
let hash: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await startSandbox({
    webhookUrl: receiver.url,
    env: { SANDBOX_WEBHOOK_MAX_ATTEMPTS: "4", SANDBOX_WEBHOOK_BACKOFF_BASE_MS: "100", SANDBOX_WEBHOOK_BACKOFF_MAX_MS: "2000" },
  });
  hash = (await sandbox.control.card("2200240000014940")).number_hash;
});

beforeEach(() => receiver.clear());

afterEach(async () => {
  receiver.setHandler(null);
  await sandbox.control.clearFaults();
});

afterAll(async () => {
  await sandbox?.stop();
  await receiver?.close();
});

const amount = { amount: 10_000, currency: "rub" };
const verify = (w: ReceivedWebhook) => verifyBody(w.raw, w.signature, sandbox.keys.bankPublicKey);
const ofSession = (sessionId: string, type?: string) => (w: ReceivedWebhook) => w.json?.session?.id === sessionId && (!type || w.json?.type === type);

async function newSession(): Promise<string> {
  const res = await sandbox.api("session/create", {});
  return res.body.session.id;
}

async function trigger(sessionId: string, type = "payment_finished"): Promise<{ id: string }> {
  const res = await sandbox.control.post("/sandbox/webhooks/trigger", { session_id: sessionId, type });
  return res.webhook;
}

async function delivery(id: string) {
  const list = await sandbox.control.webhooks();
  return list.find((d) => d.id === id);
}

async function waitDelivery(id: string, predicate: (d: { status: string; attempts: { status_code?: number }[] }) => boolean) {
  for (let i = 0; i < 750; i++) {
    const d = await delivery(id);
    if (d && predicate(d)) return d;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`delivery ${id} did not reach the expected state: ${JSON.stringify(await delivery(id))}`);
}

describe("delivery", () => {
  test("POST with Content-Type: application/json and X-PARTNER-SIGN by the bank key over the exact bytes", async () => {
    const res = await sandbox.api("session/init/payout", { payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: hash } } }, amount_details: amount });
    const sessionId = res.body.session.id;
    const ready = await receiver.waitForMatch(ofSession(sessionId, "ready_to_confirm"));
    expect(ready.method).toBe("POST");
    expect(ready.path).toBe("/webhooks/bank131");
    expect(ready.headers["content-type"]).toBe("application/json");
    expect(ready.headers["x-partner-project"]).toBeUndefined();
    expect(ready.signature).toMatch(/^[A-Za-z0-9+/]{342}==$/);
    expect(verify(ready)).toBe(true);
    // Not the partner's key, and not any other bytes.
    const partnerPublic = loadPublicKey(readFileSync(path.resolve("tests/fixtures/keys/sdk-public.pem")));
    expect(verifyBody(ready.raw, ready.signature, partnerPublic)).toBe(false);
    expect(verifyBody(Buffer.concat([ready.raw, Buffer.from("\n")]), ready.signature, sandbox.keys.bankPublicKey)).toBe(false);
  });

  test("non-200 answers are retried with growing back-off until 200", async () => {
    const sessionId = await newSession();
    receiver.respondWith(500, 503, 404);
    const { id } = await trigger(sessionId);
    const fourth = await receiver.waitFor(4);
    const all = receiver.received.filter(ofSession(sessionId));
    expect(all).toHaveLength(4);
    expect(all.map((w) => w.answeredWith)).toEqual([500, 503, 404, 200]);
    // Every attempt carries the same bytes and a valid signature.
    for (const w of all) {
      expect(w.text).toBe(fourth.text);
      expect(verify(w)).toBe(true);
    }
    const gaps = all.slice(1).map((w, i) => w.receivedAt - (all[i]?.receivedAt ?? 0));
    // base 100 ms: ≥100, ≥200, ≥400 (lower bounds only; timers never fire early).
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[2]).toBeGreaterThanOrEqual(395);
    const d = await waitDelivery(id, (x) => x.status === "delivered");
    expect(d.attempts.map((a: { status_code?: number }) => a.status_code)).toEqual([500, 503, 404, 200]);
    receiver.clear();
  });

  test("attempts are bounded: after SANDBOX_WEBHOOK_MAX_ATTEMPTS the delivery is failed", async () => {
    const sessionId = await newSession();
    receiver.setHandler((w) => (w.json?.session?.id === sessionId ? 500 : 200));
    const { id } = await trigger(sessionId);
    const d = await waitDelivery(id, (x) => x.status === "failed");
    expect(d.attempts).toHaveLength(4);
    expect(receiver.received.filter(ofSession(sessionId))).toHaveLength(4);
    receiver.clear();
  });

  test("a timeout or a refused connection counts as a failed attempt", async () => {
    const sessionId = await newSession();
    let first = true;
    receiver.setHandler((w) => {
      if (w.json?.session?.id !== sessionId || !first) return 200;
      first = false;
      return "hang";
    });
    const { id } = await trigger(sessionId);
    const d = await waitDelivery(id, (x) => x.status === "delivered");
    expect(d.attempts[0].status_code).toBeUndefined();
    expect(d.attempts[0].error).toBe("timeout");
    expect(d.attempts[1].status_code).toBe(200);
    receiver.clear();
  });
});

describe("persistence of pending deliveries", () => {
  test("a crash (SIGKILL) mid-retry loses nothing: the retry continues after restart", async () => {
    const sessionId = await newSession();
    let restarted = false;
    receiver.setHandler((w) => (w.json?.session?.id === sessionId && !restarted ? 500 : 200));
    const { id } = await trigger(sessionId);
    await receiver.waitForMatch(ofSession(sessionId));
    await waitDelivery(id, (x) => x.attempts.length >= 1);
    await sandbox.kill();
    const failedBefore = receiver.received.filter(ofSession(sessionId)).length;
    restarted = true;
    const restartAt = Date.now();
    await sandbox.restart();
    const ok = await receiver.waitForMatch((w) => ofSession(sessionId)(w) && w.answeredWith === 200);
    expect(ok.receivedAt).toBeGreaterThanOrEqual(restartAt);
    expect(verify(ok)).toBe(true);
    expect(ok.text).toBe(receiver.received.find(ofSession(sessionId))?.text);
    const d = await waitDelivery(id, (x) => x.status === "delivered");
    expect(d.attempts.length).toBeGreaterThanOrEqual(2);
    expect(d.attempts.at(-1).status_code).toBe(200);
    expect(failedBefore).toBeGreaterThanOrEqual(1);
    receiver.clear();
  });

  test("a webhook queued while paused is delivered after a graceful restart", async () => {
    const sessionId = await newSession();
    await sandbox.control.post("/sandbox/webhooks/pause");
    const { id } = await trigger(sessionId);
    // The delivery job has fired and found webhooks paused: nothing sent, delivery still pending.
    await sandbox.control.waitForSession(sessionId, (v) => v.pending_jobs.length === 0);
    expect((await delivery(id)).status).toBe("pending");
    expect(receiver.received.filter(ofSession(sessionId))).toHaveLength(0);
    await sandbox.restart();
    const w = await receiver.waitForMatch(ofSession(sessionId));
    expect(verify(w)).toBe(true);
    await waitDelivery(id, (x) => x.status === "delivered");
    receiver.clear();
  });
});

describe("webhook fault switches", () => {
  test("GET /sandbox/faults shows switches; DELETE clears them", async () => {
    const initial = await sandbox.control.get("/sandbox/faults");
    expect(initial).toEqual({
      api: [],
      webhooks: { duplicate: 0, reorder: 0, reorder_hold_max_ms: expect.any(Number), delay: null, wrong_key: 0, paused: false },
    });
    await sandbox.control.addFault({ type: "webhook_duplicate", count: 2 });
    await sandbox.control.addFault({ type: "webhook_delay", delay_ms: 10, count: 3 });
    await sandbox.control.addFault({ type: "api_error", method: "session/status", count: 5 });
    const on = await sandbox.control.get("/sandbox/faults");
    expect(on.webhooks).toMatchObject({ duplicate: 2, delay: { delay_ms: 10, remaining: 3 } });
    expect(on.api).toEqual([expect.objectContaining({ method: "session/status", mode: "error", remaining: 5, status: 503 })]);
    await sandbox.control.clearFaults();
    expect(await sandbox.control.get("/sandbox/faults")).toEqual(initial);
    // Bounded: counts above 100 are rejected.
    const tooMany = await fetch(`${sandbox.url}/sandbox/faults`, { method: "POST", body: JSON.stringify({ type: "webhook_duplicate", count: 1000 }) });
    expect(tooMany.status).toBe(400);
  });

  test("duplicate: the same webhook (same bytes and signature) is delivered twice", async () => {
    const sessionId = await newSession();
    await sandbox.control.addFault({ type: "webhook_duplicate" });
    await trigger(sessionId);
    await receiver.waitForMatch((w) => receiver.received.filter(ofSession(sessionId)).length >= 2 && ofSession(sessionId)(w));
    const [a, b] = receiver.received.filter(ofSession(sessionId));
    expect(b?.raw.equals(a?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(b?.signature).toBe(a?.signature);
    expect(a && verify(a)).toBe(true);
    receiver.clear();
  });

  test("reorder: one webhook is held and the next one goes first", async () => {
    const first = await newSession();
    const second = await newSession();
    await sandbox.control.addFault({ type: "webhook_reorder" });
    const held = await trigger(first, "ready_to_confirm");
    await trigger(second, "payment_finished");
    const w2 = await receiver.waitForMatch((w) => ofSession(first)(w) || ofSession(second)(w));
    expect(w2.json.session.id).toBe(second);
    const w1 = await receiver.waitForMatch(ofSession(first));
    expect(w1.index).toBeGreaterThan(w2.index);
    expect((await delivery(held.id)).faults.held).toBe(true);
    receiver.clear();
  });

  test("delay: the webhook is sent X ms after the event", async () => {
    const sessionId = await newSession();
    await sandbox.control.addFault({ type: "webhook_delay", delay_ms: 400 });
    const at = Date.now();
    await trigger(sessionId);
    const w = await receiver.waitForMatch(ofSession(sessionId));
    expect(w.receivedAt - at).toBeGreaterThanOrEqual(400);
    receiver.clear();
  });

  test("pause/resume: deliveries wait in the queue and go out on resume, in order", async () => {
    const a = await newSession();
    const b = await newSession();
    await sandbox.control.post("/sandbox/webhooks/pause");
    expect((await sandbox.control.get("/sandbox/faults")).webhooks.paused).toBe(true);
    const da = await trigger(a);
    const db = await trigger(b);
    await sandbox.control.waitForSession(b, (v) => v.pending_jobs.length === 0);
    await sandbox.control.waitForSession(a, (v) => v.pending_jobs.length === 0);
    expect(receiver.received.filter((w) => ofSession(a)(w) || ofSession(b)(w))).toHaveLength(0);
    expect((await delivery(da.id)).attempts).toHaveLength(0);
    await sandbox.control.post("/sandbox/webhooks/resume");
    await receiver.waitForMatch(ofSession(a));
    await receiver.waitForMatch(ofSession(b));
    await waitDelivery(db.id, (x) => x.status === "delivered");
    receiver.clear();
  });

  test("wrong key: the first attempt is signed with a wrong key; the retry verifies", async () => {
    const sessionId = await newSession();
    await sandbox.control.addFault({ type: "webhook_wrong_key" });
    // Like a portal: reject bad signatures with 401, accept good ones.
    receiver.setHandler((w) => (verify(w) ? 200 : 401));
    const { id } = await trigger(sessionId);
    const d = await waitDelivery(id, (x) => x.status === "delivered");
    const got = receiver.received.filter(ofSession(sessionId));
    expect(got.map((w) => w.answeredWith)).toEqual([401, 200]);
    expect(got[0]?.text).toBe(got[1]?.text);
    expect(d.attempts.map((x: { signature: string }) => x.signature)).toEqual(["wrong_key", "bank"]);
    receiver.clear();
  });
});

describe("API fault switches", () => {
  test("api_error: the next N calls of a method answer 5xx, then normal service", async () => {
    await sandbox.control.addFault({ type: "api_error", method: "session/create", count: 2 });
    const a = await sandbox.api("session/create", {});
    const b = await sandbox.api("session/create", {}, { version: 1 });
    const c = await sandbox.api("session/create", {});
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(a.body).toEqual({ status: "error", error: { code: "internal_error", description: expect.any(String) } });

    await sandbox.control.addFault({ type: "api_error", method: "session/status", status: 502, body: "html", version: "v1" });
    const v2 = await sandbox.api("session/status", { session_id: c.body.session.id });
    expect(v2.status).toBe(200);
    const html = await sandbox.api("session/status", { session_id: c.body.session.id }, { version: 1 });
    expect(html.status).toBe(502);
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(html.body).toBeUndefined();
  });

  test("api_error after processing: the payout exists although the answer was 5xx; the idempotent retry replays it", async () => {
    const before = (await sandbox.control.get("/sandbox/sessions")).sessions.length;
    await sandbox.control.addFault({ type: "api_error", method: "session/init/payout", when: "after", status: 500 });
    const body = { payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: hash } } }, amount_details: amount };
    const lost = await sandbox.api("session/init/payout", body, { idempotencyKey: "after-fault-1" });
    expect(lost.status).toBe(500);
    expect((await sandbox.control.get("/sandbox/sessions")).sessions.length).toBe(before + 1);
    const retry = await sandbox.api("session/init/payout", body, { idempotencyKey: "after-fault-1" });
    expect(retry.status).toBe(200);
    expect((await sandbox.control.get("/sandbox/sessions")).sessions.length).toBe(before + 1);
  });

  test("api_hang: the call hangs past the client timeout, then the connection is closed without an answer", async () => {
    await sandbox.control.addFault({ type: "api_hang", method: "session/create", count: 2, hang_ms: 600 });
    // A client with a short timeout gives up.
    await expect(sandbox.api("session/create", {}, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    // A patient client sees the connection dropped after hang_ms.
    const started = Date.now();
    await expect(sandbox.api("session/create", {})).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    const log = await sandbox.control.get("/sandbox/requests?method=session/create&limit=3");
    const hung = log.requests.filter((r: { response: { status: unknown } }) => r.response.status === "hang");
    expect(hung.length).toBeGreaterThanOrEqual(1);
    expect(hung[0].fault).toMatch(/^api_hang/);
    // Normal service afterwards.
    expect((await sandbox.api("session/create", {})).status).toBe(200);
  });
});
