import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimits, type RateLimitSettings } from "@/lib/auth/rate-limits";
import { signBody } from "@/lib/bank131/signature";
import { createEventBus, type EventBus } from "@/lib/events/bus";
import { toErrorAnswer } from "@/lib/http/errors";
import { createApiKey } from "@/lib/partner-api/keys";
import { authenticatePartnerWithinLimits } from "@/lib/partner-api/service";
import { purgeExpired } from "@/lib/payouts/retention";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import type { PayoutDeps } from "@/lib/payouts/deps";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../../helpers/database";

const limitsOf = (overrides: Partial<RateLimitSettings>): RateLimitSettings => ({
  partnerPerKey: { points: 1000, durationSeconds: 60 },
  partnerBadKeysPerAddress: { points: 1000, durationSeconds: 3600 },
  linkWidgetTokens: { points: 1000, durationSeconds: 3600 },
  linkCardChecks: { points: 1000, durationSeconds: 3600 },
  linkAccountTokenize: { points: 1000, durationSeconds: 3600 },
  linkRetries: { points: 1000, durationSeconds: 3600 },
  linkSbpVerifications: { points: 1000, durationSeconds: 3600 },
  webhookRejectionsPerAddress: { points: 1000, durationSeconds: 60 },
  ...overrides,
});

/** What the route answers for a thrown refusal: status, body code and Retry-After. */
async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, "expected a refusal").not.toBeNull();
  const answer = toErrorAnswer(error);
  return { status: answer.status, code: answer.body.error.code, params: answer.body.error.params, retryAfter: answer.headers["retry-after"] };
}

describe.each(testDatabaseKinds())("rate limits, forged webhooks and retention (%s)", (kind) => {
  let database: TestDatabase;
  let events: EventBus;
  const bank = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const forger = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const deps = (now?: () => Date): PayoutDeps & { bankPublicKey: typeof bank.publicKey } =>
    ({ prisma: database.prisma, events, bankPublicKey: bank.publicKey, now }) as unknown as PayoutDeps & { bankPublicKey: typeof bank.publicKey };

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    events = createEventBus(database);
  });
  afterAll(async () => {
    await events?.close();
    await database?.drop();
  });

  it.each(["database", "memory"] as const)("a %s-backed limit answers 429 rate_limited with Retry-After once used up, per subject", async (store) => {
    const limits = createRateLimits(store === "database" ? { kind: "database", prisma: database.prisma } : { kind: "memory" }, limitsOf({ linkCardChecks: { points: 3, durationSeconds: 3600 } }));
    const link = `link-${store}-${randomUUID()}`;
    for (let i = 0; i < 3; i++) await limits.consume("linkCardChecks", link);
    const refused = await refusalOf(limits.consume("linkCardChecks", link));
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(Number(refused.retryAfter)).toBeGreaterThan(3500);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600);
    expect(refused.params).toEqual({ retryAfterSeconds: Number(refused.retryAfter) });
    await expect(limits.check("linkCardChecks", link)).rejects.toMatchObject({ code: "rate_limited" });
    // Another link and another action are counted apart.
    await limits.consume("linkCardChecks", `other-${link}`);
    await limits.consume("linkWidgetTokens", link);
    if (store === "database") expect(await database.prisma.rateLimit.count({ where: { key: { startsWith: "link_card_checks:" } } })).toBeGreaterThanOrEqual(2);
  });

  it("partner API: wrong keys lock the address out (even with a right key after), a right key has its own rate", async () => {
    const limits = createRateLimits({ kind: "memory" }, limitsOf({ partnerBadKeysPerAddress: { points: 3, durationSeconds: 3600 }, partnerPerKey: { points: 5, durationSeconds: 60 } }));
    const { key, id } = await createApiKey(database.prisma, { name: `limits-${kind}`, actor: { type: "system" } });
    const wrong = new Headers({ authorization: `Bearer pk_live_${"0".repeat(12)}_${"1".repeat(48)}` });
    const right = new Headers({ authorization: `Bearer ${key}` });
    const auth = (headers: Headers, address: string) => authenticatePartnerWithinLimits(database.prisma, headers, limits, address);

    for (let i = 0; i < 3; i++) expect((await refusalOf(auth(wrong, "203.0.113.7"))).status).toBe(401);
    expect(await refusalOf(auth(wrong, "203.0.113.7"))).toMatchObject({ status: 429, code: "rate_limited" });
    expect(await refusalOf(auth(right, "203.0.113.7"))).toMatchObject({ status: 429, code: "rate_limited" });

    // From another address the key works, up to its own rate.
    for (let i = 0; i < 5; i++) expect(await auth(right, "198.51.100.1")).toMatchObject({ apiKeyId: id });
    const overRate = await refusalOf(auth(right, "198.51.100.1"));
    expect(overRate).toMatchObject({ status: 429, code: "rate_limited" });
    expect(Number(overRate.retryAfter)).toBeLessThanOrEqual(60);
  });

  it("50 forged 60 KB webhooks: all refused, no body stored, at most the per-minute cap of samples, the sender limited", async () => {
    const limits = createRateLimits({ kind: "memory" }, limitsOf({ webhookRejectionsPerAddress: { points: 30, durationSeconds: 60 } }));
    // A minute of its own, so samples of other tests do not count against the cap.
    const minute = new Date(Date.now() + 10 * 24 * 3600_000);
    const body = JSON.stringify({ type: "payment_finished", session: { id: "ps_forged_1", status: "accepted" }, padding: "x".repeat(60 * 1024) });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const signature = i % 2 === 0 ? signBody(body, forger.privateKey) : null;
      const delivery = { rawBody: Buffer.from(body), signature, address: "203.0.113.66" };
      const answer = await ingestWebhook(deps(() => minute), delivery, {
        samplesPerMinute: 20,
        beforeSample: () => limits.consume("webhookRejectionsPerAddress", "203.0.113.66"),
      }).then(
        (outcome) => (outcome.accepted ? 200 : 401),
        (error: unknown) => toErrorAnswer(error).status,
      );
      statuses.push(answer);
    }
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(30).every((status) => status === 429)).toBe(true);

    const samples = await database.prisma.webhookInbox.findMany({ where: { verdict: "rejected", clientAddress: "203.0.113.66" } });
    expect(samples).toHaveLength(20);
    for (const sample of samples) {
      expect(sample).toMatchObject({ rawBody: null, signature: null, bodyBytes: Buffer.byteLength(body), namedSessionId: "ps_forged_1", effect: "rejected:signature" });
      expect(sample.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const [totals] = await database.prisma.$queryRaw<Array<{ stored: bigint }>>`
      SELECT coalesce(sum(octet_length(coalesce(raw_body, '')) + octet_length(coalesce(signature, ''))), 0)::bigint AS stored
      FROM webhook_inbox WHERE verdict = 'rejected' AND client_address = '203.0.113.66'`;
    expect(Number(totals?.stored)).toBe(0);

    // The bank behind the same (now limited) address still gets its signed deliveries accepted.
    const real = JSON.stringify({ type: "some_future_event", session: { id: "ps_real_1" } });
    const outcome = await ingestWebhook(deps(() => minute), { rawBody: Buffer.from(real), signature: signBody(real, bank.privateKey), address: "203.0.113.66" }, {
      beforeSample: () => limits.consume("webhookRejectionsPerAddress", "203.0.113.66"),
    });
    expect(outcome).toMatchObject({ accepted: true, duplicate: false });
  });

  it("concurrent forgeries cannot slip past the sample cap", async () => {
    const minute = new Date(Date.now() + 20 * 24 * 3600_000);
    const body = Buffer.from(JSON.stringify({ type: "payment_finished", session: { id: "ps_burst" } }));
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, (_, i) => ingestWebhook(deps(() => minute), { rawBody: body, signature: null, address: `198.51.100.${i}` }, { samplesPerMinute: 5 })),
    );
    expect(outcomes.every((outcome) => !outcome.accepted)).toBe(true);
    expect(outcomes.filter((outcome) => !outcome.accepted && outcome.sampled)).toHaveLength(5);
    expect(await database.prisma.webhookInbox.count({ where: { namedSessionId: "ps_burst" } })).toBe(5);
  });

  it("retention purges old rows but keeps what an unsettled payout still needs", async () => {
    const prisma = database.prisma;
    const now = new Date();
    const old = new Date(now.getTime() - 400 * 24 * 3600_000);
    const payout = async (status: "paid" | "awaiting_approval") => {
      const request = await prisma.payoutRequest.create({
        data: {
          status,
          amountKopecks: 10_000n,
          recipientName: "Иванов Иван",
          purpose: "Выплата",
          method: "card_widget",
          linkTokenHash: randomBytes(32).toString("hex"),
          linkExpiresAt: now,
        },
      });
      const bankSessionId = `ps_ret_${randomUUID()}`;
      await prisma.bankSession.create({ data: { payoutRequestId: request.id, bankSessionId, idempotencyKey: randomUUID(), flow: "create_start", startPlan: {} } });
      const webhook = await prisma.webhookInbox.create({
        data: { verdict: "verified", dedupeKey: randomBytes(32).toString("hex"), rawBody: "{}", bankSessionId, receivedAt: old },
      });
      const call = await prisma.bankCall.create({
        data: { payoutRequestId: request.id, method: "session/status", requestBody: { session_id: bankSessionId }, responseBody: { ok: true }, outcome: "ok", durationMs: 5, createdAt: old },
      });
      return { webhookId: webhook.id, callId: call.id };
    };
    const settled = await payout("paid");
    const unsettled = await payout("awaiting_approval");
    const oldRejected = await prisma.webhookInbox.create({ data: { verdict: "rejected", receivedAt: old, bodyBytes: 1 } });
    const newRejected = await prisma.webhookInbox.create({ data: { verdict: "rejected", receivedAt: now, bodyBytes: 1 } });
    const apiKey = await prisma.apiKey.create({ data: { name: "ret", prefix: randomBytes(6).toString("hex"), keyHash: randomBytes(32).toString("hex") } });
    const oldKey = await prisma.idempotencyRecord.create({ data: { apiKeyId: apiKey.id, key: "old", requestHash: "a".repeat(64), createdAt: old } });
    const newKey = await prisma.idempotencyRecord.create({ data: { apiKeyId: apiKey.id, key: "new", requestHash: "a".repeat(64) } });
    await prisma.rateLimit.create({ data: { key: "link_retries:expired", points: 3, expire: old } });

    const day = 24 * 3600_000;
    const report = await purgeExpired(prisma, { webhookMs: 180 * day, rejectedWebhookMs: 30 * day, idempotencyMs: 30 * day, bankCallBodyMs: 180 * day }, now);
    expect(report.webhooks).toBeGreaterThanOrEqual(1);
    expect(report.rejectedWebhooks).toBeGreaterThanOrEqual(1);

    const exists = async (id: string) => (await prisma.webhookInbox.count({ where: { id } })) === 1;
    expect(await exists(settled.webhookId)).toBe(false);
    expect(await exists(unsettled.webhookId)).toBe(true);
    expect(await exists(oldRejected.id)).toBe(false);
    expect(await exists(newRejected.id)).toBe(true);
    expect(await prisma.idempotencyRecord.count({ where: { id: { in: [oldKey.id, newKey.id] } } })).toBe(1);
    expect(await prisma.idempotencyRecord.findUnique({ where: { id: newKey.id } })).not.toBeNull();
    // Bank calls stay on the timeline; only a settled payout's old bodies go.
    expect(await prisma.bankCall.findUniqueOrThrow({ where: { id: settled.callId } })).toMatchObject({ requestBody: null, responseBody: null, method: "session/status" });
    expect(await prisma.bankCall.findUniqueOrThrow({ where: { id: unsettled.callId } })).toMatchObject({ requestBody: { session_id: expect.any(String) }, responseBody: { ok: true } });
    expect(await prisma.rateLimit.count({ where: { key: "link_retries:expired" } })).toBe(0);

    // A second pass finds nothing more to do.
    const again = await purgeExpired(prisma, { webhookMs: 180 * day, rejectedWebhookMs: 30 * day, idempotencyMs: 30 * day, bankCallBodyMs: 180 * day }, now);
    expect(again).toEqual({ webhooks: 0, rejectedWebhooks: 0, idempotencyRecords: 0, bankCallBodies: 0, rateLimitCounters: 0 });
  });
});
