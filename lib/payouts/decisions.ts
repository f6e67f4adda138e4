import { Bank131ApiError, Bank131NetworkError, isBank131Error } from "../bank131/errors";
import type { ConfirmInformation } from "../bank131/schemas";
import type { BankSession, PayoutRequest } from "../generated/prisma/client";
import { applyBankNews } from "./apply";
import type { Actor } from "./audit";
import { recordedCall } from "./bank-calls";
import { nowOf, type PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import { checkApprovalRules } from "./rules";
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

async function claim(
  deps: PayoutDeps,
  payoutRequestId: string,
  decision: Decision,
  actor: Actor,
  reason?: string,
): Promise<{ request: PayoutRequest; session: BankSession }> {
  return inTransaction(deps, async (tx) => {
    const request = await tx.payoutRequest.findUnique({ where: { id: payoutRequestId }, include: { bankSession: { include: { payouts: true } } } });
    if (!request) throw new PayoutError("not_found", "Payout request not found");
    const session = request.bankSession;
    if (!session?.bankSessionId) throw new PayoutError("invalid_state", "The payout has not reached the bank yet", { params: { status: request.status } });
    if (decision === "confirm") {
      const violation = checkApprovalRules({ request, session, payouts: session.payouts, actor, now: nowOf(deps) });
      if (violation) throw new PayoutError("approval_rule", violation.message, { params: { rule: violation.rule, ...violation.params } });
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

export async function approvePayout(deps: PayoutDeps, input: { payoutRequestId: string; actor: Actor }): Promise<DecisionOutcome> {
  const { session } = await claim(deps, input.payoutRequestId, "confirm", input.actor);
  return sendDecision(deps, session, "confirm");
}

export async function cancelPayout(deps: PayoutDeps, input: { payoutRequestId: string; actor: Actor; reason: string }): Promise<DecisionOutcome> {
  const { session } = await claim(deps, input.payoutRequestId, "cancel", input.actor, input.reason);
  return sendDecision(deps, session, "cancel");
}

/**
 * Sends (or re-sends, from reconciliation) the decision. The idempotency key is fixed per session
 * and decision, so a resend after a lost answer is the same request to the bank.
 */
export async function sendDecision(deps: PayoutDeps, session: BankSession, decision: Decision): Promise<DecisionOutcome> {
  const sessionId = session.bankSessionId!;
  const confirmInformation = (session.confirmInformation ?? undefined) as ConfirmInformation | undefined;
  const idempotencyKey = `${session.idempotencyKey}:${decision}`;
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
    if (error instanceof Bank131ApiError && (error.code === "session_wrong_state" || error.code === "session_cancelled")) {
      // The bank moved on without us (deadline passed, already decided): take its word for it.
      const status = await deps.bank.status(sessionId);
      const result = await applyBankNews(deps, { session: status.session, source: "reconcile" });
      return { payoutRequestId: session.payoutRequestId, status: result.to ?? "unchanged" };
    }
    if (error instanceof Bank131ApiError && !error.isRetriable) {
      // A definitive refusal of our decision (e.g. invalid_request): the bank still waits for one.
      await inTransaction(deps, (tx) =>
        transition(tx, session.payoutRequestId, "awaiting_approval", { type: "bank" }, {
          action: `bank.${decision}_refused`,
          data: { code: error.code, description: error.description },
          from: [decision === "confirm" ? "confirming" : "cancelling"],
        }),
      );
      throw new PayoutError("bank_rejected", `The bank refused the ${decision}: ${error.description} (${error.code})`, { params: { bankCode: error.code } });
    }
    if (error instanceof Bank131NetworkError || (isBank131Error(error) && error.isRetriable)) {
      await deps.prisma.bankSession.update({ where: { id: session.id }, data: { lastError: `${decision}: ${(error as Error).message}`.slice(0, 500) } });
      return { payoutRequestId: session.payoutRequestId, status: decision === "confirm" ? "confirming" : "cancelling", outcomeUnknown: true };
    }
    throw error;
  }
}
