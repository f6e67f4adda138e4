import type { PaymentSession } from "../bank131/schemas";
import type { BankSession, Prisma } from "../generated/prisma/client";
import { applyBankNews, payoutAmount } from "./apply";
import { audit, SYSTEM } from "./audit";
import { missesConfirmInformation, sendDecision } from "./decisions";
import { nowOf, type PayoutDeps } from "./deps";
import { expireStaleLinks } from "./requests";
import { driveStart } from "./start";
import { inTransaction } from "./transaction";
import { statusFromBank, type PayoutStatus } from "./state-machine";

/**
 * Reconciliation: for payouts with no progress for a while (missed webhooks, bank errors, start or
 * decision calls whose answers were lost), ask the bank with `session/status` and feed the answer
 * into the same state machine as webhooks. Unanswered starts and decisions are replayed under
 * their original idempotency keys.
 *
 * Fairness: a row whose check fails waits before its next try (exponential back-off in
 * `next_check_at`), so rows that keep failing cannot take every slot of every run.
 * The past: `paid` payouts that the bank can still return (bank accounts) stay watched for the refund
 * window, and every recently finished payout is compared once with the bank (status and amount); a
 * disagreement is never "fixed" backwards — it is flagged for a human.
 */

export const OPEN_STATUSES = ["submitted", "awaiting_approval", "confirming", "cancelling", "bank_error"] as const;
/** Statuses in which the bank had the last word: re-checked after the fact. */
export const AUDITED_STATUSES = ["paid", "refunded", "failed", "cancelled"] as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Seed 003 (`003_6e18617bb16bea21.txt`): "A payout to a Russian bank account may be refunded within 5 days". */
export const DEFAULT_REFUND_WATCH_MS = 5 * DAY_MS;
export const DEFAULT_AUDIT_WINDOW_MS = 7 * DAY_MS;
/** How often a watched `paid` payout is polled for a refund whose webhook may have been missed. */
export const REFUND_WATCH_INTERVAL_MS = 60 * 60 * 1000;
const BACKOFF_BASE_MS = 30_000;
export const DEFAULT_BACKOFF_MAX_MS = 60 * 60 * 1000;

export interface ReconcileFinding {
  payoutRequestId: string;
  action: "start_replayed" | "status_applied" | "decision_resent" | "audited" | "mismatch" | "error";
  effect: string;
}

export interface ReconcileReport {
  runId: string;
  checked: number;
  changed: number;
  errors: number;
  expiredLinks: number;
  findings: ReconcileFinding[];
}

export interface ReconcileOptions {
  staleAfterMs: number;
  runner: string;
  limit?: number;
  /** How long `paid` bank-account payouts stay watched for a refund. */
  refundWatchMs?: number;
  /** Finished payouts updated within this window are audited once against the bank. */
  auditWindowMs?: number;
  auditLimit?: number;
  backoffMaxMs?: number;
}

/** Delay before the next check of a row that failed `failures` times in a row. */
export function backoffMs(failures: number, maxMs = DEFAULT_BACKOFF_MAX_MS): number {
  return Math.min(maxMs, BACKOFF_BASE_MS * 2 ** Math.min(Math.max(failures - 1, 0), 20));
}

/** After a check: a success clears the back-off (next check at `nextCheckAt`, null = when stale); a failure doubles it. */
async function scheduleNextCheck(deps: PayoutDeps, session: BankSession, ok: boolean, options: ReconcileOptions, nextCheckAt: Date | null = null): Promise<void> {
  if (ok) {
    await deps.prisma.bankSession.update({ where: { id: session.id }, data: { checkFailures: 0, nextCheckAt } });
    return;
  }
  const failures = session.checkFailures + 1;
  // Bank news that arrived during this check (a webhook, a concurrent start) already told us the row is alive.
  await deps.prisma.bankSession.updateMany({
    where: { id: session.id, lastSyncedAt: session.lastSyncedAt },
    data: { checkFailures: failures, nextCheckAt: new Date(nowOf(deps).getTime() + backoffMs(failures, options.backoffMaxMs)) },
  });
}

export async function reconcileOnce(deps: PayoutDeps, options: ReconcileOptions): Promise<ReconcileReport> {
  const now = nowOf(deps);
  const run = await deps.prisma.reconciliationRun.create({ data: { runner: options.runner, startedAt: now } });
  const staleBefore = new Date(now.getTime() - options.staleAfterMs);
  const due: Prisma.BankSessionWhereInput = { OR: [{ nextCheckAt: null }, { nextCheckAt: { lte: now } }] };
  const candidates = await deps.prisma.payoutRequest.findMany({
    where: {
      updatedAt: { lte: staleBefore },
      OR: [
        { status: { in: [...OPEN_STATUSES] } },
        // Seed 003: a bank-account payout can come back as refunded; the webhook may be missed.
        // Only `bank_account`: SBP payouts (method sbp, also bank_account at the bank) cannot be refunded.
        { status: "paid", method: "bank_account", updatedAt: { gte: new Date(now.getTime() - (options.refundWatchMs ?? DEFAULT_REFUND_WATCH_MS)) } },
      ],
      bankSession: { is: { AND: [due, { OR: [{ lastSyncedAt: null }, { lastSyncedAt: { lte: staleBefore } }] }] } },
    },
    include: { bankSession: true },
    orderBy: { updatedAt: "asc" },
    take: options.limit ?? 100,
  });

  const findings: ReconcileFinding[] = [];
  let changed = 0;
  let errors = 0;
  const checked = (session: BankSession, ok: boolean, nextCheckAt: Date | null = null) => scheduleNextCheck(deps, session, ok, options, nextCheckAt);

  for (const request of candidates) {
    const session = request.bankSession;
    if (!session) continue;
    try {
      if (!session.bankSessionId || session.status === "starting" || session.status === "created") {
        const outcome = await driveStart(deps, session);
        findings.push({ payoutRequestId: request.id, action: "start_replayed", effect: outcome.started ? "started" : (outcome.pendingReason ?? outcome.rejected?.code ?? "pending") });
        if (outcome.started || outcome.rejected) changed++;
        await checked(session, outcome.started || outcome.rejected !== undefined || outcome.pendingReason === "needs_attention");
        continue;
      }
      const status = await deps.bank.status(session.bankSessionId);
      const result = await applyBankNews(deps, { session: status.session, source: "reconcile" });
      await deps.prisma.bankSession.update({ where: { id: session.id }, data: { lastSyncedAt: nowOf(deps) } });
      if (result.to) changed++;
      findings.push({ payoutRequestId: request.id, action: "status_applied", effect: result.effect });
      const stillPaid = (result.to ?? request.status) === "paid";
      await checked(session, true, stillPaid ? new Date(nowOf(deps).getTime() + REFUND_WATCH_INTERVAL_MS) : null);

      // Our confirm/cancel never reached the bank (or its answer was lost): the bank still waits.
      const stillWaiting = status.session.next_action === "confirm" && status.session.status === "in_progress";
      if (!result.to && stillWaiting && (request.status === "confirming" || request.status === "cancelling") && !missesConfirmInformation(session)) {
        const fresh = await deps.prisma.bankSession.findUniqueOrThrow({ where: { id: session.id } });
        const decision = await sendDecision(deps, fresh, request.status === "confirming" ? "confirm" : "cancel");
        findings.push({ payoutRequestId: request.id, action: "decision_resent", effect: decision.status });
      }
    } catch (error) {
      errors++;
      findings.push({ payoutRequestId: request.id, action: "error", effect: (error as Error).message.slice(0, 300) });
      await checked(session, false).catch(() => {});
    }
  }

  const audit = await auditFinished(deps, options, now, staleBefore, due);
  findings.push(...audit.findings);
  errors += audit.errors;

  const expiredLinks = await expireStaleLinks(deps);
  await inTransaction(deps, async (tx, emit) => {
    await tx.reconciliationRun.update({
      where: { id: run.id },
      data: {
        finishedAt: nowOf(deps),
        checked: candidates.length + audit.checked,
        changed: changed + audit.changed + expiredLinks,
        errors,
        findings: findings as unknown as Prisma.InputJsonValue,
      },
    });
    emit({ type: "reconciliation.ran" });
  });
  return { runId: run.id, checked: candidates.length + audit.checked, changed: changed + audit.changed, errors, expiredLinks, findings };
}

/** What the bank's session says about one payout: the portal status it implies and the amount. */
function bankVerdict(session: PaymentSession, current: PayoutStatus, refunded: boolean): { status: PayoutStatus | null; amountKopecks: number | null } {
  const primary = session.payout_list?.[0];
  const status = statusFromBank(
    { sessionStatus: session.status, nextAction: session.next_action, payoutStatus: primary?.status ?? null, payoutErrorCode: primary?.error?.code ?? null, refunded },
    current,
  );
  return { status, amountKopecks: primary ? (payoutAmount(session, primary)?.amount ?? null) : null };
}

/**
 * After-the-fact audit: each recently finished payout is compared once with the bank. News the state
 * machine accepts (paid → refunded) is applied; anything else that disagrees is flagged for operators
 * (an audit event and `bank_mismatch` on the payout), never written over a final status.
 */
async function auditFinished(deps: PayoutDeps, options: ReconcileOptions, now: Date, staleBefore: Date, due: Prisma.BankSessionWhereInput) {
  const rows = await deps.prisma.payoutRequest.findMany({
    where: {
      status: { in: [...AUDITED_STATUSES] },
      updatedAt: { lte: staleBefore, gte: new Date(now.getTime() - (options.auditWindowMs ?? DEFAULT_AUDIT_WINDOW_MS)) },
      bankMismatchAt: null,
      bankSession: { is: { AND: [due, { auditedAt: null, bankSessionId: { not: null } }] } },
    },
    include: { bankSession: true },
    orderBy: { updatedAt: "asc" },
    take: options.auditLimit ?? 50,
  });
  const findings: ReconcileFinding[] = [];
  let changed = 0;
  let errors = 0;
  for (const request of rows) {
    const session = request.bankSession!;
    try {
      const { session: bankSession } = await deps.bank.status(session.bankSessionId!);
      const applied = await applyBankNews(deps, { session: bankSession, source: "reconcile" });
      if (applied.to) changed++;
      const current = (applied.to ?? request.status) as PayoutStatus;
      const primaryId = bankSession.payout_list?.[0]?.id;
      const stored = primaryId ? await deps.prisma.bankPayout.findUnique({ where: { bankPayoutId: primaryId } }) : null;
      const verdict = bankVerdict(bankSession, current, Boolean(stored?.refundedAt));
      const statusDiffers = verdict.status !== null && verdict.status !== current;
      const amountDiffers = verdict.amountKopecks !== null && BigInt(verdict.amountKopecks) !== request.amountKopecks;
      await inTransaction(deps, async (tx, emit) => {
        await tx.bankSession.update({ where: { id: session.id }, data: { auditedAt: nowOf(deps), checkFailures: 0, nextCheckAt: null } });
        if (!statusDiffers && !amountDiffers) return;
        const mismatch = {
          status: current,
          bankStatus: verdict.status,
          amountKopecks: Number(request.amountKopecks),
          bankAmountKopecks: verdict.amountKopecks,
          bankSessionStatus: bankSession.status,
          bankPayoutStatus: bankSession.payout_list?.[0]?.status ?? null,
        };
        await tx.payoutRequest.update({ where: { id: request.id }, data: { bankMismatch: mismatch, bankMismatchAt: nowOf(deps) } });
        await audit(tx, { actor: SYSTEM, action: "reconcile.mismatch", payoutRequestId: request.id, fromStatus: current, data: mismatch });
        emit({ type: "payout.updated", payoutRequestId: request.id, status: current });
      });
      findings.push(
        statusDiffers || amountDiffers
          ? { payoutRequestId: request.id, action: "mismatch", effect: `${statusDiffers ? `status ${current}≠bank ${verdict.status}` : ""}${statusDiffers && amountDiffers ? "; " : ""}${amountDiffers ? `amount ${request.amountKopecks}≠bank ${verdict.amountKopecks}` : ""}` }
          : { payoutRequestId: request.id, action: "audited", effect: applied.effect },
      );
    } catch (error) {
      errors++;
      findings.push({ payoutRequestId: request.id, action: "error", effect: `audit: ${(error as Error).message}`.slice(0, 300) });
      await scheduleNextCheck(deps, session, false, options).catch(() => {});
    }
  }
  return { checked: rows.length, changed, errors, findings };
}
