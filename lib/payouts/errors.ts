/**
 * Domain errors with stable codes and parameters. The HTTP layer maps codes to statuses
 * (lib/http/errors.ts); the UI words them from lib/i18n/errors.ts. The English message is for logs
 * and API readers only: nothing may parse it.
 */
export type PayoutErrorCode =
  | "not_found"
  | "validation"
  | "link_expired"
  | "link_revoked"
  | "link_used"
  | "invalid_state"
  | "forbidden"
  | "approval_rule"
  | "idempotency_conflict"
  | "bank_rejected"
  | "bank_unavailable"
  /** A saved-instrument id or a bank-account token this payout cannot use (unknown, another recipient or link). */
  | "instrument_unknown"
  // Approval governance (lib/payouts/rules.ts, approvals.ts).
  | "four_eyes"
  | "already_approved"
  | "approval_limit_daily"
  | "approval_limit_payout"
  | "approval_changed"
  // Operator administration and sign-in (lib/auth).
  | "operator_exists"
  | "last_admin"
  | "wrong_password"
  | "invite_invalid"
  | "invite_used"
  | "invite_expired"
  | "sign_in_throttled"
  | "rate_limited"
  // Claims (lib/payouts/claims.ts).
  /** Another operator holds the payout (params: by = their name, until = ISO end of the claim). */
  | "claimed_by_other"
  /** Release or break of a payout nobody (or someone else) holds. */
  | "claim_not_held"
  // SBP (lib/payouts/sbp.ts).
  /** The start names SBP details without a verification that found the recipient there. */
  | "sbp_not_verified"
  /** The bank id is not in fps/banks. */
  | "sbp_bank_unknown"
  /** The payer gave the phone; the recipient may not pay to another. */
  | "sbp_phone_fixed"
  /** The bank could not find the phone at that bank, or it belongs to someone else (params.code). */
  | "sbp_verification_failed"
  // Partner webhook endpoints (lib/payouts/partner-webhooks).
  | "webhook_endpoint_not_found"
  /** An endpoint URL the portal will not send to (params: reason = https_required | credentials). */
  | "webhook_url_refused"
  // Self-employed (НПД) payouts (lib/payouts/self-employed.ts).
  /** The INN's income this Moscow year would pass the limit (params: limit, used, amount, left — kopecks). */
  | "npd_annual_limit"
  /** The recipient is not (yet) a self-employed person linked to Bank 131 (params: npdStatus). */
  | "npd_not_linked"
  // Bulk payouts (lib/payouts/batches.ts).
  /** The typed total is not the batch's (params: totalKopecks, typedKopecks when it parsed). */
  | "batch_total_mismatch"
  /** A file or request with no valid row (params: missing = required columns the header lacks). */
  | "batch_empty";

/** Parameters of an error, for wording it (amounts as integer kopecks). */
export type ErrorParams = Record<string, string | number | boolean | null | string[]>;

const BRAND = Symbol.for("portal.payout-error");

export class PayoutError extends Error {
  override name = "PayoutError";
  readonly [BRAND] = true;

  /** Next.js may load this module more than once per process: recognise instances by brand. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  constructor(
    readonly code: PayoutErrorCode,
    message: string,
    readonly details: { field?: string; params?: ErrorParams } = {},
  ) {
    super(message);
  }
}

export const isPayoutError = (error: unknown): error is PayoutError => error instanceof PayoutError;

/** The parts of a zod issue a field message needs (structurally typed: no zod import here). */
export interface IssueLike {
  code: string;
  minimum?: unknown;
  maximum?: unknown;
  format?: unknown;
  params?: Record<string, unknown>;
}

/** A zod issue as error params: its kind, the limit it broke, the cross-field rule it names. */
export function issueParams(issue: IssueLike): ErrorParams {
  const params: ErrorParams = { issue: issue.code };
  if (typeof issue.minimum === "number" || typeof issue.minimum === "bigint") params.minimum = Number(issue.minimum);
  if (typeof issue.maximum === "number" || typeof issue.maximum === "bigint") params.maximum = Number(issue.maximum);
  if (typeof issue.format === "string") params.format = issue.format;
  if (typeof issue.params?.rule === "string") params.rule = issue.params.rule;
  return params;
}
