import type { PayoutRequest, Prisma } from "../generated/prisma/client";
import { assignments, columnOf, sqlOf } from "../db/sql";
import { audit, type Actor } from "./audit";
import { dropClaimOnSettle } from "./claims";
import { enqueuePartnerEvent, partnerEventOfStatus } from "./partner-events";
import { canTransition, predecessorsOf, SETTLED_STATUSES, type PayoutStatus } from "./state-machine";
import { emitAfterCommit, type AnyPayoutTx } from "./transaction";

/** Columns a transition may set along with the status (`undefined` leaves one alone). */
export type TransitionSet = { [K in Exclude<keyof PayoutRequest, "id" | "status" | "version" | "updatedAt">]?: PayoutRequest[K] };

/**
 * Moves a payout request to `to` only if it is currently in an allowed predecessor status: a
 * conditional UPDATE, so of two concurrent callers exactly one wins and nothing moves backwards.
 * Returns the previous status when it moved, or null when the update did not apply. A move is
 * announced (`payout.updated`) once the transaction commits, and written to the partner webhook outbox
 * (lib/payouts/partner-events.ts) in this transaction. Plain SQL, so both kinds of transaction
 * (inTransaction's Prisma one, inSqlTransaction's) run this one copy.
 */
export async function transition(
  tx: AnyPayoutTx,
  payoutRequestId: string,
  to: PayoutStatus,
  actor: Actor,
  options: {
    action?: string;
    data?: Prisma.InputJsonValue;
    set?: TransitionSet;
    from?: PayoutStatus[];
    /**
     * The status the caller has just read in this transaction (spares a read). Safe even if it is
     * stale: the update applies only while the row still has it.
     */
    current?: PayoutStatus;
  } = {},
): Promise<PayoutStatus | null> {
  const sql = sqlOf(tx);
  const allowed = (options.from ?? predecessorsOf(to)).filter((from) => canTransition(from, to));
  const current =
    options.current ?? (await sql.rows<{ status: PayoutStatus }>("SELECT status::text AS status FROM payout_requests WHERE id = $1::uuid", [payoutRequestId]))[0]?.status;
  if (!current || !allowed.includes(current)) return null;
  const set = assignments(Object.fromEntries(Object.entries(options.set ?? {}).map(([field, value]) => [columnOf(field), value])), 5);
  const count = await sql.execute(
    `UPDATE payout_requests SET ${set.text ? `${set.text}, ` : ""}status = $3::"PayoutRequestStatus", version = version + 1, updated_at = $4::timestamptz
     WHERE id = $1::uuid AND status = $2::"PayoutRequestStatus"`,
    [payoutRequestId, current, to, new Date(), ...set.params],
  );
  if (count !== 1) return null;
  if (SETTLED_STATUSES.has(to)) await dropClaimOnSettle(tx, { payoutRequestId, actor, status: to });
  await audit(sql, {
    actor,
    action: options.action ?? `status.${to}`,
    payoutRequestId,
    fromStatus: current,
    toStatus: to,
    data: options.data,
  });
  const partnerEvent = partnerEventOfStatus(to);
  if (partnerEvent) await enqueuePartnerEvent(sql, { type: partnerEvent, payoutRequestId });
  emitAfterCommit(tx, { type: "payout.updated", payoutRequestId, status: to });
  return current;
}
