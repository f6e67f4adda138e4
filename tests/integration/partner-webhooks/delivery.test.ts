import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { connectDatabase } from "@/lib/db/client";
import { startPartnerWebhookDelivery, type PartnerWebhookLoop } from "@/lib/jobs/partner-webhooks";
import { serializePayoutRequest } from "@/lib/partner-api/serialize";
import { SYSTEM } from "@/lib/payouts/audit";
import { createEndpoint, CreateEndpointSchema, listDeliveries, resendDelivery, rotateEndpointSecret, updateEndpoint } from "@/lib/payouts/partner-webhooks/endpoints";
import { inTransaction } from "@/lib/payouts/transaction";
import { transition } from "@/lib/payouts/transition";
import type { DeliverySettings } from "@/lib/payouts/partner-webhooks/delivery";
import { deriveSecretsKey, newSigningSecret, sealSecret } from "@/lib/payouts/partner-webhooks/secrets";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../../helpers/database";
import { payoutRowData } from "../../helpers/payout-rows";
import { allSettled, moveThrough, payoutThrough, registerEndpoint, startWorkerProcess, TEST_SECRETS_KEY, testEndpointSettings } from "../../helpers/partner-webhooks";
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "../../helpers/webhook-receiver";

const fast: Omit<DeliverySettings, "runner"> & { pollIntervalMs: number } = {
  secretsKey: TEST_SECRETS_KEY,
  timeoutMs: 1_000,
  leaseMarginMs: 500,
  retryBaseMs: 20,
  retryMaxDelayMs: 100,
  giveUpAfterMs: 60_000,
  pollIntervalMs: 20,
};

function verify(secret: string, webhook: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(webhook.text, {
    "webhook-id": String(webhook.headers["webhook-id"]),
    "webhook-timestamp": String(webhook.headers["webhook-timestamp"]),
    "webhook-signature": String(webhook.headers["webhook-signature"]),
  });
}

describe.each(testDatabaseKinds())("signed webhooks to the partner's backend (%s)", (kind) => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  let loops: PartnerWebhookLoop[] = [];
  const startLoop = (runner: string, overrides: Partial<DeliverySettings> = {}) => {
    const loop = startPartnerWebhookDelivery(db.prisma, { ...fast, runner, ...overrides });
    loops.push(loop);
    return loop;
  };

  beforeAll(async () => {
    db = await createTestDatabase({ kind });
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver({ path: "/hooks" });
  });
  afterEach(async () => {
    await Promise.all(loops.map((loop) => loop.stop()));
    loops = [];
    await receiver.close();
    await db.prisma.partnerWebhookEndpoint.deleteMany();
  });

  it("delivers the payout as the partner API returns it, signed by the Standard Webhooks scheme", async () => {
    const { secret, endpoint } = await registerEndpoint(db.prisma, receiver.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const id = await payoutThrough(db.prisma, ["awaiting_approval", "confirming", "paid"]);
    startLoop("one");
    const paid = await receiver.waitForMatch((webhook) => webhook.json?.type === "payout.paid");

    expect(verify(secret, paid)).toEqual(paid.json);
    expect(paid.headers["webhook-id"]).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(paid.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // Another secret does not verify it.
    expect(() => verify(`whsec_${Buffer.alloc(24, 1).toString("base64")}`, paid)).toThrow();
    const row = await db.prisma.payoutRequest.findUniqueOrThrow({ where: { id } });
    expect(paid.json.data).toEqual(JSON.parse(JSON.stringify(serializePayoutRequest(row, new Date()))));
    expect(paid.json.data.status).toBe("paid");
    expect(Date.parse(paid.json.timestamp)).not.toBeNaN();
    // The awaiting_approval event came first and still says so; confirming is not partner news.
    expect(receiver.received.map((webhook) => webhook.json.type)).toEqual(["payout.awaiting_approval", "payout.paid"]);
    expect(receiver.received[0]!.json.data.status).toBe("awaiting_approval");

    await allSettled(db.prisma);
    const log = await listDeliveries(db.prisma, endpoint.id);
    expect(log.map((delivery) => [delivery.event_type, delivery.status, delivery.attempts, delivery.attempt_log[0]?.status_code])).toEqual([
      ["payout.paid", "delivered", 1, 200],
      ["payout.awaiting_approval", "delivered", 1, 200],
    ]);
    expect(log[0]!.attempt_log[0]!.response_excerpt).toBe('{"status":"ok"}');
  });

  it("retries after 500s and a timeout with the same webhook-id, and holds the payout's next event until the first is delivered", async () => {
    const { secret, endpoint } = await registerEndpoint(db.prisma, receiver.url);
    receiver.respondWith(500, "hang", 503);
    const id = await payoutThrough(db.prisma, ["awaiting_approval", "confirming", "paid"]);
    startLoop("one", { timeoutMs: 300 });
    await receiver.waitFor(5);
    await allSettled(db.prisma);

    const types = receiver.received.map((webhook) => webhook.json.type);
    expect(types).toEqual(["payout.awaiting_approval", "payout.awaiting_approval", "payout.awaiting_approval", "payout.awaiting_approval", "payout.paid"]);
    const ids = new Set(receiver.received.slice(0, 4).map((webhook) => webhook.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const webhook of receiver.received) verify(secret, webhook);
    const [paidLog, approvalLog] = await listDeliveries(db.prisma, endpoint.id);
    expect(approvalLog!.attempt_log.map((attempt) => attempt.status_code ?? attempt.error)).toEqual([500, "timeout after 300 ms", 503, 200]);
    expect(approvalLog!.status).toBe("delivered");
    expect(paidLog!.attempts).toBe(1);
    expect(paidLog!.payout_request_id).toBe(id);
  });

  it("gives up after the retry window (failed, visible), and an admin's resend delivers it with the same webhook-id", async () => {
    const { endpoint } = await registerEndpoint(db.prisma, receiver.url);
    receiver.setDefault(500);
    await payoutThrough(db.prisma, ["awaiting_approval"]);
    startLoop("one", { giveUpAfterMs: 150 });
    await receiver.waitFor(1);
    await allSettled(db.prisma);
    const [failed] = await listDeliveries(db.prisma, endpoint.id);
    expect(failed!.status).toBe("failed");
    expect(failed!.last_status_code).toBe(500);
    // Every attempt until the window closed was a 500, each recorded.
    expect(failed!.attempt_log.length).toBe(failed!.attempts);
    expect(new Set(failed!.attempt_log.map((attempt) => attempt.status_code))).toEqual(new Set([500]));

    receiver.setDefault(200);
    const before = receiver.received.length;
    await resendDelivery(db.prisma, endpoint.id, failed!.id, SYSTEM);
    const resent = await receiver.waitFor(before + 1);
    expect(resent.headers["webhook-id"]).toBe(failed!.webhook_id);
    await allSettled(db.prisma);
    expect((await listDeliveries(db.prisma, endpoint.id))[0]!.status).toBe("delivered");
  });

  it("signs with both secrets during a rotation's overlap", async () => {
    const { secret: oldSecret, endpoint } = await registerEndpoint(db.prisma, receiver.url);
    const { secret: newSecret, endpoint: rotated } = await rotateEndpointSecret(db.prisma, testEndpointSettings, endpoint.id, SYSTEM);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.previous_secret_valid_until).not.toBeNull();
    await payoutThrough(db.prisma, ["awaiting_approval"]);
    startLoop("one");
    const webhook = await receiver.waitFor(1);
    expect(String(webhook.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verify(newSecret, webhook)).toEqual(webhook.json);
    expect(verify(oldSecret, webhook)).toEqual(webhook.json);
  });

  it("a paused endpoint keeps its events until resumed; an unsubscribed type is not queued", async () => {
    const { endpoint } = await registerEndpoint(db.prisma, receiver.url, ["payout.paid"]);
    await updateEndpoint(db.prisma, testEndpointSettings, endpoint.id, { paused: true }, SYSTEM);
    const loop = startLoop("one");
    const id = await payoutThrough(db.prisma, ["awaiting_approval", "confirming", "paid"]);
    await loop.runNow();
    expect(receiver.received).toHaveLength(0);
    await updateEndpoint(db.prisma, testEndpointSettings, endpoint.id, { paused: false }, SYSTEM);
    const webhook = await receiver.waitFor(1);
    expect(webhook.json).toMatchObject({ type: "payout.paid", data: { id, status: "paid" } });
    expect(await db.prisma.partnerWebhookDelivery.count()).toBe(1);
  });

  it("loses no event across a restart: what was written while no worker ran is sent by the next one, nothing twice", async () => {
    await registerEndpoint(db.prisma, receiver.url);
    const first = startLoop("before-restart");
    const id = await payoutThrough(db.prisma, ["awaiting_approval"]);
    await receiver.waitFor(1);
    await first.stop();
    await moveThrough(db.prisma, id, ["confirming", "paid"]);
    const after = kind === "postgres" ? await connectDatabase({ kind: "postgres", url: db.url! }) : null;
    try {
      const second = startPartnerWebhookDelivery(after?.prisma ?? db.prisma, { ...fast, runner: "after-restart" });
      loops.push(second);
      await receiver.waitFor(2);
      await second.runNow();
      expect(receiver.received.map((webhook) => webhook.json.type)).toEqual(["payout.awaiting_approval", "payout.paid"]);
      expect(new Set(receiver.received.map((webhook) => webhook.headers["webhook-id"])).size).toBe(2);
    } finally {
      await loops.pop()?.stop();
      await after?.close();
    }
  });

  it("sends nothing unsigned: a secret the key cannot open is a failed attempt that says to rotate it", async () => {
    const { endpoint } = await registerEndpoint(db.prisma, receiver.url);
    await db.prisma.partnerWebhookEndpoint.update({ where: { id: endpoint.id }, data: { secretEncrypted: sealSecret(deriveSecretsKey("another-nextauth-secret-of-32-chars!"), newSigningSecret()) } });
    await payoutThrough(db.prisma, ["awaiting_approval"]);
    await startLoop("one", { giveUpAfterMs: 1 }).runNow();
    await allSettled(db.prisma);
    const [delivery] = await listDeliveries(db.prisma, endpoint.id);
    expect(delivery).toMatchObject({ status: "failed", last_error: expect.stringContaining("rotate the endpoint's secret") });
    expect(receiver.received).toHaveLength(0);
  });

  it("writes the event in the transaction of the change: a rolled-back status change leaves no event", async () => {
    await registerEndpoint(db.prisma, receiver.url);
    const row = await db.prisma.payoutRequest.create({ data: payoutRowData(new Date(), { status: "submitted" }) });
    await expect(
      inTransaction({ prisma: db.prisma, events: { publish: async () => undefined } }, async (tx) => {
        await transition(tx, row.id, "awaiting_approval", SYSTEM);
        expect(await tx.partnerEvent.count({ where: { payoutRequestId: row.id } })).toBe(1);
        throw new Error("the change fails after the transition");
      }),
    ).rejects.toThrow("the change fails");
    expect(await db.prisma.partnerEvent.count({ where: { payoutRequestId: row.id } })).toBe(0);
    expect(await db.prisma.partnerWebhookDelivery.count()).toBe(0);
  });

  it("registers only https URLs (http for loopback only when allowed), refuses credentials and unknown event types, audits changes", async () => {
    const strict = { ...testEndpointSettings, allowsHttpUrl: () => false };
    const actor = { type: "operator", id: null } as const;
    const refused = (input: unknown) => createEndpoint(db.prisma, strict, CreateEndpointSchema.parse(input), actor);
    await expect(refused({ url: "http://127.0.0.1:9/hooks", event_types: ["payout.paid"] })).rejects.toMatchObject({ code: "webhook_url_refused", details: { field: "url", params: { reason: "https_required" } } });
    await expect(refused({ url: "https://user:pw@partner.example/hooks", event_types: ["payout.paid"] })).rejects.toMatchObject({ code: "webhook_url_refused", details: { params: { reason: "credentials" } } });
    expect(CreateEndpointSchema.safeParse({ url: "ftp://partner.example/", event_types: ["payout.paid"] }).success).toBe(false);
    expect(CreateEndpointSchema.safeParse({ url: "https://partner.example/", event_types: ["payout.teleported"] }).success).toBe(false);
    expect(CreateEndpointSchema.safeParse({ url: "https://partner.example/", event_types: [] }).success).toBe(false);
    const { endpoint, secret } = await refused({ url: "https://partner.example/hooks", event_types: ["payout.paid", "payout.paid"] });
    expect(endpoint.event_types).toEqual(["payout.paid"]);
    const stored = await db.prisma.partnerWebhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(stored.secretEncrypted).not.toContain(secret.slice(6));
    const audited = await db.prisma.auditEvent.findMany({ where: { action: { startsWith: "partner_webhook." } }, orderBy: { at: "asc" } });
    expect(audited.map((event) => event.action)).toContain("partner_webhook.created");
    expect(JSON.stringify(audited.map((event) => event.data))).not.toContain(secret.slice(6));
  });

  it("keeps each payout's order and sends each event once with two workers sharing the database", async () => {
    await registerEndpoint(db.prisma, receiver.url);
    receiver.setHandler((webhook) => (webhook.index % 3 === 0 ? 500 : 200));
    const ids = await Promise.all(Array.from({ length: 4 }, () => payoutThrough(db.prisma, ["awaiting_approval", "confirming", "paid"])));
    // Generous timeout and lease: on a loaded machine a timed-out attempt would be re-sent (at least once), which is not what this checks.
    startLoop("a", { timeoutMs: 5_000, leaseMarginMs: 5_000 });
    startLoop("b", { timeoutMs: 5_000, leaseMarginMs: 5_000 });
    await allSettled(db.prisma);
    const delivered = receiver.received.filter((webhook) => webhook.answeredWith === 200);
    expect(delivered).toHaveLength(8);
    expect(new Set(delivered.map((webhook) => webhook.headers["webhook-id"])).size).toBe(8);
    for (const id of ids) {
      const types = delivered.filter((webhook) => webhook.json.data.id === id).map((webhook) => webhook.json.type);
      expect(types).toEqual(["payout.awaiting_approval", "payout.paid"]);
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL?.trim())("partner webhook delivery across processes (PostgreSQL)", () => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  const workers: Awaited<ReturnType<typeof startWorkerProcess>>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ kind: "postgres" });
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver({ path: "/hooks" });
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await receiver.close();
    await db.prisma.partnerWebhookEndpoint.deleteMany();
  });

  it("the outbox survives a kill -9 of the delivering process mid-delivery: another process sends it, same webhook-id", async () => {
    const { secret } = await registerEndpoint(db.prisma, receiver.url);
    receiver.respondWith("hang");
    await payoutThrough(db.prisma, ["awaiting_approval"]);
    const doomed = await startWorkerProcess(db.url!, "doomed", { timeoutMs: 2_000 });
    workers.push(doomed);
    const held = await receiver.waitFor(1, 20_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${doomed.output()}`);
    });
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    expect(await db.prisma.partnerWebhookDelivery.findFirstOrThrow()).toMatchObject({ status: "pending", leasedBy: "doomed" });

    workers.push(await startWorkerProcess(db.url!, "survivor", { timeoutMs: 2_000 }));
    const again = await receiver.waitFor(2, 20_000);
    expect(again.headers["webhook-id"]).toBe(held.headers["webhook-id"]);
    expect(verify(secret, again)).toEqual(held.json);
    await allSettled(db.prisma);
    const delivery = await db.prisma.partnerWebhookDelivery.findFirstOrThrow({ include: { attemptLog: true } });
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
    // The killed process never recorded its attempt; the survivor's is the one in the log.
    expect(delivery.attemptLog.map((attempt) => [attempt.runner, attempt.statusCode])).toEqual([["survivor", 200]]);
  });

  it("two delivering processes send each event exactly once, each payout in order", async () => {
    await registerEndpoint(db.prisma, receiver.url);
    workers.push(await startWorkerProcess(db.url!, "first"), await startWorkerProcess(db.url!, "second"));
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await payoutThrough(db.prisma, ["awaiting_approval", "confirming", "paid"]));
    await receiver.waitFor(20, 30_000);
    await allSettled(db.prisma);
    expect(receiver.received).toHaveLength(20);
    expect(new Set(receiver.received.map((webhook) => webhook.headers["webhook-id"])).size).toBe(20);
    for (const id of ids) {
      expect(receiver.received.filter((webhook) => webhook.json.data.id === id).map((webhook) => webhook.json.type)).toEqual(["payout.awaiting_approval", "payout.paid"]);
    }
    const runners = await db.prisma.partnerWebhookAttempt.groupBy({ by: ["runner"], _count: true });
    expect(runners.length).toBeGreaterThanOrEqual(1);
  });
});
