import type { PayoutRequest, Prisma } from "../generated/prisma/client";
import { assignments, columnOf, sqlOf } from "../db/sql";
import { audit, auditAppended, auditInsert, type Actor } from "./audit";
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
  const params: unknown[] = [payoutRequestId, current, to, new Date(), ...set.params];
  const event = { actor, action: options.action ?? `status.${to}`, payoutRequestId, fromStatus: current, toStatus: to, data: options.data };
  // The move, its audit event and the partner endpoints that want to hear of it, in one round trip.
  // A settled payout's claim is dropped (and audited) between the move and its event, as before.
  const settles = SETTLED_STATUSES.has(to);
  const audited = settles ? null : auditInsert(event, params.length + 1);
  if (audited) params.push(...audited.params);
  const partnerEvent = partnerEventOfStatus(to);
  if (partnerEvent) params.push(partnerEvent);
  const [moved] = await sql.rows<{ moved: number; endpoints: string[] | null }>(
    `WITH moved AS (
       UPDATE payout_requests SET ${set.text ? `${set.text}, ` : ""}status = $3::"PayoutRequestStatus", version = version + 1, updated_at = $4::timestamptz
       WHERE id = $1::uuid AND status = $2::"PayoutRequestStatus" RETURNING id
     )${audited ? `, audited AS (INSERT INTO audit_events ${audited.columns} SELECT ${audited.values} FROM moved)` : ""}
     SELECT (SELECT count(*) FROM moved)::int AS moved,
            ${partnerEvent ? `ARRAY(SELECT id::text FROM partner_webhook_endpoints WHERE $${params.length} = ANY(event_types))` : "NULL::text[]"} AS endpoints`,
    params,
  );
  if (moved?.moved !== 1) return null;
  if (settles) {
    await dropClaimOnSettle(tx, { payoutRequestId, actor, status: to });
    await audit(sql, event);
  } else auditAppended();
  if (partnerEvent && moved.endpoints?.length) await enqueuePartnerEvent(sql, { type: partnerEvent, payoutRequestId }, moved.endpoints);
  emitAfterCommit(tx, { type: "payout.updated", payoutRequestId, status: to });
  return current;
}
