import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { SETTLED_STATUSES } from "./state-machine";

/**
 * Retention: what the portal stops keeping after a while. Old verified webhooks, rejected-delivery
 * samples, partner idempotency records, the bodies of old bank calls and expired rate-limit
 * counters. Never anything an unsettled payout still needs: the webhooks and bank-call bodies of a
 * payout that is not settled (paid, failed, cancelled, refunded, expired) stay however old they are.
 * Audit events are never purged (append-only, hash-chained). Deletes go in batches so one pass
 * never holds a long lock on a large table.
 */

export interface RetentionSettings {
  webhookMs: number;
  rejectedWebhookMs: number;
  idempotencyMs: number;
  bankCallBodyMs: number;
}

export interface RetentionReport {
  webhooks: number;
  rejectedWebhooks: number;
  idempotencyRecords: number;
  bankCallBodies: number;
  rateLimitCounters: number;
}

const BATCH = 5_000;

const settled = Prisma.join([...SETTLED_STATUSES].map((status) => Prisma.sql`${status}`));

/** Repeats a batched statement until a batch touches fewer rows than the batch size. */
async function inBatches(run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await run();
    total += count;
    if (count < BATCH) return total;
  }
}

export async function purgeExpired(prisma: PrismaClient, settings: RetentionSettings, now: Date = new Date()): Promise<RetentionReport> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const webhookCutoff = before(settings.webhookMs);
  const rejectedCutoff = before(settings.rejectedWebhookMs);
  const idempotencyCutoff = before(settings.idempotencyMs);
  const bankCallCutoff = before(settings.bankCallBodyMs);

  const webhooks = await inBatches(
    () => prisma.$executeRaw`
      DELETE FROM webhook_inbox WHERE id IN (
        SELECT w.id FROM webhook_inbox w
        WHERE w.verdict = 'verified' AND w.received_at < ${webhookCutoff}
          AND NOT EXISTS (
            SELECT 1 FROM bank_sessions s JOIN payout_requests r ON r.id = s.payout_request_id
            WHERE s.bank_session_id = w.bank_session_id AND r.status::text NOT IN (${settled}))
        LIMIT ${BATCH})`,
  );
  const rejectedWebhooks = await inBatches(
    () => prisma.$executeRaw`
      DELETE FROM webhook_inbox WHERE id IN (
        SELECT id FROM webhook_inbox WHERE verdict = 'rejected' AND received_at < ${rejectedCutoff} LIMIT ${BATCH})`,
  );
  const idempotencyRecords = await inBatches(
    () => prisma.$executeRaw`
      DELETE FROM idempotency_records WHERE id IN (
        SELECT id FROM idempotency_records WHERE created_at < ${idempotencyCutoff} LIMIT ${BATCH})`,
  );
  const bankCallBodies = await inBatches(
    () => prisma.$executeRaw`
      UPDATE bank_calls SET request_body = NULL, response_body = NULL WHERE id IN (
        SELECT c.id FROM bank_calls c LEFT JOIN payout_requests r ON r.id = c.payout_request_id
        WHERE c.created_at < ${bankCallCutoff}
          AND (c.request_body IS NOT NULL OR c.response_body IS NOT NULL)
          AND (r.id IS NULL OR r.status::text IN (${settled}))
        LIMIT ${BATCH})`,
  );
  const rateLimitCounters = await prisma.rateLimit.deleteMany({ where: { expire: { lt: now } } });
  return { webhooks, rejectedWebhooks, idempotencyRecords, bankCallBodies, rateLimitCounters: rateLimitCounters.count };
}
