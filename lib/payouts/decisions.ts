import { Bank131ApiError, Bank131NetworkError, isBank131Error } from "../bank131/errors";
import type { ConfirmInformation } from "../bank131/schemas";
import type { BankPayout, BankSession, PayoutRequest } from "../generated/prisma/client";
import { applyBankNews } from "./apply";
import { approverStanding, countingApprovals, requiredApprovals, voidApprovals } from "./approvals";
import { audit, type Actor } from "./audit";
import { recordedCall } from "./bank-calls";
import { nowOf, type PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import { changedFields, fingerprintFields, fingerprintOf, type FingerprintField } from "./fingerprint";
import { liveClaimForDecision } from "./claims";
import { riskSignalsFor } from "./risk-signals";
import { checkApprovalRules, notClaimedByOther, type RuleViolation } from "./rules";
import { inTransaction, type PayoutTx } from "./transaction";
import { transition } from "./transition";

/**
 * Flow 3: an operator approves (session/confirm) or cancels (session/cancel). The conditional
 * status update is the lock: of any number of concurrent clicks or operators exactly one moves
 * the payout to `confirming`/`cancelling`, and only that one talks to the bank. An approval is
 * recorded (payout_approvals) with the fingerprint of what will be paid; a payout at or above the
 * two-approver threshold moves on only with its second approval.
 */

export interface DecisionOutcome {
  payoutRequestId: string;
  status: string;
  /** The bank's answer was lost (timeout, 5xx): reconciliation finishes the job. */
  outcomeUnknown?: boolean;
  /** An approval: how many count now and how many the payout needs. */
  approvals?: { count: number; required: number };
}

type Decision = "confirm" | "cancel";

const ASK_THE_BANK_CODES = new Set(["session_wrong_state", "session_cancelled", "idempotency_key_already_exists"]);

type RequestWithSession = PayoutRequest & { bankSession: (BankSession & { payouts: BankPayout[] }) | null };

/**
 * Loads the payout and checks it can be decided now (a cancel of a payout that needs attention is
 * recorded here, with no bank call to make: session null).
 */
async function decidable(
  tx: PayoutTx,
  payoutRequestId: string,
  decision: Decision,
  actor: Actor,
  reason?: string,
): Promise<{ request: RequestWithSession; session: (BankSession & { payouts: BankPayout[] }) | null }> {
  const request = await tx.payoutRequest.findUnique({ where: { id: payoutRequestId }, include: { bankSession: { include: { payouts: true } } } });
  if (!request) throw new PayoutError("not_found", "Payout request not found");
  const session = request.bankSession;
  if (decision === "cancel" && request.status === "needs_attention") {
    // The bank cannot be asked about this payout (no session id) and nothing was confirmed, so the
    // operator's cancel is recorded here; there is no bank call to make.
    const moved = await transition(tx, payoutRequestId, "cancelled", actor, { action: "operator.cancelled", data: reason ? { reason } : undefined, from: ["needs_attention"] });
    if (!moved) throw new PayoutError("invalid_state", "The payout was changed by someone else; reload and try again", { params: { status: request.status } });
    return { request, session: null };
  }
  if (!session?.bankSessionId) throw new PayoutError("invalid_state", "The payout has not reached the bank yet", { params: { status: request.status } });
  if (missesConfirmInformation(session)) {
    // The bank re-sends ready_to_confirm until it is answered: the decision waits for it.
    throw new PayoutError("approval_rule", "The bank's confirm_information for this escrow payout has not arrived yet", {
      params: { rule: "confirm_information_missing" },
    });
  }
  return { request, session };
}

const notAwaitingApproval = (status: string, decision: Decision) =>
  new PayoutError("invalid_state", `The payout is ${status}; only a payout awaiting approval can be ${decision === "confirm" ? "approved" : "cancelled"}`, {
    params: { status },
  });

const refusalOf = (violation: RuleViolation) =>
  new PayoutError(violation.code, violation.message, { params: violation.rule ? { rule: violation.rule, ...violation.params } : violation.params });

const approvalChanged = (changed: FingerprintField[]) =>
  new PayoutError("approval_changed", `What will be paid changed since it was approved: ${changed.join(", ")}`, { params: { changed } });

type ApprovalStep =
  | { kind: "recorded"; count: number; required: number }
  | { kind: "confirm"; decisionAttempt: number; count: number; required: number }
  /** Committed (stale approvals voided), then thrown. */
  | { kind: "refused"; error: PayoutError };

/**
 * Records one operator's approval under the payout's row lock: the rules (maker ≠ checker, limits,
 * what the bank will pay, unchanged since earlier approvals) against the fingerprint computed here,
 * then either "1 of 2" or the move to `confirming` by the approval that completes the count.
 */
async function recordApproval(deps: PayoutDeps, payoutRequestId: string, actor: Actor): Promise<ApprovalStep> {
  const operatorId = actor.type === "operator" ? actor.id : null;
  if (!operatorId) throw new PayoutError("forbidden", "Only a signed-in operator can approve a payout", { params: { reason: "role" } });
  const now = nowOf(deps);
  return inTransaction(deps, async (tx, emit) => {
    // Under the payout's row lock: concurrent approvals take turns, and a claim taken at the same
    // moment is either seen here or waits for this decision.
    const claim = await liveClaimForDecision(tx, payoutRequestId, now);
    const { request, session } = await decidable(tx, payoutRequestId, "confirm", actor);
    if (!session) throw new PayoutError("invalid_state", "The payout has not reached the bank yet");
    if (request.status !== "awaiting_approval") throw notAwaitingApproval(request.status, "confirm");
    const approvals = await countingApprovals(tx, payoutRequestId, session.decisionAttempt);
    const fields = fingerprintFields({ request, session });
    const fingerprint = fingerprintOf(fields);
    const violation = checkApprovalRules({
      request,
      session,
      payouts: session.payouts,
      actor,
      now,
      approver: await approverStanding(tx, operatorId, now),
      approvals,
      fingerprint: fields,
      claim,
    });
    if (violation?.code === "approval_changed") {
      // Earlier approvals were of something else: they stop counting, so the next approvals are of what is paid now.
      await voidApprovals(tx, payoutRequestId, session.decisionAttempt, now);
      await audit(tx, { actor, action: "approval.voided", payoutRequestId, data: { changed: violation.params.changed ?? [], fingerprint } });
      emit({ type: "payout.updated", payoutRequestId, status: request.status });
      return { kind: "refused", error: refusalOf(violation) };
    }
    if (violation) throw refusalOf(violation);
    // The signals as they stand at this decision (same snapshot as the rules) go on record with it.
    const riskSignals = (await riskSignalsFor(tx, [payoutRequestId], deps.settings.risk)).get(payoutRequestId) ?? [];
    await tx.payoutApproval.create({
      data: {
        payoutRequestId,
        operatorId,
        decisionAttempt: session.decisionAttempt,
        fingerprint,
        fields: fields as object,
        amountKopecks: request.amountKopecks,
        riskSignals,
      },
    });
    const count = approvals.length + 1;
    const required = requiredApprovals(request.amountKopecks, deps.settings.twoApproversFromKopecks);
    const data = { fingerprint, approval: count, required, riskSignals };
    if (count < required) {
      await audit(tx, { actor, action: "operator.approval_recorded", payoutRequestId, data });
      emit({ type: "payout.updated", payoutRequestId, status: request.status });
      return { kind: "recorded", count, required };
    }
    const moved = await transition(tx, payoutRequestId, "confirming", actor, { action: "operator.approved", data, from: ["awaiting_approval"] });
    if (!moved) throw notAwaitingApproval(request.status, "confirm");
    return { kind: "confirm", decisionAttempt: session.decisionAttempt, count, required };
  });
}

export async function approvePayout(deps: PayoutDeps, input: { payoutRequestId: string; actor: Actor }): Promise<DecisionOutcome> {
  const step = await recordApproval(deps, input.payoutRequestId, input.actor);
  if (step.kind === "refused") throw step.error;
  const approvals = { count: step.count, required: step.required };
  if (step.kind === "recorded") return { payoutRequestId: input.payoutRequestId, status: "awaiting_approval", approvals };
  const session = await fingerprintStillApproved(deps, input.payoutRequestId, step.decisionAttempt, input.actor);
  return { ...(await sendDecision(deps, session, "confirm")), approvals };
}

/**
 * Right before `session/confirm`: the fingerprint recomputed from the rows about to be sent must be
 * the one every counting approval was given for. Otherwise the payout goes back to awaiting
 * approval, the approvals stop counting, and the refusal names what changed.
 */
async function fingerprintStillApproved(deps: PayoutDeps, payoutRequestId: string, decisionAttempt: number, actor: Actor): Promise<BankSession> {
  const request = await deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: payoutRequestId }, include: { bankSession: true } });
  const session = request.bankSession!;
  const current = fingerprintFields({ request, session });
  const approvals = await countingApprovals(deps.prisma, payoutRequestId, decisionAttempt);
  const changed = [...new Set(approvals.flatMap((approval) => changedFields(approval.fields, current)))];
  if (changed.length === 0 && session.decisionAttempt === decisionAttempt) return session;
  await inTransaction(deps, async (tx) => {
    await voidApprovals(tx, payoutRequestId, decisionAttempt, nowOf(deps));
    await transition(tx, payoutRequestId, "awaiting_approval", actor, {
      action: "approval.voided",
      data: { changed, fingerprint: fingerprintOf(current) },
      from: ["confirming"],
    });
  });
  throw approvalChanged(changed);
}

export async function cancelPayout(deps: PayoutDeps, input: { payoutRequestId: string; actor: Actor; reason: string }): Promise<DecisionOutcome> {
  const session = await inTransaction(deps, async (tx) => {
    // Someone else's claim blocks a cancel too (the approval rules do not run for a cancel).
    const now = nowOf(deps);
    const held = notClaimedByOther({ actor: input.actor, now, claim: await liveClaimForDecision(tx, input.payoutRequestId, now) });
    if (held) throw refusalOf(held);
    const { request, session } = await decidable(tx, input.payoutRequestId, "cancel", input.actor, input.reason);
    if (!session) return null;
    const moved = await transition(tx, input.payoutRequestId, "cancelling", input.actor, { action: "operator.cancelled", data: input.reason ? { reason: input.reason } : undefined, from: ["awaiting_approval"] });
    if (!moved) throw notAwaitingApproval(request.status, "cancel");
    return session;
  });
  if (!session) return { payoutRequestId: input.payoutRequestId, status: "cancelled" };
  return sendDecision(deps, session, "cancel");
}

/**
 * Escrow (nominal) sessions must echo the `confirm_information` of ready_to_confirm in confirm AND
 * cancel (seed 004); session/status does not carry it, so a missed webhook means we must wait.
 */
export function missesConfirmInformation(session: Pick<BankSession, "flow" | "confirmInformation">): boolean {
  return session.flow === "nominal" && (session.confirmInformation === null || session.confirmInformation === undefined);
}

/**
 * The idempotency key of a decision: fixed per session, decision and attempt, so a resend after a
 * lost answer is the same request; after a definitive refusal the attempt moves on, because a bank
 * may answer a reused key with idempotency_key_already_exists forever (api-reference §5).
 */
export function decisionKey(session: Pick<BankSession, "idempotencyKey" | "decisionAttempt">, decision: Decision): string {
  return `${session.idempotencyKey}:${decision}${session.decisionAttempt > 0 ? `:${session.decisionAttempt}` : ""}`;
}

/** Sends (or re-sends, from reconciliation) the decision. */
export async function sendDecision(deps: PayoutDeps, session: BankSession, decision: Decision): Promise<DecisionOutcome> {
  const sessionId = session.bankSessionId!;
  // Echoed exactly as the bank sent it (stored raw from the webhook), unknown keys included.
  const confirmInformation = (session.confirmInformation ?? undefined) as ConfirmInformation | undefined;
  const idempotencyKey = decisionKey(session, decision);
  const method = decision === "confirm" ? "session/confirm" : "session/cancel";
  const body = { session_id: sessionId, ...(confirmInformation ? { confirm_information: confirmInformation } : {}) };
  try {
    const response = await recordedCall(deps.prisma, { payoutRequestId: session.payoutRequestId, method, idempotencyKey, body }, () =>
      decision === "confirm"
        ? deps.bank.confirm(sessionId, confirmInformation, { idempotencyKey })
        : deps.bank.cancel(sessionId, confirmInformation, { idempotencyKey }),
    );
    const result = await applyBankNews(deps, { session: response.session, source: decision });
    return { payoutRequestId: session.payoutRequestId, status: result.to ?? (decision === "confirm" ? "confirming" : "cancelling") };
  } catch (error) {
    if (error instanceof Bank131ApiError && ASK_THE_BANK_CODES.has(error.code)) {
      // The bank moved on without us (deadline passed, already decided), or it refuses the reused key of
      // an earlier attempt whose answer we lost: take its word for it.
      const status = await deps.bank.status(sessionId);
      const result = await applyBankNews(deps, { session: status.session, source: "reconcile" });
      if (!result.to && status.session.next_action === "confirm") {
        // It still waits for a decision: the next attempt must be a new request.
        await deps.prisma.bankSession.update({ where: { id: session.id }, data: { decisionAttempt: { increment: 1 } } });
      }
      return { payoutRequestId: session.payoutRequestId, status: result.to ?? "unchanged" };
    }
    if (error instanceof Bank131ApiError && !error.isRetriable) {
      // A definitive refusal of our decision (e.g. invalid_request): the bank still waits for one, and
      // the next decision is a new request under a new key.
      await inTransaction(deps, async (tx) => {
        await tx.bankSession.update({ where: { id: session.id }, data: { decisionAttempt: { increment: 1 } } });
        await transition(tx, session.payoutRequestId, "awaiting_approval", { type: "bank" }, {
          action: `bank.${decision}_refused`,
          data: { code: error.code, description: error.description },
          from: [decision === "confirm" ? "confirming" : "cancelling"],
        });
      });
      throw new PayoutError("bank_rejected", `The bank refused the ${decision}: ${error.description} (${error.code})`, { params: { bankCode: error.code } });
    }
    if (error instanceof Bank131NetworkError || (isBank131Error(error) && error.isRetriable)) {
      await deps.prisma.bankSession.update({ where: { id: session.id }, data: { lastError: `${decision}: ${(error as Error).message}`.slice(0, 500) } });
      return { payoutRequestId: session.payoutRequestId, status: decision === "confirm" ? "confirming" : "cancelling", outcomeUnknown: true };
    }
    throw error;
  }
}
