import type { Prisma } from "../generated/prisma/client";
import { moscowCalendarDay, moscowMidnight } from "../format/time";
import { toSafeKopecks } from "../money";
import type { FingerprintFields } from "./fingerprint";
import type { ApprovalLimits } from "./schemas";

/**
 * Approval records (table payout_approvals): who approved which fingerprint of a payout, per decision
 * attempt. They make "1 of 2" survive restarts, and they are what the daily limits count.
 */

type Tx = Prisma.TransactionClient;

/** An operator row's approval limits as safe kopecks (null = no limit). */
export const approvalLimitsOf = (row: { dailyApprovalLimitKopecks: bigint | null; payoutApprovalLimitKopecks: bigint | null }): ApprovalLimits => ({
  dailyKopecks: row.dailyApprovalLimitKopecks === null ? null : toSafeKopecks(row.dailyApprovalLimitKopecks),
  payoutKopecks: row.payoutApprovalLimitKopecks === null ? null : toSafeKopecks(row.payoutApprovalLimitKopecks),
});

/** Payouts at or above the threshold need two distinct approvers; below it, one. */
export function requiredApprovals(amountKopecks: bigint | number, twoApproversFromKopecks: number): 1 | 2 {
  return BigInt(amountKopecks) >= BigInt(twoApproversFromKopecks) ? 2 : 1;
}

export interface CountingApproval {
  id: string;
  operatorId: string;
  fingerprint: string;
  fields: FingerprintFields;
  createdAt: Date;
}

/** Approvals that count towards the current decision: this attempt's, not voided, oldest first. */
export async function countingApprovals(db: Pick<Tx, "payoutApproval">, payoutRequestId: string, decisionAttempt: number): Promise<CountingApproval[]> {
  const rows = await db.payoutApproval.findMany({
    where: { payoutRequestId, decisionAttempt, voidedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, operatorId: true, fingerprint: true, fields: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, fields: row.fields as unknown as FingerprintFields }));
}

/**
 * The approving operator's limits and what they approved this Moscow day. Takes the operator's row
 * lock (held to commit), so two concurrent approvals by one operator are counted one after the other
 * and cannot both pass a limit.
 */
export async function approverStanding(
  tx: Tx,
  operatorId: string,
  now: Date,
): Promise<{ dailyLimitKopecks: number | null; payoutLimitKopecks: number | null; approvedTodayKopecks: number }> {
  await tx.$queryRaw`SELECT id FROM operators WHERE id = ${operatorId}::uuid FOR UPDATE`;
  const operator = await tx.operator.findUniqueOrThrow({ where: { id: operatorId }, select: { dailyApprovalLimitKopecks: true, payoutApprovalLimitKopecks: true } });
  const dayStart = moscowMidnight(moscowCalendarDay(now))!;
  const approved = await tx.payoutApproval.aggregate({ where: { operatorId, voidedAt: null, createdAt: { gte: dayStart } }, _sum: { amountKopecks: true } });
  const limits = approvalLimitsOf(operator);
  return { dailyLimitKopecks: limits.dailyKopecks, payoutLimitKopecks: limits.payoutKopecks, approvedTodayKopecks: toSafeKopecks(approved._sum.amountKopecks ?? 0n) };
}

/** What was approved no longer matches what would be paid: those approvals stop counting. */
export async function voidApprovals(tx: Tx, payoutRequestId: string, decisionAttempt: number, now: Date): Promise<number> {
  const { count } = await tx.payoutApproval.updateMany({ where: { payoutRequestId, decisionAttempt, voidedAt: null }, data: { voidedAt: now } });
  return count;
}
