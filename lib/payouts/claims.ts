import { audit, type Actor } from "./audit";
import { nowOf, type PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import type { PayoutStatus } from "./state-machine";
import { sqlOf } from "../db/sql";
import { inTransaction, type AnyPayoutTx, type PayoutTx } from "./transaction";

/**
 * Claims: an approver takes a payout "into work" so that colleagues see who is reviewing it and
 * cannot approve or cancel it meanwhile (rule `claimed_by_other`, lib/payouts/rules.ts). A claim is
 * one row per payout (`payout_claims`, keyed by the payout) with an end time: an expired row is
 * simply not in force, so nothing has to run to lift it. Every change of hands is an audit event:
 * `claim.taken`, `claim.extended`, `claim.released`, `claim.expired` (noticed when the payout is next
 * claimed), `claim.broken` (an admin, with a reason).
 *
 * Each change locks the payout row first (as the approve/cancel path does before it reads the
 * claim), so of concurrent claims exactly one wins and a decision never slips past a fresh claim.
 */

export const DEFAULT_CLAIM_TTL_MINUTES = 10;

/** Statuses in which an operator can decide something, and so may claim the payout. */
const CLAIMABLE: ReadonlySet<PayoutStatus> = new Set(["awaiting_approval", "needs_attention"]);

export interface LiveClaim {
  holderId: string;
  holderName: string;
  claimedAt: Date;
  expiresAt: Date;
}

/** A claim as the API and pages carry it (ISO dates). */
export interface ClaimView {
  holderId: string;
  holderName: string;
  claimedAt: string;
  expiresAt: string;
}

export const claimView = (claim: LiveClaim): ClaimView => ({
  holderId: claim.holderId,
  holderName: claim.holderName,
  claimedAt: claim.claimedAt.toISOString(),
  expiresAt: claim.expiresAt.toISOString(),
});

type ClaimDeps = Pick<PayoutDeps, "prisma" | "events" | "now" | "settings">;

interface StoredClaim extends LiveClaim {
  live: boolean;
}

/**
 * Locks the payout row (to the end of the transaction) and reads its claim row, live or not.
 * Throws not_found for an unknown payout.
 */
async function lockAndReadClaim(tx: PayoutTx, payoutRequestId: string, now: Date): Promise<{ status: PayoutStatus; claim: StoredClaim | null }> {
  const rows = await tx.$queryRaw<Array<{ status: PayoutStatus }>>`
    SELECT status::text AS status FROM payout_requests WHERE id = ${payoutRequestId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new PayoutError("not_found", "Payout request not found");
  const stored = await tx.payoutClaim.findUnique({ where: { payoutRequestId }, include: { holder: { select: { name: true } } } });
  if (!stored) return { status: row.status, claim: null };
  return {
    status: row.status,
    claim: { holderId: stored.holderId, holderName: stored.holder.name, claimedAt: stored.claimedAt, expiresAt: stored.expiresAt, live: stored.expiresAt > now },
  };
}

/** The claim in force on a payout, read under the payout's row lock (the decision path's read). */
export async function liveClaimForDecision(tx: PayoutTx, payoutRequestId: string, now: Date): Promise<LiveClaim | null> {
  const { claim } = await lockAndReadClaim(tx, payoutRequestId, now);
  return claim?.live ? claim : null;
}

const auditData = (claim: LiveClaim) => ({ holderId: claim.holderId, holderName: claim.holderName, claimedAt: claim.claimedAt.toISOString(), expiresAt: claim.expiresAt.toISOString() });

function requireOperator(actor: Actor): string {
  if (actor.type !== "operator" || !actor.id) throw new PayoutError("forbidden", "Only an operator can hold a payout", { params: { reason: "role" } });
  return actor.id;
}

/**
 * Takes the payout into work for the claim's time-to-live, or extends the actor's own claim by it.
 * Refused with claimed_by_other while someone else's claim is in force.
 */
export async function claimPayout(deps: ClaimDeps, input: { payoutRequestId: string; actor: Actor }): Promise<ClaimView> {
  const holderId = requireOperator(input.actor);
  const now = nowOf(deps);
  const ttlMs = (deps.settings.claimTtlMinutes ?? DEFAULT_CLAIM_TTL_MINUTES) * 60_000;
  return inTransaction(deps, async (tx, emit) => {
    const { status, claim } = await lockAndReadClaim(tx, input.payoutRequestId, now);
    if (!CLAIMABLE.has(status)) throw new PayoutError("invalid_state", `A payout that is ${status} has nothing to decide; it cannot be claimed`, { params: { status } });
    if (claim?.live && claim.holderId !== holderId) {
      throw new PayoutError("claimed_by_other", `${claim.holderName} holds this payout until ${claim.expiresAt.toISOString()}`, {
        params: { by: claim.holderName, until: claim.expiresAt.toISOString() },
      });
    }
    const extending = claim?.live === true;
    const claimedAt = extending ? claim.claimedAt : now;
    const expiresAt = new Date(now.getTime() + ttlMs);
    const saved = await tx.payoutClaim.upsert({
      where: { payoutRequestId: input.payoutRequestId },
      create: { payoutRequestId: input.payoutRequestId, holderId, claimedAt, expiresAt },
      update: { holderId, claimedAt, expiresAt },
      include: { holder: { select: { name: true } } },
    });
    const taken: LiveClaim = { holderId, holderName: saved.holder.name, claimedAt, expiresAt };
    emit({ type: "payout.claim", payoutRequestId: input.payoutRequestId });
    if (claim && !claim.live) {
      await audit(tx, { actor: { type: "system" }, action: "claim.expired", payoutRequestId: input.payoutRequestId, data: auditData(claim) });
    }
    await audit(tx, { actor: input.actor, action: extending ? "claim.extended" : "claim.taken", payoutRequestId: input.payoutRequestId, data: auditData(taken) });
    return claimView(taken);
  });
}

/** The holder lets the payout go. Refused with claim_not_held when the actor holds no claim in force on it. */
export async function releaseClaim(deps: ClaimDeps, input: { payoutRequestId: string; actor: Actor }): Promise<void> {
  const holderId = requireOperator(input.actor);
  const now = nowOf(deps);
  await inTransaction(deps, async (tx, emit) => {
    const { claim } = await lockAndReadClaim(tx, input.payoutRequestId, now);
    if (!claim?.live || claim.holderId !== holderId) throw new PayoutError("claim_not_held", "You do not hold this payout");
    await tx.payoutClaim.delete({ where: { payoutRequestId: input.payoutRequestId } });
    emit({ type: "payout.claim", payoutRequestId: input.payoutRequestId });
    await audit(tx, { actor: input.actor, action: "claim.released", payoutRequestId: input.payoutRequestId, data: auditData(claim) });
  });
}

/** An admin lifts anyone's claim in force, with a reason for the trail. The route checks the role. */
export async function breakClaim(deps: ClaimDeps, input: { payoutRequestId: string; actor: Actor; reason: string }): Promise<void> {
  requireOperator(input.actor);
  const now = nowOf(deps);
  await inTransaction(deps, async (tx, emit) => {
    const { claim } = await lockAndReadClaim(tx, input.payoutRequestId, now);
    if (!claim?.live) throw new PayoutError("claim_not_held", "Nobody holds this payout");
    await tx.payoutClaim.delete({ where: { payoutRequestId: input.payoutRequestId } });
    emit({ type: "payout.claim", payoutRequestId: input.payoutRequestId });
    await audit(tx, { actor: input.actor, action: "claim.broken", payoutRequestId: input.payoutRequestId, data: { ...auditData(claim), reason: input.reason } });
  });
}

/**
 * A payout that reached a final status needs no one's review: transition() drops its claim in the
 * same transaction. A claim still in force is recorded as released by that move; one that had run
 * out, as expired (nobody else noticed it).
 */
export async function dropClaimOnSettle(tx: AnyPayoutTx, input: { payoutRequestId: string; actor: Actor; status: PayoutStatus }): Promise<void> {
  const sql = sqlOf(tx);
  // One statement: most settled payouts had no claim, and then this is the only one.
  const [claim] = await sql.rows<LiveClaim>(
    `WITH dropped AS (DELETE FROM payout_claims WHERE payout_request_id = $1::uuid RETURNING holder_id, claimed_at, expires_at)
     SELECT d.holder_id::text AS "holderId", o.name AS "holderName", d.claimed_at AS "claimedAt", d.expires_at AS "expiresAt"
     FROM dropped d JOIN operators o ON o.id = d.holder_id`,
    [input.payoutRequestId],
  );
  if (!claim) return;
  if (claim.expiresAt <= new Date()) {
    await audit(sql, { actor: { type: "system" }, action: "claim.expired", payoutRequestId: input.payoutRequestId, data: auditData(claim) });
    return;
  }
  await audit(sql, { actor: input.actor, action: "claim.released", payoutRequestId: input.payoutRequestId, data: { ...auditData(claim), settled: input.status } });
}
