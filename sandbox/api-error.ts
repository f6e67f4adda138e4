/**
 * Request-level errors answered as `{"status":"error","error":{code,description}}`. The HTTP status of each
 * code is the sandbox's choice (UNCONFIRMED for the real Bank, which the SDK treats as "any ≥ 400").
 */

export const HTTP_STATUS_OF: Record<string, number> = {
  authentication_error: 401,
  identification_error: 403,
  authorization_error: 403,
  invalid_request: 400,
  idempotency_key_already_exists: 409,
  session_wrong_state: 409,
  session_cancelled: 409,
  internal_error: 500,
};

export class ApiFailure extends Error {
  override name = "ApiFailure";
  readonly httpStatus: number;

  constructor(
    readonly code: string,
    readonly description: string,
    httpStatus?: number,
  ) {
    super(`${code}: ${description}`);
    this.httpStatus = httpStatus ?? HTTP_STATUS_OF[code] ?? 400;
  }

  body() {
    return { status: "error", error: { code: this.code, description: this.description } };
  }
}

export const invalid = (description: string) => new ApiFailure("invalid_request", description);
