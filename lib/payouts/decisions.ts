import { Bank131ApiError, Bank131NetworkError, isBank131Error } from "../bank131/errors";
import type { ConfirmInformation } from "../bank131/schemas";
import type { BankSession, PayoutRequest } from "../generated/prisma/client";
import { applyBankNews } from "./apply";
import type { Actor } from "./audit";
import { recordedCall } from "./bank-calls";
import { nowOf, type PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import { liveClaimForDecision } from "./claims";
import { checkApprovalRules, notClaimedByOther, type RuleViolation } from "./rules";
import { inTransaction } from "./transaction";
import { transition } from "./transition";

/**
 * Flow 3: an operator approves (session/confirm) or cancels (session/cancel). The conditional
 * status update is the lock: of any number of concurrent clicks or operators exactly one moves
 * the payout to `confirming`/`cancelling`, and only that one talks to the bank.
 */

export interface DecisionOutcome {
  payoutRequestId: string;
  status: string;
  /** The bank's answer was lost (timeout, 5xx): reconciliation finishes the job. */
  outcomeUnknown?: boolean;
}

type Decision = "confirm" | "cancel";

const ASK_THE_BANK_CODES = new Set(["session_wrong_state", "session_cancelled", "idempotency_key_already_exists"]);

async function claim(
  deps: PayoutDeps,
  payoutRequestId: string,
  decision: Decision,
  actor: Actor,
  reason?: string,
): Promise<{ request: PayoutRequest; session: BankSession | null }> {
  return inTransaction(deps, async (tx) => {
    const now = nowOf(deps);
    // Under the payout's row lock, so a claim taken concurrently is either seen here or waits for this decision.
    const liveClaim = await liveClaimForDecision(tx, payoutRequestId, now);
    const request = await tx.payoutRequest.findUnique({ where: { id: payoutRequestId }, include: { bankSession: { include: { payouts: true } } } });
    if (!request) throw new PayoutError("not_found", "Payout request not found");
    const session = request.bankSession;
    if (decision === "cancel") {
      const held = notClaimedByOther({ actor, now, claim: liveClaim });
      if (held) throw refusal(held);
    }
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
    if (decision === "confirm") {
      const violation = checkApprovalRules({ request, session, payouts: session.payouts, actor, now, claim: liveClaim });
      if (violation) throw refusal(violation);
    }
    const to = decision === "confirm" ? "confirming" : "cancelling";
    const moved = await transition(tx, payoutRequestId, to, actor, {
      action: decision === "confirm" ? "operator.approved" : "operator.cancelled",
      data: reason ? { reason } : undefined,
      from: ["awaiting_approval"],
    });
    if (!moved) {
      throw new PayoutError("invalid_state", `The payout is ${request.status}; only a payout awaiting approval can be ${decision === "confirm" ? "approved" : "cancelled"}`, {
        params: { status: request.status },
      });
    }
    return { request, session };
  });
}

/** A broken rule as the error the operator gets: under its own code, or as approval_rule naming it. */
const refusal = (violation: RuleViolation): PayoutError =>
  violation.code
    ? new PayoutError(violation.code, violation.message, { params: violation.params })
    : new PayoutError("approval_rule", violation.message, { params: { rule: violation.rule, ...violation.params } });

export async function approvePayout(deps: PayoutDeps, input: { payoutRequestId: string; actor: Actor }): Promise<DecisionOutcome> {
  const { session } = await claim(deps, input.payoutRequestId, "confirm", input.actor);
  if (!session) throw new PayoutError("invalid_state", "The payout has not reached the bank yet");
  return sendDecision(deps, session, "confirm");
}

export async function cancelPayout(deps: PayoutDeps, input: { payoutRequestId: string; actor: Actor; reason: string }): Promise<DecisionOutcome> {
  const { session } = await claim(deps, input.payoutRequestId, "cancel", input.actor, input.reason);
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
