import { createHash, type KeyObject } from "node:crypto";
import { Bank131ProtocolError, Bank131WebhookSignatureError } from "./errors";
import { WebhookSchema, describeZodError, type Webhook } from "./schemas";
import { signBody, verifyBody } from "./signature";

/**
 * Incoming Bank 131 webhooks. The Bank signs the raw body with ITS key (not ours); verification happens on
 * the exact received bytes before anything is parsed. Answer 200 only after the event is durably recorded:
 * any other answer makes the Bank redeliver, so handlers must be idempotent (see the two keys below).
 */

/** Node's IncomingHttpHeaders may give a string[]; exactly one signature value is accepted. */
export type SignatureHeaderValue = string | readonly string[] | null | undefined;

/**
 * Verifies `X-PARTNER-SIGN` over `rawBody` with the Bank's public key, then parses to the canonical webhook
 * (v2 names). Unknown `type` values come back as `{known:false, type, raw}` — log and acknowledge them.
 * @throws Bank131WebhookSignatureError missing/invalid signature (answer 4xx; do not process)
 * @throws Bank131ProtocolError signed but unparseable body or known type with an invalid shape
 */
export function parseWebhook(
  rawBody: Buffer | Uint8Array | string,
  signatureHeader: SignatureHeaderValue,
  bankPublicKey: KeyObject,
): Webhook {
  const signature = singleHeader(signatureHeader);
  if (!signature) throw new Bank131WebhookSignatureError("Bank 131 webhook: missing X-PARTNER-SIGN header");
  if (!verifyBody(rawBody, signature, bankPublicKey)) {
    throw new Bank131WebhookSignatureError("Bank 131 webhook: X-PARTNER-SIGN does not match the body");
  }
  const text = typeof rawBody === "string" ? rawBody : Buffer.from(rawBody).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Bank131ProtocolError("Bank 131 webhook: body is not JSON", { cause });
  }
  const parsed = WebhookSchema.safeParse(json);
  if (!parsed.success) {
    throw new Bank131ProtocolError(`Bank 131 webhook: unexpected shape: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}

/** Signs a webhook body (sandbox side); same algorithm as requests, with the Bank's private key. */
export const signWebhook: (body: string | Uint8Array, bankPrivateKey: KeyObject) => string = signBody;

/** Dedupe key of one DELIVERY: sha256 hex of the raw body. A redelivery of the same body has the same key. */
export function webhookDeliveryKey(rawBody: Buffer | Uint8Array | string): string {
  return createHash("sha256").update(rawBody).digest("hex");
}

/**
 * Dedupe key of the business EFFECT: type + session id + each payout's id and status (and, for
 * payment_refunded, its refund ids and statuses). Two different bodies announcing the same transition share
 * it. Contains ids and statuses only. `null` for unknown webhook types: dedupe those by delivery key.
 */
export function webhookEffectKey(webhook: Webhook): string | null {
  if (!webhook.known) return null;
  const payouts = (webhook.session.payout_list ?? [])
    .map((p) => {
      let part = `${p.id}=${p.status}`;
      if (webhook.type === "payment_refunded") {
        const refunds = (p.refunds ?? []).map((r) => `${r.id}=${r.status}`).sort();
        if (refunds.length > 0) part += `[${refunds.join(",")}]`;
      }
      return part;
    })
    .sort();
  return [webhook.type, webhook.session.id, payouts.length > 0 ? payouts.join(";") : `session=${webhook.session.status}`].join("|");
}

/** Effect components for storing in separate columns (first payout; sessions in this portal carry one). */
export function webhookEffect(webhook: Webhook): {
  type: string;
  sessionId: string | null;
  payoutId: string | null;
  payoutStatus: string | null;
} {
  if (!webhook.known) {
    const session = webhook.raw.session;
    const id = typeof session === "object" && session !== null ? (session as { id?: unknown }).id : undefined;
    return { type: webhook.type, sessionId: typeof id === "string" ? id : null, payoutId: null, payoutStatus: null };
  }
  const payout = webhook.session.payout_list?.[0];
  return {
    type: webhook.type,
    sessionId: webhook.session.id,
    payoutId: payout?.id ?? null,
    payoutStatus: payout?.status ?? null,
  };
}

function singleHeader(value: SignatureHeaderValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  return value.length === 1 ? (value[0] ?? null) : null;
}
