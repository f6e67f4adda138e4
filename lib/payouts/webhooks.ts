import { createHash, type KeyObject } from "node:crypto";
import { Bank131ProtocolError, Bank131WebhookSignatureError } from "../bank131/errors";
import type { Webhook } from "../bank131/schemas";
import { parseWebhook, webhookDeliveryKey, webhookEffect } from "../bank131/webhook";
import type { Prisma } from "../generated/prisma/client";
import { applyBankNewsInTx, type ApplyResult } from "./apply";
import { isDataRejection, isUniqueViolation } from "../db/errors";
import { nowOf, type PayoutDeps } from "./deps";
import { uuidv7, type SqlFragment } from "../db/sql";
import { inSqlTransaction } from "./transaction";

/**
 * Flow 2: a webhook from the bank. The signature is checked on the raw bytes before anything is
 * parsed; a verified delivery is stored in the inbox in the SAME transaction as its effect, and
 * acknowledged only after that commit. The same bytes again change nothing (unique dedupe key);
 * different bytes with old news change nothing either (the state machine is forward-only).
 */

export type WebhookOutcome =
  | { accepted: false; reason: string; /** False past the per-minute sample cap: nothing was stored. */ sampled: boolean }
  | { accepted: true; duplicate: boolean; effect: string; payoutRequestId: string | null };

/** Rejected deliveries sampled per minute unless the caller says otherwise (WEBHOOK_REJECTION_SAMPLES_PER_MINUTE). */
export const DEFAULT_REJECTION_SAMPLES_PER_MINUTE = 20;

/** Serializes the cap check and the insert of rejection samples (transaction-scoped, cheap). */
const REJECTION_SAMPLE_LOCK_ID = 131_000_133;

export interface RejectionOptions {
  /** At most this many rejected deliveries (all senders together) are sampled per minute. */
  samplesPerMinute?: number;
  /** Runs before a rejection is sampled; throwing (e.g. the sender's rate limit) stores nothing. */
  beforeSample?: () => Promise<void>;
}

/**
 * The session id an untrusted body names (`session.id`), only as a short token: it lets a payout's
 * timeline find forgeries about it through an index. Never trusted for anything else.
 */
function namedSessionId(rawBody: Buffer): string | null {
  try {
    const parsed = JSON.parse(rawBody.toString("utf8")) as { session?: { id?: unknown } } | null;
    const id = parsed?.session?.id;
    return typeof id === "string" && /^[A-Za-z0-9_.:-]{1,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * A forged or mis-signed delivery costs nothing to keep: no body and no signature, only a bounded
 * sample (sha256, size, sender address, reason, claimed session id), and none at all past
 * `samplesPerMinute` in the last minute (the count is taken under an advisory lock, so concurrent
 * forgeries cannot slip past the cap). Returns whether a sample was stored.
 */
async function sampleRejection(
  deps: PayoutDeps,
  delivery: { rawBody: Buffer; signature: string | null; address?: string },
  reason: string,
  samplesPerMinute: number,
): Promise<boolean> {
  const now = nowOf(deps);
  return deps.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${REJECTION_SAMPLE_LOCK_ID})`;
    const recent = await tx.webhookInbox.count({ where: { verdict: "rejected", receivedAt: { gt: new Date(now.getTime() - 60_000) } } });
    if (recent >= samplesPerMinute) return false;
    await tx.webhookInbox.create({
      data: {
        verdict: "rejected",
        rejectReason: reason.slice(0, 200),
        rawBody: null,
        signature: null,
        signaturePresent: Boolean(delivery.signature),
        bodySha256: createHash("sha256").update(delivery.rawBody).digest("hex"),
        bodyBytes: delivery.rawBody.byteLength,
        clientAddress: delivery.address?.slice(0, 64) ?? null,
        namedSessionId: namedSessionId(delivery.rawBody),
        receivedAt: now,
        processedAt: now,
        effect: "rejected:signature",
      },
    });
    return true;
  });
}

/**
 * The `confirm_information` subtree of the delivery exactly as the bank wrote it (seed 004: "Save it, as
 * you will need this object to confirm or cancel"): taken from the raw bytes, not from the parsed
 * webhook, whose schema renames fields and drops unknown ones.
 */
function rawConfirmInformation(rawBody: Buffer): Prisma.InputJsonValue | undefined {
  const raw = JSON.parse(rawBody.toString("utf8")) as { confirm_information?: Prisma.InputJsonValue | null };
  return raw.confirm_information ?? undefined;
}

export async function ingestWebhook(
  deps: PayoutDeps & { bankPublicKey: KeyObject },
  delivery: { rawBody: Buffer; signature: string | null; address?: string },
  rejection: RejectionOptions = {},
): Promise<WebhookOutcome> {
  let webhook: Webhook | null = null;
  let unparseable: string | null = null;
  try {
    webhook = parseWebhook(delivery.rawBody, delivery.signature, deps.bankPublicKey);
  } catch (error) {
    if (error instanceof Bank131WebhookSignatureError) {
      await rejection.beforeSample?.();
      const sampled = await sampleRejection(deps, delivery, error.message, rejection.samplesPerMinute ?? DEFAULT_REJECTION_SAMPLES_PER_MINUTE);
      return { accepted: false, reason: error.message, sampled };
    }
    if (!(error instanceof Bank131ProtocolError)) throw error;
    // Signed by the bank but not understood: keep it (replayable after a fix) and acknowledge, so
    // the bank does not retry a delivery that can never succeed.
    unparseable = error.message;
  }

  const dedupeKey = webhookDeliveryKey(delivery.rawBody);
  const meta = webhook ? webhookEffect(webhook) : null;
  const inbox = { dedupeKey, signature: delivery.signature, eventType: webhook?.type ?? null, bankSessionId: meta?.sessionId ?? null };
  try {
    // Plain SQL on the database's own connection (deps.sql): the ORM's interactive transaction cost
    // several times the CPU of the statements on this, the portal's busiest write path.
    const { effect, result } = await inSqlTransaction(deps, async (tx, emit) => {
      let effect: string;
      let result: ApplyResult | null = null;
      // Stored with its effect in one statement (for known news, the one that updates the session); the
      // same delivery again fails there on the dedupe key and rolls back whatever it applied (a
      // concurrent twin waits on the session's row lock first).
      const record = (applied: string) => inboxRow({ ...inbox, rawBody: delivery.rawBody.toString("utf8"), effect: applied, processedAt: nowOf(deps) });
      if (webhook?.known && !unparseable) {
        const confirmInformation = webhook.confirm_information ? rawConfirmInformation(delivery.rawBody) : undefined;
        result = await applyBankNewsInTx(tx, { session: webhook.session, source: "webhook", webhookType: webhook.type, confirmInformation, record }, nowOf(deps));
        effect = result.effect;
      } else {
        effect = unparseable ? `error:unparseable (${unparseable.slice(0, 200)})` : `ignored:unknown_type(${webhook?.type ?? "?"})`;
        const row = record(effect);
        await tx.execute(row.text, row.params);
      }
      emit({ type: "webhook.received", payoutRequestId: result?.payoutRequestId ?? undefined });
      return { effect, result };
    });
    return { accepted: true, duplicate: false, effect, payoutRequestId: result?.payoutRequestId ?? null };
  } catch (error) {
    if (isUniqueViolation(error)) {
      // The same delivery again (a retry, or a concurrent duplicate that lost the race).
      await countRedelivery(deps, dedupeKey);
      return { accepted: true, duplicate: true, effect: "duplicate", payoutRequestId: null };
    }
    if (!isDataRejection(error)) throw error;
    // Signed, but holding values the database refuses: answering 500 would make the bank re-send the
    // same bytes forever. Keep it visible (and replayable once the code copes) and acknowledge it.
    const effect = `error:unstorable (${String((error as Error).message).replace(/\s+/g, " ").slice(0, 200)})`;
    let duplicate = false;
    await inSqlTransaction(deps, async (tx, emit) => {
      const row = inboxRow({
        ...inbox,
        rawBody: delivery.rawBody.toString("utf8").replaceAll("\u0000", "\uFFFD"),
        effect: effect.replaceAll("\u0000", "\uFFFD"),
        processedAt: nowOf(deps),
      });
      await tx.execute(row.text, row.params);
      emit({ type: "webhook.received" });
    }).catch(async (stored: unknown) => {
      if (!isUniqueViolation(stored)) throw stored;
      // The same unstorable delivery again (it failed the same way before reaching the inbox insert).
      duplicate = true;
      await countRedelivery(deps, dedupeKey);
    });
    return duplicate ? { accepted: true, duplicate, effect: "duplicate", payoutRequestId: null } : { accepted: true, duplicate, effect, payoutRequestId: null };
  }
}

/** The INSERT of a verified delivery's inbox row, with what applying it did. */
function inboxRow(row: {
  dedupeKey: string;
  rawBody: string;
  signature: string | null;
  eventType: string | null;
  bankSessionId: string | null;
  effect: string;
  processedAt: Date;
}): SqlFragment {
  return {
    text: `INSERT INTO webhook_inbox (id, verdict, dedupe_key, raw_body, signature, event_type, bank_session_id, effect, processed_at)
     VALUES ($1::uuid, 'verified', $2, $3, $4, $5, $6, $7, $8::timestamptz)`,
    params: [uuidv7(), row.dedupeKey, row.rawBody, row.signature, row.eventType, row.bankSessionId, row.effect, row.processedAt],
  };
}

async function countRedelivery(deps: PayoutDeps, dedupeKey: string): Promise<void> {
  await deps.prisma.webhookInbox.update({ where: { dedupeKey }, data: { deliveries: { increment: 1 } } });
}
