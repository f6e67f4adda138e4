import type { Prisma } from "../generated/prisma/client";
import { audit, type Actor } from "./audit";
import { dropClaimOnSettle } from "./claims";
import { enqueuePartnerEvent, partnerEventOfStatus } from "./partner-events";
import { canTransition, predecessorsOf, SETTLED_STATUSES, type PayoutStatus } from "./state-machine";
import { emitAfterCommit, type PayoutTx } from "./transaction";

/**
 * Moves a payout request to `to` only if it is currently in an allowed predecessor status: a
 * conditional UPDATE, so of two concurrent callers exactly one wins and nothing moves backwards.
 * Returns the previous status when it moved, or null when the update did not apply. A move is
 * announced (`payout.updated`) once the transaction commits, and written to the partner webhook outbox
 * (lib/payouts/partner-events.ts) in this transaction.
 */
export async function transition(
  tx: PayoutTx,
  payoutRequestId: string,
  to: PayoutStatus,
  actor: Actor,
  options: {
    action?: string;
    data?: Prisma.InputJsonValue;
    set?: Prisma.PayoutRequestUpdateManyMutationInput;
    from?: PayoutStatus[];
    /**
     * The status the caller has just read in this transaction (spares a read). Safe even if it is
     * stale: the update applies only while the row still has it.
     */
    current?: PayoutStatus;
  } = {},
): Promise<PayoutStatus | null> {
  const allowed = (options.from ?? predecessorsOf(to)).filter((from) => canTransition(from, to));
  const current = options.current ? { status: options.current } : await tx.payoutRequest.findUnique({ where: { id: payoutRequestId }, select: { status: true } });
  if (!current || !allowed.includes(current.status)) return null;
  const { count } = await tx.payoutRequest.updateMany({
    where: { id: payoutRequestId, status: current.status },
    data: { ...options.set, status: to, version: { increment: 1 } },
  });
  if (count !== 1) return null;
  if (SETTLED_STATUSES.has(to)) await dropClaimOnSettle(tx, { payoutRequestId, actor, status: to });
  await audit(tx, {
    actor,
    action: options.action ?? `status.${to}`,
    payoutRequestId,
    fromStatus: current.status,
    toStatus: to,
    data: options.data,
  });
  const partnerEvent = partnerEventOfStatus(to);
  if (partnerEvent) await enqueuePartnerEvent(tx, { type: partnerEvent, payoutRequestId });
  emitAfterCommit(tx, { type: "payout.updated", payoutRequestId, status: to });
  return current.status;
}
