import type { BankPayout, BankSession, PayoutRequest } from "../generated/prisma/client";
import { toSafeKopecks } from "../money";
import type { Actor } from "./audit";
import type { LiveClaim } from "./claims";
import type { ErrorParams, PayoutErrorCode } from "./errors";

/**
 * Approval rules: checks that must all pass before `session/confirm` is sent. Each returns a
 * violation (a stable rule name and its parameters, worded by lib/i18n/errors.ts) or null.
 * Governance rules (four-eyes, per-operator limits) are added to RULES; the approve path needs no
 * other change.
 */
export interface ApprovalContext {
  request: PayoutRequest;
  session: BankSession;
  payouts: BankPayout[];
  actor: Actor;
  now: Date;
  /** The claim in force on the payout, if any (lib/payouts/claims.ts). */
  claim?: LiveClaim | null;
}

/** Rule names the UI words (lib/i18n/errors.ts); confirm_information_missing is checked in decisions.ts. */
export const APPROVAL_RULE_NAMES = ["amount_mismatch", "currency_mismatch", "escrow_amount_mismatch", "deadline_passed", "confirm_information_missing"] as const;
export type ApprovalRuleName = (typeof APPROVAL_RULE_NAMES)[number];

export interface RuleViolation {
  rule: ApprovalRuleName | "claimed_by_other";
  /** A rule with an error code of its own is refused under it (params as they are); the others as approval_rule. */
  code?: PayoutErrorCode;
  /** For logs and API readers; the UI words the rule from its name and params. */
  message: string;
  params: ErrorParams;
}

type Rule = (context: ApprovalContext) => RuleViolation | null;

/** What the bank is about to pay must be exactly what was requested (mistakes and tampering). */
const amountMatches: Rule = ({ request, payouts }): RuleViolation | null => {
  const payout = payouts[0];
  if (!payout || payout.amountKopecks === null) return null; // escrow: the amount is echoed in confirm_information
  const requestAmount = toSafeKopecks(request.amountKopecks);
  if (payout.amountKopecks !== request.amountKopecks) {
    const bankAmount = toSafeKopecks(payout.amountKopecks);
    return { rule: "amount_mismatch", message: `The bank reports ${bankAmount} kopecks but the request is for ${requestAmount}; cancel it instead`, params: { bankAmount, requestAmount } };
  }
  if (payout.currency && payout.currency !== request.currency) {
    return {
      rule: "currency_mismatch",
      message: `The bank reports currency ${payout.currency}, the request is in ${request.currency}`,
      params: { bankCurrency: payout.currency, requestCurrency: request.currency },
    };
  }
  return null;
};

const escrowAmountMatches: Rule = ({ request, session }) => {
  const info = session.confirmInformation as { transfer_details?: { amount?: { amount?: number } } } | null;
  const amount = info?.transfer_details?.amount?.amount;
  if (request.sourceAccount !== "escrow" || amount === undefined) return null;
  if (BigInt(amount) === request.amountKopecks) return null;
  const requestAmount = toSafeKopecks(request.amountKopecks);
  return {
    rule: "escrow_amount_mismatch",
    message: `The escrow transfer is for ${amount} kopecks but the request is for ${requestAmount}`,
    params: { bankAmount: amount, requestAmount },
  };
};

const withinDeadline: Rule = ({ session, now }) =>
  session.confirmDeadlineAt && session.confirmDeadlineAt <= now
    ? { rule: "deadline_passed", message: "The bank's confirmation window has passed; the bank will cancel this payout", params: {} }
    : null;

/**
 * While another operator holds the payout, only they decide (an admin breaks the claim first). Also
 * checked before a cancel (decisions.ts), which runs no other rule.
 */
export const notClaimedByOther = ({ claim, actor, now }: Pick<ApprovalContext, "claim" | "actor" | "now">): RuleViolation | null =>
  claim && claim.expiresAt > now && claim.holderId !== actor.id
    ? {
        rule: "claimed_by_other",
        code: "claimed_by_other",
        message: `${claim.holderName} holds this payout until ${claim.expiresAt.toISOString()}`,
        params: { by: claim.holderName, until: claim.expiresAt.toISOString() },
      }
    : null;

const RULES: Rule[] = [amountMatches, escrowAmountMatches, withinDeadline, notClaimedByOther];

export function checkApprovalRules(context: ApprovalContext): RuleViolation | null {
  for (const rule of RULES) {
    const violation = rule(context);
    if (violation) return violation;
  }
  return null;
}
