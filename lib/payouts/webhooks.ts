import type { KeyObject } from "node:crypto";
import { Bank131ProtocolError, Bank131WebhookSignatureError } from "../bank131/errors";
import type { Webhook } from "../bank131/schemas";
import { parseWebhook, webhookDeliveryKey, webhookEffect } from "../bank131/webhook";
import type { Prisma } from "../generated/prisma/client";
import { applyBankNewsInTx, type ApplyResult } from "./apply";
import { isDataRejection, isUniqueViolation } from "../db/errors";
import { nowOf, type PayoutDeps } from "./deps";
import { inTransaction } from "./transaction";

/**
 * Flow 2: a webhook from the bank. The signature is checked on the raw bytes before anything is
 * parsed; a verified delivery is stored in the inbox in the SAME transaction as its effect, and
 * acknowledged only after that commit. The same bytes again change nothing (unique dedupe key);
 * different bytes with old news change nothing either (the state machine is forward-only).
 */

export type WebhookOutcome =
  | { accepted: false; reason: string }
  | { accepted: true; duplicate: boolean; effect: string; payoutRequestId: string | null };

/** Rejected bodies are kept for forensics, truncated: they are not trusted and may be large. */
const MAX_STORED_REJECTED_BYTES = 64 * 1024;

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
  delivery: { rawBody: Buffer; signature: string | null },
): Promise<WebhookOutcome> {
  let webhook: Webhook | null = null;
  let unparseable: string | null = null;
  try {
    webhook = parseWebhook(delivery.rawBody, delivery.signature, deps.bankPublicKey);
  } catch (error) {
    if (error instanceof Bank131WebhookSignatureError) {
      await deps.prisma.webhookInbox.create({
        data: {
          verdict: "rejected",
          rejectReason: error.message,
          rawBody: delivery.rawBody.subarray(0, MAX_STORED_REJECTED_BYTES).toString("utf8"),
          signature: delivery.signature?.slice(0, 1024) ?? null,
          processedAt: nowOf(deps),
          effect: "rejected:signature",
        },
      });
      return { accepted: false, reason: error.message };
    }
    if (!(error instanceof Bank131ProtocolError)) throw error;
    // Signed by the bank but not understood: keep it (replayable after a fix) and acknowledge, so
    // the bank does not retry a delivery that can never succeed.
    unparseable = error.message;
  }

  const dedupeKey = webhookDeliveryKey(delivery.rawBody);
  const meta = webhook ? webhookEffect(webhook) : null;
  try {
    const { effect, result } = await inTransaction(deps, async (tx, emit) => {
      const row = await tx.webhookInbox.create({
        data: {
          verdict: "verified",
          dedupeKey,
          rawBody: delivery.rawBody.toString("utf8"),
          signature: delivery.signature,
          eventType: webhook?.type ?? null,
          bankSessionId: meta?.sessionId ?? null,
        },
      });
      let effect: string;
      let result: ApplyResult | null = null;
      if (unparseable) effect = `error:unparseable (${unparseable.slice(0, 200)})`;
      else if (webhook && webhook.known) {
        const confirmInformation = webhook.confirm_information ? rawConfirmInformation(delivery.rawBody) : undefined;
        result = await applyBankNewsInTx(tx, { session: webhook.session, source: "webhook", webhookType: webhook.type, confirmInformation }, nowOf(deps));
        effect = result.effect;
      } else effect = `ignored:unknown_type(${webhook?.type ?? "?"})`;
      await tx.webhookInbox.update({ where: { id: row.id }, data: { effect, processedAt: nowOf(deps) } });
      emit({ type: "webhook.received", payoutRequestId: result?.payoutRequestId ?? undefined });
      return { effect, result };
    });
    return { accepted: true, duplicate: false, effect, payoutRequestId: result?.payoutRequestId ?? null };
  } catch (error) {
    if (isUniqueViolation(error)) {
      // The same delivery again (a retry, or a concurrent duplicate that lost the race).
      await deps.prisma.webhookInbox.update({ where: { dedupeKey }, data: { deliveries: { increment: 1 } } });
      return { accepted: true, duplicate: true, effect: "duplicate", payoutRequestId: null };
    }
    if (!isDataRejection(error)) throw error;
    // Signed, but holding values the database refuses: answering 500 would make the bank re-send the
    // same bytes forever. Keep it visible (and replayable once the code copes) and acknowledge it.
    const effect = `error:unstorable (${String((error as Error).message).replace(/\s+/g, " ").slice(0, 200)})`;
    await inTransaction(deps, async (tx, emit) => {
      await tx.webhookInbox.create({
        data: {
          verdict: "verified",
          dedupeKey,
          rawBody: delivery.rawBody.toString("utf8").replaceAll("\u0000", "\uFFFD"),
          signature: delivery.signature,
          eventType: webhook?.type ?? null,
          bankSessionId: meta?.sessionId ?? null,
          effect: effect.replaceAll("\u0000", "\uFFFD"),
          processedAt: nowOf(deps),
        },
      });
      emit({ type: "webhook.received" });
    }).catch(async (stored: unknown) => {
      if (!isUniqueViolation(stored)) throw stored;
      await deps.prisma.webhookInbox.update({ where: { dedupeKey }, data: { deliveries: { increment: 1 } } });
    });
    return { accepted: true, duplicate: false, effect, payoutRequestId: null };
  }
}
