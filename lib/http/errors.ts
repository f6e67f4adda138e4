import type { PayoutErrorCode } from "../payouts/errors";

/** Errors the HTTP layer maps to a status and a JSON body `{ error: { code, message, field? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const badRequest = (message: string, field?: string) => new HttpError(400, "invalid_request", message, field);
export const unauthorized = (message = "Sign in required") => new HttpError(401, "unauthorized", message);
export const forbidden = (message = "Your role does not allow this action") => new HttpError(403, "forbidden", message);
export const notFound = (message = "Not found") => new HttpError(404, "not_found", message);
export const conflict = (message: string, code = "conflict") => new HttpError(409, code, message);

/** The HTTP status of each deliberate refusal from the payout domain, for every route that maps them. */
export const PAYOUT_ERROR_STATUS: Record<PayoutErrorCode, number> = {
  not_found: 404,
  validation: 400,
  link_expired: 410,
  link_revoked: 410,
  link_used: 409,
  invalid_state: 409,
  forbidden: 403,
  idempotency_conflict: 422,
  bank_rejected: 502,
  bank_unavailable: 503,
  operator_exists: 409,
  last_admin: 409,
  wrong_password: 400,
  invite_invalid: 404,
  invite_used: 410,
  invite_expired: 410,
  sign_in_throttled: 429,
  rate_limited: 429,
};
