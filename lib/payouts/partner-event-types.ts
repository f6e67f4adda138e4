/** The event types a partner endpoint may subscribe to (a pure module: the admin page imports it). */
export const PARTNER_EVENT_TYPES = [
  "payout.created",
  "payout.submitted",
  "payout.awaiting_approval",
  "payout.paid",
  "payout.failed",
  "payout.cancelled",
  "payout.refunded",
  "payout.expired",
  "batch.completed",
] as const;

export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];
