import { z } from "zod";
import { Bank131ApiError, Bank131NetworkError, Bank131ProtocolError } from "../bank131/errors";
import { isPayoutError, issueParams, type ErrorParams, type PayoutErrorCode } from "../payouts/errors";
import { logger } from "../logger";

/**
 * The error contract of every answer: `{ error: { code, message, field?, params? } }`. `code` and
 * `params` are for programs (the UI words them from lib/i18n/errors.ts); `message` is English for
 * people reading the API. `toErrorAnswer` is the one mapper from any thrown value to that body and
 * its status; route(), action() and the partner API all go through it.
 */

export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
  params?: ErrorParams;
}

/** Errors of the HTTP edge (auth, parsing, size): a status, a code and optional field and params. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly field?: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Every code the HTTP edge answers with on its own (the domain's codes are PayoutErrorCode). */
export const HTTP_ERROR_CODES = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "payload_too_large",
  "csrf",
  "too_many_streams",
  "invalid_signature",
  "invalid_idempotency_key",
  "idempotency_key_reused",
  "idempotency_request_in_progress",
  "internal_error",
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** Any code an answer of the portal can carry; the UI catalogue words each one. */
export type ErrorCode = HttpErrorCode | PayoutErrorCode;

export const badRequest = (message: string, field?: string, params?: ErrorParams) => new HttpError(400, "invalid_request", message, field, params);
export const unauthorized = (message = "Sign in required") => new HttpError(401, "unauthorized", message);
export const forbidden = (message = "Your role does not allow this action") => new HttpError(403, "forbidden", message, undefined, { reason: "role" });
export const notFound = (message = "Not found") => new HttpError(404, "not_found", message);
export const payloadTooLarge = (limit: number) =>
  new HttpError(413, "payload_too_large", `Body is larger than ${limit} bytes`, undefined, { limit });
/** A cookie- or link-authenticated state change that did not come from the portal's own pages. */
export const csrfRefused = (reason: "origin" | "content_type") =>
  new HttpError(
    403,
    "csrf",
    reason === "origin" ? "Cross-site request refused: send it from the portal's own origin" : "State changes must be sent as application/json",
    undefined,
    { reason },
  );
export const tooManyStreams = (limit: number) =>
  new HttpError(429, "too_many_streams", `At most ${limit} live event streams may be open at once`, undefined, { limit });

/** The HTTP status of each deliberate refusal from the payout domain. */
export const PAYOUT_ERROR_STATUS: Record<PayoutErrorCode, number> = {
  not_found: 404,
  validation: 400,
  link_expired: 410,
  link_revoked: 410,
  link_used: 409,
  invalid_state: 409,
  forbidden: 403,
  approval_rule: 403,
  idempotency_conflict: 422,
  bank_rejected: 502,
  // No (readable) answer from the bank: a gateway timeout, whose outcome is unknown.
  bank_unavailable: 504,
  instrument_unknown: 422,
  four_eyes: 403,
  already_approved: 409,
  approval_limit_daily: 403,
  approval_limit_payout: 403,
  approval_changed: 409,
  operator_exists: 409,
  last_admin: 409,
  wrong_password: 400,
  invite_invalid: 404,
  invite_used: 410,
  invite_expired: 410,
  sign_in_throttled: 429,
  rate_limited: 429,
  claimed_by_other: 409,
  claim_not_held: 409,
  sbp_not_verified: 422,
  sbp_bank_unknown: 422,
  sbp_phone_fixed: 422,
  sbp_verification_failed: 422,
  webhook_endpoint_not_found: 404,
  webhook_url_refused: 400,
  npd_annual_limit: 422,
  npd_not_linked: 409,
  batch_total_mismatch: 422,
  batch_empty: 400,
};

/**
 * The 500 answer promises nothing it cannot keep: an unexpected failure may come after the work
 * was committed, so the caller must look before trying again.
 */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side; the request may or may not have taken effect — check before retrying.";
export const PARTNER_INTERNAL_ERROR_MESSAGE =
  "Something went wrong on our side; the request may or may not have taken effect — retry with the same Idempotency-Key, or GET the payout request before creating a new one.";

/** The first problem of a zod parse as a 400 naming the field, with its limits as params. */
export function zodRefusal(error: z.ZodError): HttpError {
  const issue = error.issues[0];
  if (!issue) return badRequest("Invalid input");
  const field = issue.path.length > 0 ? issue.path.join(".") : undefined;
  // Checks shared with the Russian UI carry their English sentence in params.en.
  const en = (issue as { params?: { en?: unknown } }).params?.en;
  const message = typeof en === "string" ? en : issue.message;
  return badRequest(field ? `${field}: ${message}` : message, field, issueParams(issue));
}

export interface ErrorAnswer {
  status: number;
  body: { error: ErrorBody };
  /** The answer says the portal (or the bank) failed, not the caller: worth a log line. */
  unexpected: boolean;
  /** Headers the answer must carry: `Retry-After` on a 429 that says how long to wait. */
  headers: Record<string, string>;
}

const answer = (status: number, body: ErrorBody, unexpected = false): ErrorAnswer => {
  const retryAfter = body.params?.retryAfterSeconds;
  return {
    status,
    body: { error: { code: body.code, message: body.message, ...(body.field ? { field: body.field } : {}), ...(body.params ? { params: body.params } : {}) } },
    unexpected,
    headers: status === 429 && typeof retryAfter === "number" ? { "retry-after": String(Math.max(1, Math.ceil(retryAfter))) } : {},
  };
};

/** Any thrown value → the status and body of the answer. Never throws. */
export function toErrorAnswer(error: unknown, options: { internalMessage?: string } = {}): ErrorAnswer {
  if (error instanceof HttpError) return answer(error.status, { code: error.code, message: error.message, field: error.field, params: error.params });
  if (isPayoutError(error)) {
    const status = PAYOUT_ERROR_STATUS[error.code];
    return answer(status, { code: error.code, message: error.message, field: error.details.field, params: error.details.params }, status >= 500);
  }
  if (error instanceof z.ZodError) {
    const refusal = zodRefusal(error);
    return answer(refusal.status, { code: refusal.code, message: refusal.message, field: refusal.field, params: refusal.params });
  }
  if (error instanceof Bank131ApiError) {
    return answer(502, { code: "bank_rejected", message: `The bank rejected the request (${error.code})`, params: { bankCode: error.code } }, true);
  }
  if (error instanceof Bank131NetworkError || error instanceof Bank131ProtocolError) {
    const timedOut = error instanceof Bank131NetworkError && error.timedOut;
    const message = "The bank did not answer in a way we could read; the outcome is unknown — check the payout before retrying";
    return answer(504, { code: "bank_unavailable", message, params: { timedOut } }, true);
  }
  return answer(500, { code: "internal_error", message: options.internalMessage ?? INTERNAL_ERROR_MESSAGE }, true);
}

/** Logs failures on our side (error) or the bank's (warn); refusals of the caller are not news. */
export function logUnexpected(error: unknown, mapped: ErrorAnswer, where: string): void {
  if (mapped.status === 500) logger.error({ err: error }, `${where} failed`);
  else if (mapped.unexpected) logger.warn({ err: error }, `${where} failed on the bank's side`);
}
