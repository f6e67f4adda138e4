/**
 * The portal-side life of a payout request. Forward-only: every change is a conditional update
 * from one of the allowed predecessors, so a late, repeated or reordered bank event can never move
 * a payout backwards, and two concurrent actors cannot both win the same transition.
 *
 *   awaiting_recipient → submitted → awaiting_approval → confirming | cancelling → paid | failed | cancelled
 *   paid → refunded            awaiting_recipient → expired | cancelled
 *   bank_error: the bank reported session status `error` (outcome unknown, not final) — reconciliation
 *   keeps polling and moves it on when the bank knows more.
 *   refunded: reachable from every state in which bank news can say "succeeded, then returned" —
 *   webhooks may arrive in any order (payment_refunded before payment_finished), so the refund is
 *   never lost as "stale"; from `refunded` nothing moves back to `paid`.
 *   needs_attention: a bank session may exist but the bank cannot be asked about it (a refused replay
 *   of an `init` whose session id we never learned): never guessed `failed`; an operator investigates
 *   and cancels, or bank news about the session moves it on.
 */

export const PAYOUT_STATUSES = [
  "awaiting_recipient",
  "submitted",
  "awaiting_approval",
  "confirming",
  "cancelling",
  "bank_error",
  "paid",
  "failed",
  "cancelled",
  "refunded",
  "expired",
  "needs_attention",
] as const;

export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** Paid is final for the operator but a bank-account payout can still come back as refunded. */
export const SETTLED_STATUSES: ReadonlySet<PayoutStatus> = new Set(["paid", "failed", "cancelled", "refunded", "expired"]);

const NEXT: Record<PayoutStatus, readonly PayoutStatus[]> = {
  awaiting_recipient: ["submitted", "expired", "cancelled"],
  submitted: ["awaiting_approval", "confirming", "paid", "failed", "cancelled", "bank_error", "refunded", "needs_attention"],
  awaiting_approval: ["confirming", "cancelling", "paid", "failed", "cancelled", "bank_error", "refunded"],
  // → awaiting_approval only when the bank refuses our decision outright (it still waits for one).
  confirming: ["paid", "failed", "cancelled", "bank_error", "awaiting_approval", "refunded"],
  cancelling: ["cancelled", "failed", "paid", "bank_error", "awaiting_approval", "refunded"],
  bank_error: ["awaiting_approval", "confirming", "paid", "failed", "cancelled", "refunded"],
  needs_attention: ["awaiting_approval", "paid", "failed", "cancelled", "bank_error", "refunded"],
  paid: ["refunded"],
  failed: [],
  cancelled: [],
  refunded: [],
  expired: [],
};

export function canTransition(from: PayoutStatus, to: PayoutStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses from which `to` may be reached: the WHERE clause of a conditional update. */
export function predecessorsOf(to: PayoutStatus): PayoutStatus[] {
  return PAYOUT_STATUSES.filter((from) => NEXT[from].includes(to));
}

/** What the bank told us, reduced to what decides the portal status. */
export interface BankView {
  sessionStatus: "created" | "in_progress" | "accepted" | "cancelled" | "error";
  nextAction?: string | null;
  payoutStatus?: "in_progress" | "pending" | "succeeded" | "failed" | null;
  payoutErrorCode?: string | null;
  refunded?: boolean;
}

const CANCEL_CODES = new Set(["session_cancelled_by_partner", "session_cancelled"]);

/**
 * The portal status the bank's view implies, or null when it implies nothing new (e.g. the payout
 * is still in progress). The caller applies it only if `canTransition(current, target)`.
 */
export function statusFromBank(view: BankView, current: PayoutStatus): PayoutStatus | null {
  if (view.payoutStatus === "succeeded") return view.refunded ? "refunded" : "paid";
  if (view.payoutStatus === "failed") {
    if (current === "cancelling" || (view.payoutErrorCode && CANCEL_CODES.has(view.payoutErrorCode))) return "cancelled";
    return "failed";
  }
  if (view.sessionStatus === "error") return "bank_error";
  if (view.sessionStatus === "cancelled") return "cancelled";
  if (view.payoutStatus === "pending" || view.nextAction === "confirm") {
    // Already asked the bank to confirm or cancel: the pending view is older news than our own call.
    return current === "confirming" || current === "cancelling" ? null : "awaiting_approval";
  }
  if (view.payoutStatus === "in_progress" || view.sessionStatus === "in_progress") {
    return current === "bank_error" ? null : "submitted";
  }
  return null;
}
