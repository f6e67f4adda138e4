import { sqlOf, uuidv7, type Sql } from "../db/sql";
import type { PayoutRequest, Prisma } from "../generated/prisma/client";
import { serializePayoutRequest } from "../partner-api/serialize";
import type { PayoutStatus } from "./state-machine";
import type { PartnerEventType } from "./partner-event-types";

export { PARTNER_EVENT_TYPES, type PartnerEventType } from "./partner-event-types";

/**
 * The partner webhook outbox (issue 12). An event is written in the transaction of the change it
 * announces, with one delivery row per endpoint subscribed to its type; the delivery worker
 * (lib/payouts/partner-webhooks/delivery.ts) sends them after the commit. A rollback leaves no event.
 */

/** The status changes a partner hears of; the portal's intermediate states (confirming, bank_error, …) are not news to them. */
const EVENT_OF_STATUS: Partial<Record<PayoutStatus, PartnerEventType>> = {
  submitted: "payout.submitted",
  awaiting_approval: "payout.awaiting_approval",
  paid: "payout.paid",
  failed: "payout.failed",
  cancelled: "payout.cancelled",
  refunded: "payout.refunded",
  expired: "payout.expired",
};

export function partnerEventOfStatus(status: PayoutStatus): PartnerEventType | null {
  return EVENT_OF_STATUS[status] ?? null;
}

/**
 * Writes the event and its deliveries (one per subscribed endpoint, paused ones included: they get it
 * when resumed) in the caller's transaction. A payout event's `data` is the payout exactly as the partner
 * API returns it at this moment (`GET /api/v1/payout-requests/{id}`); other events pass their own `data`.
 */
export async function enqueuePartnerEvent(
  tx: Prisma.TransactionClient | Sql,
  event: { type: PartnerEventType; payoutRequestId?: string; batchId?: string; data?: object },
  /** The subscribed endpoints' ids when the caller has just read them in this transaction (transition()). */
  subscribed?: string[],
): Promise<void> {
  const sql = sqlOf(tx);
  const endpoints =
    subscribed ?? (await sql.rows<{ id: string }>("SELECT id::text AS id FROM partner_webhook_endpoints WHERE $1 = ANY(event_types)", [event.type])).map((row) => row.id);
  if (endpoints.length === 0) return;
  const now = new Date();
  let data = event.data;
  if (data === undefined && event.payoutRequestId) {
    const [row] = await sql.rows<Record<string, unknown>>("SELECT * FROM payout_requests WHERE id = $1::uuid", [event.payoutRequestId]);
    if (!row) throw new Error(`enqueuePartnerEvent: no payout request ${event.payoutRequestId}`);
    data = serializePayoutRequest(payoutRequestOfRow(row), now);
  }
  const eventId = uuidv7();
  await sql.execute("INSERT INTO partner_events (id, type, payout_request_id, batch_id, body, created_at) VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6::timestamptz)", [
    eventId,
    event.type,
    event.payoutRequestId ?? null,
    event.batchId ?? null,
    JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: data ?? {} }),
    now,
  ]);
  // Events of one payout (or batch) reach each endpoint in the order they were written.
  const orderKey = event.payoutRequestId ?? event.batchId ?? eventId;
  await sql.execute(
    `INSERT INTO partner_webhook_deliveries (id, endpoint_id, event_id, order_key)
     SELECT d.id::uuid, d.endpoint_id::uuid, $3::uuid, $4 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS d(id, endpoint_id, n) ORDER BY d.n`,
    [endpoints.map(() => uuidv7()), endpoints, eventId, orderKey],
  );
}

const IGNORED_COLUMNS = new Set(["recipient_search", "instrument_key", "recipient_key"]);

/** A `payout_requests` row as read by SQL (`SELECT *`), in the shape Prisma gives it. */
function payoutRequestOfRow(row: Record<string, unknown>): PayoutRequest {
  const request: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    // Generated search columns are not part of the model (@ignore).
    if (IGNORED_COLUMNS.has(column)) continue;
    request[column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())] = value;
  }
  // The one bigint column: drivers give it as text, a number or a bigint.
  request.amountKopecks = BigInt(String(row.amount_kopecks));
  return request as unknown as PayoutRequest;
}
