import type { Prisma } from "../generated/prisma/client";
import { applyBankNews } from "./apply";
import { sendDecision } from "./decisions";
import { nowOf, type PayoutDeps } from "./deps";
import { expireStaleLinks } from "./requests";
import { driveStart } from "./start";
import { inTransaction } from "./transaction";

/**
 * Reconciliation: for payouts with no progress for a while (missed webhooks, bank errors, start or
 * decision calls whose answers were lost), ask the bank with `session/status` and feed the answer
 * into the same state machine as webhooks. Unanswered starts and decisions are replayed under
 * their original idempotency keys.
 */

export const OPEN_STATUSES = ["submitted", "awaiting_approval", "confirming", "cancelling", "bank_error"] as const;

export interface ReconcileFinding {
  payoutRequestId: string;
  action: "start_replayed" | "status_applied" | "decision_resent" | "error";
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

export async function reconcileOnce(deps: PayoutDeps, options: { staleAfterMs: number; runner: string; limit?: number }): Promise<ReconcileReport> {
  const now = nowOf(deps);
  const run = await deps.prisma.reconciliationRun.create({ data: { runner: options.runner, startedAt: now } });
  const staleBefore = new Date(now.getTime() - options.staleAfterMs);
  const candidates = await deps.prisma.payoutRequest.findMany({
    where: {
      status: { in: [...OPEN_STATUSES] },
      updatedAt: { lte: staleBefore },
      bankSession: { is: { OR: [{ lastSyncedAt: null }, { lastSyncedAt: { lte: staleBefore } }] } },
    },
    include: { bankSession: true },
    orderBy: { updatedAt: "asc" },
    take: options.limit ?? 100,
  });

  const findings: ReconcileFinding[] = [];
  let changed = 0;
  let errors = 0;
  for (const request of candidates) {
    const session = request.bankSession;
    if (!session) continue;
    try {
      if (!session.bankSessionId || session.status === "starting" || session.status === "created") {
        const outcome = await driveStart(deps, session);
        findings.push({ payoutRequestId: request.id, action: "start_replayed", effect: outcome.started ? "started" : (outcome.pendingReason ?? outcome.rejected?.code ?? "pending") });
        if (outcome.started || outcome.rejected) changed++;
        continue;
      }
      const status = await deps.bank.status(session.bankSessionId);
      const result = await applyBankNews(deps, { session: status.session, source: "reconcile" });
      await deps.prisma.bankSession.update({ where: { id: session.id }, data: { lastSyncedAt: nowOf(deps) } });
      if (result.to) changed++;
      findings.push({ payoutRequestId: request.id, action: "status_applied", effect: result.effect });

      // Our confirm/cancel never reached the bank (or its answer was lost): the bank still waits.
      const stillWaiting = status.session.next_action === "confirm" && status.session.status === "in_progress";
      if (!result.to && stillWaiting && (request.status === "confirming" || request.status === "cancelling")) {
        const decision = await sendDecision(deps, session, request.status === "confirming" ? "confirm" : "cancel");
        findings.push({ payoutRequestId: request.id, action: "decision_resent", effect: decision.status });
      }
    } catch (error) {
      errors++;
      findings.push({ payoutRequestId: request.id, action: "error", effect: (error as Error).message.slice(0, 300) });
    }
  }
  const expiredLinks = await expireStaleLinks(deps);
  await inTransaction(deps, async (tx, emit) => {
    await tx.reconciliationRun.update({
      where: { id: run.id },
      data: { finishedAt: nowOf(deps), checked: candidates.length, changed: changed + expiredLinks, errors, findings: findings as unknown as Prisma.InputJsonValue },
    });
    emit({ type: "reconciliation.ran" });
  });
  return { runId: run.id, checked: candidates.length, changed, errors, expiredLinks, findings };
}
