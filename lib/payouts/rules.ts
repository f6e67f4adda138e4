import type { BankPayout, BankSession, PayoutRequest } from "../generated/prisma/client";
import { formatKopecks } from "../money";
import type { Actor } from "./audit";

/**
 * Approval rules: checks that must all pass before `session/confirm` is sent. Each returns a
 * sentence for the operator, or null. Governance rules (four-eyes, per-operator limits) are added
 * to RULES; the approve path needs no other change.
 */
export interface ApprovalContext {
  request: PayoutRequest;
  session: BankSession;
  payouts: BankPayout[];
  actor: Actor;
  now: Date;
}

type Rule = (context: ApprovalContext) => string | null;

/** What the bank is about to pay must be exactly what was requested (mistakes and tampering). */
const amountMatches: Rule = ({ request, payouts }) => {
  const payout = payouts[0];
  if (!payout || payout.amountKopecks === null) return null; // escrow: the amount is echoed in confirm_information
  if (payout.amountKopecks !== request.amountKopecks) {
    return `The bank reports ${formatKopecks(payout.amountKopecks)} but the request is for ${formatKopecks(request.amountKopecks)}; cancel it instead`;
  }
  if (payout.currency && payout.currency !== request.currency) return `The bank reports currency ${payout.currency}, the request is in ${request.currency}`;
  return null;
};

const escrowAmountMatches: Rule = ({ request, session }) => {
  const info = session.confirmInformation as { transfer_details?: { amount?: { amount?: number } } } | null;
  const amount = info?.transfer_details?.amount?.amount;
  if (request.sourceAccount !== "escrow" || amount === undefined) return null;
  return BigInt(amount) === request.amountKopecks ? null : `The escrow transfer is for ${formatKopecks(amount)} but the request is for ${formatKopecks(request.amountKopecks)}`;
};

const withinDeadline: Rule = ({ session, now }) =>
  session.confirmDeadlineAt && session.confirmDeadlineAt <= now ? "The bank's confirmation window has passed; the bank will cancel this payout" : null;

const RULES: Rule[] = [amountMatches, escrowAmountMatches, withinDeadline];

export function checkApprovalRules(context: ApprovalContext): string | null {
  for (const rule of RULES) {
    const violation = rule(context);
    if (violation) return violation;
  }
  return null;
}
