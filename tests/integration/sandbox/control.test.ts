import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** Control API, the `/` page, start-up and configuration errors. */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;

withSandboxSuite((suite) => ({ sandbox, receiver } = suite));

describe("control API", () => {
  test("health reports the process and its configuration", async () => {
    const health = await sandbox.control.get("/sandbox/health");
    expect(health).toMatchObject({ status: "ok", pid: sandbox.pid(), project: sandbox.project, webhook_url: receiver.url });
  });

  test("requests log: method, path, headers without secrets, body, response, time", async () => {
    await sandbox.api("session/create", { metadata: "log-me" }, { idempotencyKey: "log-key" });
    const { requests } = await sandbox.control.get("/sandbox/requests?method=session/create&limit=1");
    expect(requests).toHaveLength(1);
    const entry = requests[0];
    expect(entry).toMatchObject({
      method: "session/create",
      http_method: "POST",
      path: "/api/v2/session/create",
      api_version: 2,
      body: { metadata: "log-me" },
      response: { status: 200, body: { status: "ok", session: expect.objectContaining({ status: "created" }) } },
      at: expect.any(String),
    });
    expect(entry.headers["x-partner-project"]).toBe(sandbox.project);
    expect(entry.headers["x-partner-idempotency-key"]).toBe("log-key");
    expect(entry.headers["x-partner-sign"]).toBe("<344 chars>");
  });

  test("sessions list and detail, webhook list and trigger", async () => {
    const { number_hash } = await sandbox.control.card("2200240000014940");
    const init = await sandbox.api("session/init/payout", { payment_method: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash } } }, amount_details: { amount: 123_456, currency: "rub" } }, { version: 1 });
    const id = init.body.session.id;
    await receiver.waitForMatch((w) => w.json?.session?.id === id && w.json.type === "ready_to_confirm");
    const detail = await sandbox.control.session(id);
    expect(detail).toMatchObject({
      kind: "payout",
      api_version: 1,
      behaviour: { kind: "success" },
      instrument: "mir 220024••4940",
      session: { id, status: "in_progress", next_action: "confirm" },
      webhooks: [{ type: "ready_to_confirm", status: expect.stringMatching(/pending|delivered/) }],
    });
    expect(detail.pending_jobs).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "confirm_deadline" })]));
    const list = await sandbox.control.get("/sandbox/sessions");
    expect(list.sessions.map((s: { session: { id: string } }) => s.session.id)).toContain(id);

    const triggered = await sandbox.control.post("/sandbox/webhooks/trigger", { session_id: id, type: "action_required" });
    expect(triggered.webhook).toMatchObject({ type: "action_required", session_id: id, source: "trigger" });
    const got = await receiver.waitForMatch((w) => w.json?.type === "action_required" && w.json.session.id === id);
    // The triggered webhook uses the session's v1 spelling.
    expect(got.json.session.payments).toHaveLength(1);
    const deliveries = await sandbox.control.webhooks(id);
    expect(deliveries.map((d) => d.type)).toEqual(["ready_to_confirm", "action_required"]);
    expect(deliveries[0].attempts[0]).toMatchObject({ n: 1, status_code: 200, signature: "bank", started_at: expect.any(String) });

    const unknown = await fetch(`${sandbox.url}/sandbox/webhooks/trigger`, { method: "POST", body: JSON.stringify({ session_id: "ps_0", type: "payment_finished" }) });
    expect(unknown.status).toBe(400);
    expect((await fetch(`${sandbox.url}/sandbox/sessions/ps_0`)).status).toBe(404);
  });

  test("test instruments and card registration", async () => {
    const instruments = await sandbox.control.get("/sandbox/test-instruments");
    expect(instruments.cards.length).toBeGreaterThanOrEqual(11);
    expect(instruments.cards[0]).toMatchObject({ id: "mir_success", number_hash: expect.stringMatching(/^[0-9a-f]{64}$/), token: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(instruments.bank_accounts.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining(["account_success", "account_not_found", "account_refunded"]));
    const bad = await fetch(`${sandbox.url}/sandbox/cards`, { method: "POST", body: JSON.stringify({ number: "4276000000000018" }) });
    expect(bad.status).toBe(400);
    const malformed = await fetch(`${sandbox.url}/sandbox/cards`, { method: "POST", body: "{" });
    expect(malformed.status).toBe(400);
  });
});

describe("the / page", () => {
  test("lists sessions with status, masked instrument and ru-RU amount, webhooks with attempts, and the test cards", async () => {
    const res = await fetch(`${sandbox.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("<h2>Sessions");
    expect(html).toContain("mir 220024••4940");
    // 123 456 kopecks = "1 234,56 ₽" (ru-RU, no-break spaces).
    expect(html).toMatch(/1\s234,56\s₽/u);
    expect(html).toContain("ready_to_confirm");
    expect(html).toContain("#1 200");
    expect(html).toContain("2200 2400 0001 4940");
    expect(html).toContain("40817810800000000404");
    expect(html).not.toMatch(/[0-9a-f]{64}/);
  });
});

describe("process", () => {
  test("starts quickly and prints its URL", () => {
    expect(sandbox.output()).toContain(`Bank 131 sandbox listening on ${sandbox.url}`);
    // Spawn → healthy, including Node and tsx start-up (target < 2 s; generous bound for loaded CI).
    expect(sandbox.startupMs).toBeLessThan(5_000);
  });

  test("bad configuration: one clear line and exit code 1", () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    for (const [name, value] of [
      ["SANDBOX_PORT", "not-a-port"],
      ["SANDBOX_WEBHOOK_URL", "ftp://example"],
      ["SANDBOX_PARTNER_PUBLIC_KEY_FILE", "/nonexistent/key.pem"],
    ] as const) {
      const result = spawnSync(process.execPath, ["--import", "tsx", "sandbox/main.ts"], {
        cwd: root,
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", SANDBOX_DATA_DIR: path.join(sandbox.dataDir, "unused"), [name]: value },
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(result.status, result.stderr).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(name);
    }
  });
});
