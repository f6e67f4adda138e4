import type { RejectReason } from "./schemas";

/**
 * Typed failures of a Bank 131 call. The distinction that matters for money:
 * - Bank131ApiError: the Bank answered and REJECTED the request — nothing happened (except `internal_error`,
 *   whose outcome the Bank itself does not know).
 * - Bank131NetworkError: no (complete) answer — the outcome is UNKNOWN; the operation may have been
 *   executed. Retry only with the same idempotency key, or reconcile via session/status.
 * - Bank131ProtocolError: an answer arrived but could not be understood — treat the outcome as unknown too.
 * Messages never contain request bodies, so they cannot leak card data.
 */
type Bank131ErrorKind = "api" | "network" | "protocol" | "validation" | "webhook_signature";

/**
 * Next.js may evaluate this module more than once per server process (instrumentation, route
 * handlers and server components get separate module instances), so an error created by one copy
 * must still be `instanceof` the classes of another: instances are recognised by a global brand.
 */
const BRAND = Symbol.for("bank131.error");

function hasKind(value: unknown, kind?: Bank131ErrorKind): boolean {
  if (typeof value !== "object" || value === null || !(BRAND in value)) return false;
  return kind === undefined || (value as { kind?: unknown }).kind === kind;
}

export abstract class Bank131Error extends Error {
  abstract readonly kind: Bank131ErrorKind;
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    const kind = KIND_OF_CLASS.get(this);
    return hasKind(value, kind);
  }
  /** Whether sending the same request again (same idempotency key) is reasonable. */
  abstract readonly isRetriable: boolean;
  /** The Bank 131 method the error belongs to, when known. */
  readonly method: string | undefined;

  constructor(message: string, options?: { method?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.method = options?.method;
  }
}

export class Bank131ApiError extends Bank131Error {
  override name = "Bank131ApiError";
  readonly kind = "api" as const;
  readonly code: string;
  readonly description: string;
  readonly httpStatus: number;
  readonly rejectReasons: RejectReason[];

  constructor(args: {
    code: string;
    description?: string;
    httpStatus: number;
    rejectReasons?: RejectReason[];
    method?: string;
  }) {
    const description = args.description ?? "";
    super(`Bank 131 error ${args.code}${description ? `: ${description}` : ""} (HTTP ${args.httpStatus})`, {
      method: args.method,
    });
    this.code = args.code;
    this.description = description;
    this.httpStatus = args.httpStatus;
    this.rejectReasons = args.rejectReasons ?? [];
  }

  /** Only `internal_error` is worth retrying; every other code is a definite rejection. */
  get isRetriable(): boolean {
    return this.code === "internal_error";
  }

  /** `internal_error`: the Bank does not know itself whether the operation happened. */
  get outcomeUnknown(): boolean {
    return this.code === "internal_error";
  }
}

export class Bank131NetworkError extends Bank131Error {
  override name = "Bank131NetworkError";
  readonly kind = "network" as const;
  readonly isRetriable = true;
  /** The request may have reached the Bank: its outcome is unknown. */
  readonly outcomeUnknown = true as const;
  readonly timedOut: boolean;
  /** Low-level error code when known (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, …). */
  readonly code: string | undefined;

  constructor(message: string, options: { timedOut: boolean; code?: string; method?: string; cause?: unknown }) {
    super(message, options);
    this.timedOut = options.timedOut;
    this.code = options.code;
  }

  /** ECONNREFUSED / DNS failure: the request certainly never reached a server (nothing to reconcile). */
  get certainlyNotSent(): boolean {
    return this.code === "ECONNREFUSED" || this.code === "ENOTFOUND" || this.code === "EAI_AGAIN";
  }
}

export class Bank131ProtocolError extends Bank131Error {
  override name = "Bank131ProtocolError";
  readonly kind = "protocol" as const;
  readonly outcomeUnknown = true as const;
  readonly httpStatus: number | undefined;

  constructor(message: string, options?: { httpStatus?: number; method?: string; cause?: unknown }) {
    super(message, options);
    this.httpStatus = options?.httpStatus;
  }

  /** A garbled 5xx is usually a proxy/gateway page and transient; a garbled 2xx/4xx tends to repeat. */
  get isRetriable(): boolean {
    return this.httpStatus !== undefined && this.httpStatus >= 500;
  }
}

/** The request body failed local validation; nothing was sent. */
export class Bank131ValidationError extends Bank131Error {
  override name = "Bank131ValidationError";
  readonly kind = "validation" as const;
  readonly isRetriable = false;
  /** `field.path: message` of the first problem (never the value). */
  readonly description: string;

  constructor(description: string, options?: { method?: string }) {
    super(`Invalid ${options?.method ?? "Bank 131"} request: ${description}`, options);
    this.description = description;
  }
}

/** A webhook whose X-PARTNER-SIGN is missing or does not match the raw body. */
export class Bank131WebhookSignatureError extends Bank131Error {
  override name = "Bank131WebhookSignatureError";
  readonly kind = "webhook_signature" as const;
  readonly isRetriable = false;
}

const KIND_OF_CLASS = new Map<unknown, Bank131ErrorKind>([
  [Bank131ApiError, "api"],
  [Bank131NetworkError, "network"],
  [Bank131ProtocolError, "protocol"],
  [Bank131ValidationError, "validation"],
  [Bank131WebhookSignatureError, "webhook_signature"],
]);

export function isBank131Error(error: unknown): error is Bank131Error {
  return hasKind(error);
}
