import type { PrismaClient } from "../../generated/prisma/client";
import { openSecret, signatureHeader } from "./secrets";

/**
 * Sends due partner webhook deliveries (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). Any number of portal processes may run this at once:
 *
 * - a delivery is claimed with `FOR UPDATE SKIP LOCKED` and leased (`lease_until`, `leased_by`) for the
 *   timeout plus a margin, so no two processes send it concurrently, and a crashed process's lease runs out
 *   and another one sends it — with the same `webhook-id` (the delivery's id);
 * - a delivery is not claimed while an earlier delivery of the same payout (order key) to the same
 *   endpoint is still pending, so a partner hears of one payout's events in order;
 * - only a 2xx answer counts; anything else, a network error or the timeout is retried with exponential
 *   back-off and jitter until `giveUpAfterMs` after the first try (or an admin's resend), then the
 *   delivery is `failed` (visible in the endpoint's log, resendable).
 */

export interface DeliverySettings {
  /** Decrypts the endpoints' signing secrets (deriveSecretsKey). */
  secretsKey: Buffer;
  /** Names this process in leases and the attempt log. */
  runner: string;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
  giveUpAfterMs: number;
  /** Deliveries claimed (and sent concurrently) per pass. */
  batchSize?: number;
  /** How much longer than `timeoutMs` a claim is leased (default 30 s): only a crashed sender's lease runs out. */
  leaseMarginMs?: number;
}

export const WEBHOOK_RESPONSE_EXCERPT_BYTES = 1024;
const LEASE_MARGIN_MS = 30_000;

interface ClaimedDelivery {
  id: string;
  attempts: number;
  retry_window_start: Date;
  url: string;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_until: Date | null;
  body: string;
}

/** The `webhook-id` of a delivery: stable across its retries, distinct per endpoint. */
export function webhookIdOf(deliveryId: string): string {
  return `msg_${deliveryId}`;
}

async function claimDue(prisma: PrismaClient, settings: DeliverySettings): Promise<ClaimedDelivery[]> {
  const leaseMs = settings.timeoutMs + (settings.leaseMarginMs ?? LEASE_MARGIN_MS);
  return prisma.$queryRaw<ClaimedDelivery[]>`
    WITH due AS (
      SELECT d.id
        FROM partner_webhook_deliveries d
        JOIN partner_webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.status = 'pending'
         AND d.next_attempt_at <= now()
         AND (d.lease_until IS NULL OR d.lease_until < now())
         AND e.paused_at IS NULL
         AND NOT EXISTS (
               SELECT 1 FROM partner_webhook_deliveries earlier
                WHERE earlier.endpoint_id = d.endpoint_id
                  AND earlier.order_key = d.order_key
                  AND earlier.sequence < d.sequence
                  AND earlier.status = 'pending')
       ORDER BY d.next_attempt_at, d.sequence
       LIMIT ${settings.batchSize ?? 10}
         FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE partner_webhook_deliveries d
       SET lease_until = now() + ${leaseMs} * interval '1 millisecond',
           leased_by = ${settings.runner},
           attempts = d.attempts + 1
      FROM due, partner_webhook_endpoints e, partner_events ev
     WHERE d.id = due.id AND e.id = d.endpoint_id AND ev.id = d.event_id
    RETURNING d.id, d.attempts, d.retry_window_start, e.url, e.secret_encrypted, e.previous_secret_encrypted, e.previous_secret_until, ev.body`;
}

/** Exponential back-off with ±20 % jitter: base, 2·base, 4·base … capped at `retryMaxDelayMs`. */
export function retryDelayMs(attempt: number, settings: Pick<DeliverySettings, "retryBaseMs" | "retryMaxDelayMs">, random = Math.random): number {
  const delay = Math.min(settings.retryBaseMs * 2 ** Math.min(attempt - 1, 30), settings.retryMaxDelayMs);
  return Math.round(delay * (0.8 + 0.4 * random()));
}

interface AttemptResult {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < WEBHOOK_RESPONSE_EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, WEBHOOK_RESPONSE_EXCERPT_BYTES)).replace(/\uFFFD+$/u, "");
}

async function send(claimed: ClaimedDelivery, settings: DeliverySettings): Promise<AttemptResult> {
  const startedAt = new Date();
  const finish = (rest: Omit<AttemptResult, "startedAt" | "durationMs">): AttemptResult => ({ startedAt, durationMs: Date.now() - startedAt.getTime(), ...rest });
  const readable = (sealed: string) => {
    try {
      return openSecret(settings.secretsKey, sealed);
    } catch {
      return null;
    }
  };
  const current = readable(claimed.secret_encrypted);
  // Nothing is sent unsigned; the log says what an admin can do about it.
  if (current === null) return finish({ statusCode: null, error: "signing secret unreadable (NEXTAUTH_SECRET changed?): rotate the endpoint's secret", responseExcerpt: null });
  const secrets = [current];
  const overlapping = claimed.previous_secret_encrypted && claimed.previous_secret_until && claimed.previous_secret_until > startedAt ? readable(claimed.previous_secret_encrypted) : null;
  if (overlapping !== null) secrets.push(overlapping);
  const webhookId = webhookIdOf(claimed.id);
  const signal = AbortSignal.timeout(settings.timeoutMs);
  try {
    const response = await fetch(claimed.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "bank131-payout-portal-webhooks",
        "webhook-id": webhookId,
        "webhook-timestamp": String(Math.floor(startedAt.getTime() / 1000)),
        "webhook-signature": signatureHeader(secrets, webhookId, startedAt, claimed.body),
      },
      body: claimed.body,
      // A redirect is not a 2xx: the partner must register the final URL.
      redirect: "manual",
      signal,
    });
    const excerpt = await readExcerpt(response).catch(() => "");
    const ok = response.status >= 200 && response.status < 300;
    return finish({ statusCode: response.status, error: ok ? null : `HTTP ${response.status}`, responseExcerpt: excerpt });
  } catch (error) {
    const reason = signal.aborted ? `timeout after ${settings.timeoutMs} ms` : describeNetworkError(error);
    return finish({ statusCode: null, error: reason, responseExcerpt: null });
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return (cause?.code ?? cause?.message ?? (error as Error).message ?? "network error").slice(0, 200);
}

async function record(prisma: PrismaClient, claimed: ClaimedDelivery, result: AttemptResult, settings: DeliverySettings): Promise<void> {
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const finishedAt = new Date(result.startedAt.getTime() + result.durationMs);
  const giveUp = !ok && finishedAt.getTime() - claimed.retry_window_start.getTime() >= settings.giveUpAfterMs;
  // Two plain statements, no interactive transaction: a busy pool must not keep a sent delivery from being recorded.
  // The attempt first, so a settled delivery always has its log.
  await prisma.partnerWebhookAttempt.create({ data: { deliveryId: claimed.id, attempt: claimed.attempts, runner: settings.runner, ...result } });
  // Only the lease holder of this attempt settles it (a lease taken over after expiry is someone else's now).
  await prisma.partnerWebhookDelivery.updateMany({
    where: { id: claimed.id, leasedBy: settings.runner, attempts: claimed.attempts, status: "pending" },
    data: {
      leaseUntil: null,
      lastStatusCode: result.statusCode,
      lastError: result.error,
      ...(ok
        ? { status: "delivered", deliveredAt: finishedAt }
        : giveUp
          ? { status: "failed" }
          : { nextAttemptAt: new Date(finishedAt.getTime() + retryDelayMs(claimed.attempts, settings)) }),
    },
  });
}

/** One pass: claims up to `batchSize` due deliveries, sends them concurrently, records each. Returns how many were sent. */
export async function deliverDue(prisma: PrismaClient, settings: DeliverySettings): Promise<number> {
  const claimed = await claimDue(prisma, settings);
  await Promise.all(claimed.map(async (delivery) => record(prisma, delivery, await send(delivery, settings), settings)));
  return claimed.length;
}
