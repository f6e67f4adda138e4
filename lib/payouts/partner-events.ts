import type { Prisma } from "../generated/prisma/client";
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
  tx: Prisma.TransactionClient,
  event: { type: PartnerEventType; payoutRequestId?: string; batchId?: string; data?: object },
): Promise<void> {
  const endpoints = await tx.partnerWebhookEndpoint.findMany({ where: { eventTypes: { has: event.type } }, select: { id: true } });
  if (endpoints.length === 0) return;
  const now = new Date();
  let data = event.data;
  if (data === undefined && event.payoutRequestId) {
    const request = await tx.payoutRequest.findUniqueOrThrow({ where: { id: event.payoutRequestId } });
    data = serializePayoutRequest(request, now);
  }
  const stored = await tx.partnerEvent.create({
    data: {
      type: event.type,
      payoutRequestId: event.payoutRequestId ?? null,
      batchId: event.batchId ?? null,
      body: JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: data ?? {} }),
      createdAt: now,
    },
    select: { id: true },
  });
  // Events of one payout (or batch) reach each endpoint in the order they were written.
  const orderKey = event.payoutRequestId ?? event.batchId ?? stored.id;
  await tx.partnerWebhookDelivery.createMany({ data: endpoints.map((endpoint) => ({ endpointId: endpoint.id, eventId: stored.id, orderKey })) });
}
