import type { KeyObject } from "node:crypto";
import {
  Bank131ApiError,
  Bank131NetworkError,
  Bank131ProtocolError,
  Bank131ValidationError,
} from "./errors";
import {
  METHOD_SPECS,
  ErrorEnvelopeSchema,
  describeZodError,
  isMethodServedUnder,
  isSuccessStatus,
  methodHttpVerb,
  methodPath,
  requestSchemaFor,
  type ApiVersion,
  type Bank131Method,
  type ConfirmInformation,
  type RequestOf,
  type ResponseOf,
} from "./schemas";
import { IDEMPOTENCY_HEADER, PROJECT_HEADER, SIGNATURE_HEADER, loadPrivateKey, signBody } from "./signature";
import { isPlainObject, requestToWire } from "./wire";

export const SUBMERCHANT_HEADER = "x-partner-submerchant";
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_API_VERSION: ApiVersion = 2;

export interface Bank131ClientOptions {
  /** e.g. `https://demo.bank131.ru` or the sandbox `http://127.0.0.1:4131` (no `/api/v…` suffix). */
  baseUrl: string;
  /** X-PARTNER-PROJECT. */
  project: string;
  /** Partner private key: a KeyObject or PEM; parsed once here. */
  privateKey: KeyObject | string | Buffer;
  /** Version for session methods (default 2). token, tokenize and token/info always use v1. */
  apiVersion?: ApiVersion;
  /** Whole-call budget including reading the body (default 30 000 ms, as the official SDK). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** X-PARTNER-SUBMERCHANT, mandatory for non-resident financial institutions. */
  submerchant?: string;
  userAgent?: string;
}

export interface CallOptions {
  /** X-PARTNER-IDEMPOTENCY-KEY. Always pass one for calls that move money, and reuse it on retry. */
  idempotencyKey?: string;
  /** Per-call override of the client's session API version (ignored for v1-only methods). */
  apiVersion?: ApiVersion;
  timeoutMs?: number;
  /** Caller cancellation; reported as a Bank131NetworkError (outcome unknown once sent). */
  signal?: AbortSignal;
  /** Validate the body locally before sending (default true). The CLI disables it to probe a server. */
  validate?: boolean;
}

export interface PreparedRequest {
  method: Bank131Method;
  apiVersion: ApiVersion;
  /** POST for everything but `fps/banks` (GET). */
  httpMethod: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  /** Exactly the bytes that are signed and sent; "" (signed as such) for GET. */
  body: string;
}

type SessionResponse = ResponseOf<"session/status">;

export interface NpdPollOptions {
  /** Pause between npd/request/status calls (default 3 000 ms; a third-party client waits ~40 s). */
  intervalMs?: number;
  /** Give up polling after this long and return the pending answer (default 60 000 ms). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Bank131Client {
  readonly baseUrl: string;
  readonly project: string;
  readonly apiVersion: ApiVersion;
  /** The API version a method is sent under by this client. */
  versionFor(method: Bank131Method, override?: ApiVersion): ApiVersion;
  /** Builds the signed request without sending it (debugging, tests). */
  prepare<M extends Bank131Method>(method: M, body: RequestOf<M>, opts?: CallOptions): PreparedRequest;
  /** Generic call: canonical (v2-named) body in, canonical response out. */
  call<M extends Bank131Method>(method: M, body: RequestOf<M>, opts?: CallOptions): Promise<ResponseOf<M>>;

  token(body: RequestOf<"token">, opts?: CallOptions): Promise<ResponseOf<"token">>;
  tokenize(body: RequestOf<"tokenize">, opts?: CallOptions): Promise<ResponseOf<"tokenize">>;
  tokenInfo(body: RequestOf<"token/info">, opts?: CallOptions): Promise<ResponseOf<"token/info">>;
  sessionCreate(body?: RequestOf<"session/create">, opts?: CallOptions): Promise<SessionResponse>;
  startPayout(body: RequestOf<"session/start/payout">, opts?: CallOptions): Promise<SessionResponse>;
  initPayout(body: RequestOf<"session/init/payout">, opts?: CallOptions): Promise<SessionResponse>;
  initPayoutNominal(body: RequestOf<"session/init/payout/nominal">, opts?: CallOptions): Promise<SessionResponse>;
  initPayoutRko(body: RequestOf<"session/init/payout/rko">, opts?: CallOptions): Promise<SessionResponse>;
  multiCreateNominal(body?: RequestOf<"session/multi/create/nominal">, opts?: CallOptions): Promise<SessionResponse>;
  multiStartPaymentNominal(
    body: RequestOf<"session/multi/start/payment/nominal">,
    opts?: CallOptions,
  ): Promise<SessionResponse>;
  multiInitPaymentNominal(
    body: RequestOf<"session/multi/init/payment/nominal">,
    opts?: CallOptions,
  ): Promise<SessionResponse>;
  /** `confirmInformation`: the (canonical) object from the escrow ready_to_confirm webhook, echoed back. */
  confirm(sessionId: string, confirmInformation?: ConfirmInformation, opts?: CallOptions): Promise<SessionResponse>;
  cancel(sessionId: string, confirmInformation?: ConfirmInformation, opts?: CallOptions): Promise<SessionResponse>;
  status(sessionId: string, opts?: CallOptions): Promise<SessionResponse>;

  /** Self-employed (НПД): asks the tax service about an INN; poll `npdRequestStatus` while "pending". */
  npdCheck(body: RequestOf<"npd/check">, opts?: CallOptions): Promise<ResponseOf<"npd/check">>;
  npdRequestStatus(body: RequestOf<"npd/request/status">, opts?: CallOptions): Promise<ResponseOf<"npd/request/status">>;
  /**
   * npd/check, then npd/request/status every `intervalMs` until the answer is "ok" or `timeoutMs` has
   * passed; returns the last answer, so a "pending" one carries the request_id to ask about later.
   */
  checkSelfEmployed(taxReference: string, opts?: NpdPollOptions): Promise<ResponseOf<"npd/request/status">>;
  /** Payout with a «Мой налог» receipt in one call (docs: "not recommended"; prefer create + start). */
  initPayoutFiscalization(body: RequestOf<"session/init/payout/fiscalization">, opts?: CallOptions): Promise<SessionResponse>;
  startPayoutFiscalization(body: RequestOf<"session/start/payout/fiscalization">, opts?: CallOptions): Promise<SessionResponse>;
  /** Registers income for a session without a payout and returns the receipt. */
  fiscalization(body: RequestOf<"fiscalization">, opts?: CallOptions): Promise<ResponseOf<"fiscalization">>;
  /** SBP banks (`bank_id` values); a signed GET. */
  fpsBanks(opts?: CallOptions): Promise<ResponseOf<"fps/banks">>;
  /** Checks that an SBP phone at a bank belongs to the named person; the result is the session's outcome. */
  fpsCustomerVerification(body: RequestOf<"fps/customer_verification">, opts?: CallOptions): Promise<SessionResponse>;
}

// Header values go on the wire verbatim; reject anything fetch would choke on (or that could split headers).
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/;

export function createBank131Client(options: Bank131ClientOptions): Bank131Client {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const project = options.project;
  if (!project || !HEADER_VALUE.test(project)) throw new TypeError("Bank 131 client: invalid project identifier");
  if (options.submerchant !== undefined && !HEADER_VALUE.test(options.submerchant)) {
    throw new TypeError("Bank 131 client: invalid submerchant identifier");
  }
  const privateKey = resolvePrivateKey(options.privateKey);
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  if (apiVersion !== 1 && apiVersion !== 2) throw new TypeError("Bank 131 client: apiVersion must be 1 or 2");
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  function versionFor(method: Bank131Method, override?: ApiVersion): ApiVersion {
    const wanted = override ?? apiVersion;
    return isMethodServedUnder(method, wanted) ? wanted : (METHOD_SPECS[method].versions[0] ?? 1);
  }

  function prepare<M extends Bank131Method>(method: M, body: RequestOf<M>, opts: CallOptions = {}): PreparedRequest {
    const version = versionFor(method, opts.apiVersion);
    if (opts.validate !== false) {
      // Bodies are canonical (v2-named) whatever version goes on the wire.
      const parsed = requestSchemaFor(method, 2).safeParse(body);
      if (!parsed.success) throw new Bank131ValidationError(describeZodError(parsed.error), { method });
    }
    if (opts.idempotencyKey !== undefined && !HEADER_VALUE.test(opts.idempotencyKey)) {
      throw new Bank131ValidationError("idempotency key must be 1–256 printable ASCII characters", { method });
    }
    const httpMethod = methodHttpVerb(method);
    // Serialise ONCE: these exact bytes are signed and sent. A GET has no body; the SDK signs the empty one.
    const text = httpMethod === "GET" ? "" : JSON.stringify(requestToWire(body, version));
    const headers: Record<string, string> = {
      ...(httpMethod === "POST" ? { "content-type": "application/json" } : {}),
      accept: "application/json",
      [PROJECT_HEADER]: project,
      [SIGNATURE_HEADER]: signBody(text, privateKey),
    };
    if (opts.idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = opts.idempotencyKey;
    if (options.submerchant !== undefined) headers[SUBMERCHANT_HEADER] = options.submerchant;
    if (options.userAgent !== undefined) headers["user-agent"] = options.userAgent;
    return { method, apiVersion: version, httpMethod, url: baseUrl + methodPath(method, version), headers, body: text };
  }

  async function call<M extends Bank131Method>(
    method: M,
    body: RequestOf<M>,
    opts: CallOptions = {},
  ): Promise<ResponseOf<M>> {
    const req = prepare(method, body, opts);
    const timeoutMs = opts.timeoutMs ?? defaultTimeout;
    const timeoutSignal = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timeoutSignal, opts.signal]) : timeoutSignal;

    let httpStatus: number;
    let text: string;
    try {
      const res = await fetchImpl(req.url, {
        method: req.httpMethod,
        headers: req.headers,
        body: req.httpMethod === "GET" ? undefined : req.body,
        signal,
        // A redirect would silently re-send (or drop) a signed money request: surface it instead.
        redirect: "manual",
      });
      httpStatus = res.status;
      // The timeout covers reading the body too.
      text = await res.text();
    } catch (error) {
      throw toNetworkError(error, method, req.url, timeoutMs, timeoutSignal.aborted);
    }
    return interpretResponse(method, httpStatus, text);
  }

  const session = <M extends Bank131Method>(method: M) =>
    (body: RequestOf<M>, opts?: CallOptions) => call(method, body, opts) as Promise<SessionResponse>;

  function confirmBody(sessionId: string, confirmInformation?: ConfirmInformation) {
    return confirmInformation === undefined
      ? { session_id: sessionId }
      : { session_id: sessionId, confirm_information: confirmInformation };
  }

  async function checkSelfEmployed(taxReference: string, poll: NpdPollOptions = {}) {
    const intervalMs = poll.intervalMs ?? 3_000;
    const deadline = Date.now() + (poll.timeoutMs ?? 60_000);
    const opts = poll.signal ? { signal: poll.signal } : {};
    const check = await call("npd/check", { tax_reference: taxReference }, opts);
    for (;;) {
      const answer = await call("npd/request/status", { request_id: check.request_id }, opts);
      if (answer.status === "ok" || Date.now() + intervalMs > deadline) return { ...answer, request_id: answer.request_id ?? check.request_id };
      await pause(intervalMs, poll.signal);
    }
  }

  return {
    baseUrl,
    project,
    apiVersion,
    versionFor,
    prepare,
    call,
    token: (body, opts) => call("token", body, opts),
    tokenize: (body, opts) => call("tokenize", body, opts),
    tokenInfo: (body, opts) => call("token/info", body, opts),
    sessionCreate: (body = {}, opts) => session("session/create")(body, opts),
    startPayout: session("session/start/payout"),
    initPayout: session("session/init/payout"),
    initPayoutNominal: session("session/init/payout/nominal"),
    initPayoutRko: session("session/init/payout/rko"),
    multiCreateNominal: (body = {}, opts) => session("session/multi/create/nominal")(body, opts),
    multiStartPaymentNominal: session("session/multi/start/payment/nominal"),
    multiInitPaymentNominal: session("session/multi/init/payment/nominal"),
    confirm: (sessionId, ci, opts) => call("session/confirm", confirmBody(sessionId, ci), opts),
    cancel: (sessionId, ci, opts) => call("session/cancel", confirmBody(sessionId, ci), opts),
    status: (sessionId, opts) => call("session/status", { session_id: sessionId }, opts),
    npdCheck: (body, opts) => call("npd/check", body, opts),
    npdRequestStatus: (body, opts) => call("npd/request/status", body, opts),
    checkSelfEmployed,
    initPayoutFiscalization: session("session/init/payout/fiscalization"),
    startPayoutFiscalization: session("session/start/payout/fiscalization"),
    fiscalization: (body, opts) => call("fiscalization", body, opts),
    fpsBanks: (opts) => call("fps/banks", {}, opts),
    fpsCustomerVerification: session("fps/customer_verification"),
  };
}

/**
 * Turns an HTTP answer into a canonical response or a typed error. The body is read on ANY status:
 * `{status:"error",error}` (or SDK-style `{error}` with ≥ 400) → Bank131ApiError; `{status:"ok"}` on 2xx →
 * parsed with the method's response schema; anything else → Bank131ProtocolError. Exported for the tests
 * and for callers using their own transport.
 */
export function interpretResponse<M extends Bank131Method>(method: M, httpStatus: number, text: string): ResponseOf<M> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Bank131ProtocolError(
      `Bank 131 ${method}: response is not JSON (HTTP ${httpStatus}, ${Buffer.byteLength(text)} bytes)`,
      { httpStatus, method, cause },
    );
  }
  if (!isPlainObject(json)) {
    throw new Bank131ProtocolError(`Bank 131 ${method}: response is not a JSON object (HTTP ${httpStatus})`, {
      httpStatus,
      method,
    });
  }

  if (json.status === "error" || (json.status === undefined && httpStatus >= 400 && "error" in json)) {
    const envelope = ErrorEnvelopeSchema.safeParse(json);
    if (!envelope.success) {
      throw new Bank131ProtocolError(
        `Bank 131 ${method}: malformed error response (HTTP ${httpStatus}): ${describeZodError(envelope.error)}`,
        { httpStatus, method },
      );
    }
    const { code, description, reject_reasons } = envelope.data.error;
    throw new Bank131ApiError({ code, description, httpStatus, rejectReasons: reject_reasons, method });
  }

  if (!isSuccessStatus(method, json.status)) {
    throw new Bank131ProtocolError(`Bank 131 ${method}: response has no "status":"ok" (HTTP ${httpStatus})`, {
      httpStatus,
      method,
    });
  }
  if (httpStatus < 200 || httpStatus > 299) {
    throw new Bank131ProtocolError(`Bank 131 ${method}: success answer with HTTP ${httpStatus}`, { httpStatus, method });
  }
  const parsed = METHOD_SPECS[method].response.safeParse(json);
  if (!parsed.success) {
    throw new Bank131ProtocolError(
      `Bank 131 ${method}: unexpected response shape: ${describeZodError(parsed.error)}`,
      { httpStatus, method },
    );
  }
  return parsed.data as ResponseOf<M>;
}

function toNetworkError(
  error: unknown,
  method: string,
  url: string,
  timeoutMs: number,
  timedOut: boolean,
): Bank131NetworkError {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (timedOut || err?.name === "TimeoutError") {
    return new Bank131NetworkError(`Bank 131 ${method}: no complete answer from ${url} within ${timeoutMs} ms`, {
      timedOut: true,
      method,
      cause: error,
    });
  }
  if (err?.name === "AbortError") {
    return new Bank131NetworkError(`Bank 131 ${method}: request to ${url} was aborted`, {
      timedOut: false,
      method,
      cause: error,
    });
  }
  const code = err?.cause?.code;
  const reason = code ?? err?.cause?.message ?? err?.message ?? "unknown error";
  return new Bank131NetworkError(`Bank 131 ${method}: cannot reach ${url} (${reason})`, {
    timedOut: false,
    code,
    method,
    cause: error,
  });
}

/** Waits `ms`; an abort ends the wait with the signal's reason. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`Bank 131 client: invalid baseUrl ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("Bank 131 client: baseUrl must be http(s)");
  }
  return url.toString().replace(/\/+$/, "");
}

function resolvePrivateKey(key: KeyObject | string | Buffer): KeyObject {
  if (typeof key === "string" || Buffer.isBuffer(key)) return loadPrivateKey(key);
  if (key.type !== "private" || key.asymmetricKeyType !== "rsa") {
    throw new TypeError("Bank 131 client: privateKey must be an RSA private key");
  }
  return key;
}
