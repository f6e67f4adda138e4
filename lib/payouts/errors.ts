/**
 * Domain errors with stable codes. The HTTP layer maps codes to statuses; the domain never
 * imports HTTP types.
 */
export type PayoutErrorCode =
  | "not_found"
  | "validation"
  | "link_expired"
  | "link_revoked"
  | "link_used"
  | "invalid_state"
  | "forbidden"
  | "idempotency_conflict"
  | "bank_rejected"
  | "bank_unavailable"
  // Operator administration and sign-in (lib/auth).
  | "operator_exists"
  | "last_admin"
  | "wrong_password"
  | "invite_invalid"
  | "invite_used"
  | "invite_expired"
  | "sign_in_throttled"
  | "rate_limited";

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
    readonly details: { field?: string; bankCode?: string; status?: string; params?: Record<string, string | number | boolean | null> } = {},
  ) {
    super(message);
  }
}

export const isPayoutError = (error: unknown): error is PayoutError => error instanceof PayoutError;
