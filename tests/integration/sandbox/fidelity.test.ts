import { describe, expect, test } from "vitest";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { withSandboxSuite } from "@/tests/helpers/sandbox-suite";
import type { WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/**
 * Behaviours the reference documents and the sandbox must not hide (issue 9, item 9). The webhook
 * settings are left unset here, so the suite sees the sandbox's default redelivery schedule.
 */

let sandbox: SandboxProcess;
let receiver: WebhookReceiver;
withSandboxSuite((suite) => ({ sandbox, receiver } = suite), {
  env: { SANDBOX_WEBHOOK_BACKOFF_BASE_MS: "", SANDBOX_WEBHOOK_BACKOFF_MAX_MS: "", SANDBOX_WEBHOOK_MAX_ATTEMPTS: "" },
});

const THIRTY_MINUTES = 30 * 60 * 1000;

describe("session/cancel on a created session (reference §3.1: created waits for start/cancel)", () => {
  test("is allowed: the session is cancelled and cannot be started afterwards", async () => {
    const created = await sandbox.api("session/create", {});
    const sessionId = created.body.session.id as string;

    const cancelled = await sandbox.api("session/cancel", { session_id: sessionId });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.session).toMatchObject({ id: sessionId, status: "cancelled" });

    const status = await sandbox.api("session/status", { session_id: sessionId });
    expect(status.body.session.status).toBe("cancelled");
    const { number_hash } = await sandbox.control.card("2200240000014940");
    const start = await sandbox.api("session/start/payout", {
      session_id: sessionId,
      payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash } } },
      amount_details: { amount: 10_000, currency: "rub" },
    });
    expect(start.status).toBe(409);
    expect(start.body.error.code).toBe("session_cancelled");
  });
});

describe("webhook redelivery ('keeps re-sending until it gets a reply')", () => {
  test("the default schedule keeps retrying for at least 30 minutes", async () => {
    const health = await sandbox.control.get("/sandbox/health");
    expect(health.webhook.retry_span_ms).toBeGreaterThanOrEqual(THIRTY_MINUTES);

    // A delivery refused once is still pending, retried after the first back-off step.
    const created = await sandbox.api("session/create", {});
    const sessionId = created.body.session.id as string;
    receiver.setHandler((w) => (w.json?.session?.id === sessionId ? 500 : 200));
    try {
      const { webhook } = await sandbox.control.post("/sandbox/webhooks/trigger", { session_id: sessionId, type: "payment_finished" });
      await expect
        .poll(async () => (await sandbox.control.webhooks(sessionId)).find((d: { id: string }) => d.id === webhook.id)?.attempts.length, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(1);
      const delivery = (await sandbox.control.webhooks(sessionId)).find((d: { id: string }) => d.id === webhook.id);
      expect(delivery.status).toBe("pending");
      expect(Date.parse(delivery.retry_until) - Date.parse(delivery.attempts[0].started_at)).toBeGreaterThanOrEqual(THIRTY_MINUTES);
    } finally {
      receiver.setHandler(null);
    }
  });
});
