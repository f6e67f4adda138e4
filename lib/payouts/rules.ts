import type { BankPayout, BankSession, PayoutRequest } from "../generated/prisma/client";
import { toSafeKopecks } from "../money";
import type { Actor } from "./audit";
import type { LiveClaim } from "./claims";
import type { ErrorParams } from "./errors";
import { changedFields, type FingerprintFields } from "./fingerprint";

/**
 * Approval rules: checks that must all pass before an approval is recorded (and, by the approval
 * that completes the count, before `session/confirm` is sent). Each returns a violation (an error
 * code, or `approval_rule` with a stable rule name, and its parameters, worded by
 * lib/i18n/errors.ts) or null.
 */
export interface ApprovalContext {
  request: PayoutRequest;
  session: BankSession;
  payouts: BankPayout[];
  actor: Actor;
  now: Date;
  /** The claim in force on the payout, if any (lib/payouts/claims.ts). */
  claim?: LiveClaim | null;
  /** The approving operator's limits (kopecks, null = none) and what they approved this Moscow day. */
  approver: { dailyLimitKopecks: number | null; payoutLimitKopecks: number | null; approvedTodayKopecks: number };
  /** Approvals that still count (this decision attempt, not voided), oldest first. */
  approvals: ReadonlyArray<{ operatorId: string; fields: FingerprintFields }>;
  /** What the confirm would pay now. */
  fingerprint: FingerprintFields;
}

/** Rule names the UI words (lib/i18n/errors.ts); confirm_information_missing is checked in decisions.ts. */
export const APPROVAL_RULE_NAMES = ["amount_mismatch", "currency_mismatch", "escrow_amount_mismatch", "deadline_passed", "confirm_information_missing"] as const;
export type ApprovalRuleName = (typeof APPROVAL_RULE_NAMES)[number];

/** Refusals with a code of their own; every other rule answers `approval_rule` with its name. */
export type GovernanceCode = "four_eyes" | "already_approved" | "approval_limit_payout" | "approval_limit_daily" | "approval_changed" | "claimed_by_other";

export interface RuleViolation {
  /** The error code of the refusal; `approval_rule` carries `rule` in its params. */
  code: "approval_rule" | GovernanceCode;
  rule?: ApprovalRuleName;
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
    return { code: "approval_rule", rule: "amount_mismatch", message: `The bank reports ${bankAmount} kopecks but the request is for ${requestAmount}; cancel it instead`, params: { bankAmount, requestAmount } };
  }
  if (payout.currency && payout.currency !== request.currency) {
    return {
      code: "approval_rule",
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
    code: "approval_rule",
    rule: "escrow_amount_mismatch",
    message: `The escrow transfer is for ${amount} kopecks but the request is for ${requestAmount}`,
    params: { bankAmount: amount, requestAmount },
  };
};

const withinDeadline: Rule = ({ session, now }) =>
  session.confirmDeadlineAt && session.confirmDeadlineAt <= now
    ? { code: "approval_rule", rule: "deadline_passed", message: "The bank's confirmation window has passed; the bank will cancel this payout", params: {} }
    : null;

/**
 * While another operator holds the payout, only they decide (an admin breaks the claim first). Also
 * checked before a cancel (decisions.ts), which runs no other rule.
 */
export const notClaimedByOther = ({ claim, actor, now }: Pick<ApprovalContext, "claim" | "actor" | "now">): RuleViolation | null =>
  claim && claim.expiresAt > now && claim.holderId !== actor.id
    ? {
        code: "claimed_by_other",
        message: `${claim.holderName} holds this payout until ${claim.expiresAt.toISOString()}`,
        params: { by: claim.holderName, until: claim.expiresAt.toISOString() },
      }
    : null;

/** Maker ≠ checker: whoever created a request cannot approve it (partner API requests have no maker here). */
const notTheMaker: Rule = ({ request, actor }) =>
  request.createdById !== null && request.createdById === actor.id
    ? { code: "four_eyes", message: "You created this payout request; another approver must approve it", params: {} }
    : null;

const notApprovedTwice: Rule = ({ approvals, actor }) =>
  approvals.some((approval) => approval.operatorId === actor.id)
    ? { code: "already_approved", message: "You have already approved this payout; another approver must give the next approval", params: {} }
    : null;

const withinPayoutLimit: Rule = ({ request, approver }) => {
  const amount = toSafeKopecks(request.amountKopecks);
  if (approver.payoutLimitKopecks === null || amount <= approver.payoutLimitKopecks) return null;
  return {
    code: "approval_limit_payout",
    message: `Your limit for one payout is ${approver.payoutLimitKopecks} kopecks; this one is ${amount}`,
    params: { limit: approver.payoutLimitKopecks, amount },
  };
};

const withinDailyLimit: Rule = ({ request, approver }) => {
  const limit = approver.dailyLimitKopecks;
  if (limit === null || approver.approvedTodayKopecks + toSafeKopecks(request.amountKopecks) <= limit) return null;
  const used = approver.approvedTodayKopecks;
  const left = Math.max(0, limit - used);
  return { code: "approval_limit_daily", message: `Your daily approval limit is ${limit} kopecks; ${used} used today, ${left} left`, params: { limit, used, left } };
};

/** Every earlier approval must be of exactly what the confirm would pay now. */
const unchangedSinceApproved: Rule = ({ approvals, fingerprint }) => {
  const changed = [...new Set(approvals.flatMap((approval) => changedFields(approval.fields, fingerprint)))];
  if (changed.length === 0) return null;
  return { code: "approval_changed", message: `What will be paid changed since it was approved: ${changed.join(", ")}`, params: { changed } };
};

// A change since an earlier approval is named before the bank-agreement checks it may also trip;
// someone else's claim last, so a wrong amount is reported to everyone, holder or not.
const RULES: Rule[] = [notTheMaker, notApprovedTwice, withinPayoutLimit, withinDailyLimit, unchangedSinceApproved, amountMatches, escrowAmountMatches, withinDeadline, notClaimedByOther];

export function checkApprovalRules(context: ApprovalContext): RuleViolation | null {
  for (const rule of RULES) {
    const violation = rule(context);
    if (violation) return violation;
  }
  return null;
}
