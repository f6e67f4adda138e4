import type { PrismaClient } from "../generated/prisma/client";
import type { PayoutMethod } from "../generated/prisma/enums";
import { toSafeKopecks } from "../money";
import type { ClaimView } from "./claims";
import { DEFAULT_RISK_THRESHOLDS, riskSignalsFor, type RiskSignal, type RiskThresholds } from "./risk-signals";

/**
 * The approvers' queue: payouts awaiting approval, the one whose bank confirm window closes first at
 * the top (no known deadline: last, oldest first), with who holds each for review. The bank cancels
 * an unanswered payout at its deadline, so this order is the order in which work is lost. Each row
 * carries its risk signals (lib/payouts/risk-signals.ts); the queue can be narrowed to rows that have any.
 */

export const QUEUE_LIMIT = 100;
/** Rows with less time than this before the bank's deadline are highlighted. */
export const QUEUE_URGENT_MS = 30 * 60_000;
/**
 * The signals filter checks at most this many payouts (those nearest their deadline): signals are
 * computed, not stored (~0.5 ms a payout on PostgreSQL, bench:risk), so a huge queue stays a bounded read.
 */
export const QUEUE_SIGNALS_SCAN_LIMIT = 5_000;

/** Under 30 minutes left (or already past) before the bank's confirm deadline. */
export const isUrgent = (confirmDeadlineAt: string | null, nowMs: number): boolean =>
  confirmDeadlineAt !== null && Date.parse(confirmDeadlineAt) - nowMs < QUEUE_URGENT_MS;

export interface ApprovalQueueRow {
  id: string;
  number: number;
  amountKopecks: number;
  recipientName: string;
  method: PayoutMethod;
  confirmDeadlineAt: string | null;
  createdAt: string;
  claim: ClaimView | null;
  signals: RiskSignal[];
}

export interface ApprovalQueue {
  rows: ApprovalQueueRow[];
  /** Every payout awaiting approval (rows holds at most QUEUE_LIMIT of them). */
  total: number;
  /** Only with `onlyWithSignals`: how many of the checked payouts have a risk signal… */
  withSignals?: number;
  /** …and how many were checked: all of them, or the QUEUE_SIGNALS_SCAN_LIMIT nearest their deadline. */
  checked?: number;
}

export interface ApprovalQueueOptions {
  /** Only payouts with at least one risk signal. */
  onlyWithSignals?: boolean;
  thresholds?: RiskThresholds;
}

interface RawQueueRow {
  id: string;
  number: number;
  amount_kopecks: bigint;
  recipient_name: string;
  method: string;
  confirm_deadline_at: Date | null;
  created_at: Date;
  holder_id: string | null;
  holder_name: string | null;
  claimed_at: Date | null;
  claim_expires_at: Date | null;
  total: bigint | number;
}

export async function approvalQueue(
  prisma: Pick<PrismaClient, "$queryRaw">,
  now: Date = new Date(),
  options: ApprovalQueueOptions = {},
): Promise<ApprovalQueue> {
  const thresholds = options.thresholds ?? DEFAULT_RISK_THRESHOLDS;
  if (!options.onlyWithSignals) {
    const page = await queueRows(prisma, now, { limit: QUEUE_LIMIT, ids: null });
    const signals = await riskSignalsFor(prisma, page.rows.map((row) => row.id), thresholds);
    return { total: page.total, rows: page.rows.map((row) => ({ ...row, signals: signals.get(row.id) ?? [] })) };
  }
  // The queue's order as ids, their signals in one statement, then the rows of the first flagged ones.
  const ordered = await prisma.$queryRaw<Array<{ id: string; total: bigint | number }>>`
    SELECT pr.id::text AS id, count(*) OVER () AS total
    FROM payout_requests pr
    LEFT JOIN bank_sessions bs ON bs.payout_request_id = pr.id
    WHERE pr.status = 'awaiting_approval'::"PayoutRequestStatus"
    ORDER BY bs.confirm_deadline_at ASC NULLS LAST, pr.created_at ASC, pr.id ASC
    LIMIT ${QUEUE_SIGNALS_SCAN_LIMIT}`;
  const signals = await riskSignalsFor(prisma, ordered.map((row) => row.id), thresholds);
  const flagged = ordered.filter((row) => (signals.get(row.id) ?? []).length > 0).map((row) => row.id);
  const page = await queueRows(prisma, now, { limit: QUEUE_LIMIT, ids: flagged.slice(0, QUEUE_LIMIT) });
  return {
    total: ordered[0] ? Number(ordered[0].total) : 0,
    rows: page.rows.map((row) => ({ ...row, signals: signals.get(row.id) ?? [] })),
    withSignals: flagged.length,
    checked: ordered.length,
  };
}

/** Queue rows in the queue's order: the first `limit`, or (ids) just those payouts. */
async function queueRows(
  prisma: Pick<PrismaClient, "$queryRaw">,
  now: Date,
  scope: { limit: number; ids: string[] | null },
): Promise<{ total: number; rows: Omit<ApprovalQueueRow, "signals">[] }> {
  const raw = await prisma.$queryRaw<RawQueueRow[]>`
    SELECT pr.id::text AS id, pr.number, pr.amount_kopecks, pr.recipient_name, pr.method::text AS method, bs.confirm_deadline_at, pr.created_at,
           c.holder_id::text AS holder_id, o.name AS holder_name, c.claimed_at, c.expires_at AS claim_expires_at,
           count(*) OVER () AS total
    FROM payout_requests pr
    LEFT JOIN bank_sessions bs ON bs.payout_request_id = pr.id
    LEFT JOIN payout_claims c ON c.payout_request_id = pr.id AND c.expires_at > ${now}
    LEFT JOIN operators o ON o.id = c.holder_id
    WHERE pr.status = 'awaiting_approval'::"PayoutRequestStatus" AND (${scope.ids}::uuid[] IS NULL OR pr.id = ANY(${scope.ids}::uuid[]))
    ORDER BY bs.confirm_deadline_at ASC NULLS LAST, pr.created_at ASC, pr.id ASC
    LIMIT ${scope.limit}`;
  return {
    total: raw[0] ? Number(raw[0].total) : 0,
    rows: raw.map((row) => ({
      id: row.id,
      number: Number(row.number),
      amountKopecks: toSafeKopecks(row.amount_kopecks),
      recipientName: row.recipient_name,
      method: row.method as PayoutMethod,
      confirmDeadlineAt: row.confirm_deadline_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      claim:
        row.holder_id && row.holder_name && row.claimed_at && row.claim_expires_at
          ? { holderId: row.holder_id, holderName: row.holder_name, claimedAt: row.claimed_at.toISOString(), expiresAt: row.claim_expires_at.toISOString() }
          : null,
    })),
  };
}
