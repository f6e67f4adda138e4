/**
 * API v1 ↔ v2 spelling. The rest of the code works with ONE canonical shape that uses the v2 names
 * (`payout_details`, `payout_list`, `payment_list`); these helpers translate at the wire boundary.
 *
 * Renames (api-reference §1.7):
 *   payment_method     ↔ payout_details  (request root, each payout, confirm_information.transfer_details)
 *   payments           ↔ payout_list     (session)
 *   acquiring_payments ↔ payment_list    (session)
 *
 * Acquiring payments (payment_list items) keep their own `payment_method`: that is the payer's instrument,
 * not a payout instrument, so it is never renamed.
 *
 * All functions are pure, return new objects, preserve key order and leave unknown fields untouched, so a
 * v1 → canonical → v1 round trip reproduces the same JSON text.
 */

export type ApiVersion = 1 | 2;
export const API_VERSIONS = [1, 2] as const satisfies readonly ApiVersion[];

type Obj = Record<string, unknown>;
/** Objects come back as plain records (field names may change); anything else unchanged. */
export type Wire<T> = T extends object ? Record<string, unknown> : T;

export function isPlainObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Renames `from` to `to` in place of the original key; when both exist `to` wins and `from` is dropped. */
export function renameKey(obj: Obj, from: string, to: string): Obj {
  if (!(from in obj)) return { ...obj };
  const keepTo = to in obj;
  const out: Obj = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === from) {
      if (!keepTo) out[to] = value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function mapField(obj: Obj, key: string, fn: (value: unknown) => unknown): Obj {
  if (!(key in obj)) return obj;
  return { ...obj, [key]: fn(obj[key]) };
}

function mapArray(value: unknown, fn: (item: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map(fn) : value;
}

type Direction = "toV1" | "fromV1";

function instrumentKeys(dir: Direction): [string, string] {
  return dir === "toV1" ? ["payout_details", "payment_method"] : ["payment_method", "payout_details"];
}

function convertTransferDetails(value: unknown, dir: Direction): unknown {
  if (!isPlainObject(value)) return value;
  const [from, to] = instrumentKeys(dir);
  return renameKey(value, from, to);
}

function convertConfirmInformation(value: unknown, dir: Direction): unknown {
  if (!isPlainObject(value)) return value;
  return mapField(value, "transfer_details", (td) => convertTransferDetails(td, dir));
}

function convertPayout(value: unknown, dir: Direction): unknown {
  if (!isPlainObject(value)) return value;
  const [from, to] = instrumentKeys(dir);
  return renameKey(value, from, to);
}

function convertSession(value: unknown, dir: Direction): unknown {
  if (!isPlainObject(value)) return value;
  const [payoutsFrom, payoutsTo] = dir === "toV1" ? ["payout_list", "payments"] : ["payments", "payout_list"];
  const [paymentsFrom, paymentsTo] =
    dir === "toV1" ? ["payment_list", "acquiring_payments"] : ["acquiring_payments", "payment_list"];
  let out = renameKey(value, payoutsFrom, payoutsTo);
  out = mapField(out, payoutsTo, (list) => mapArray(list, (p) => convertPayout(p, dir)));
  return renameKey(out, paymentsFrom, paymentsTo);
}

function convertRequest(value: unknown, dir: Direction): unknown {
  if (!isPlainObject(value)) return value;
  const [from, to] = instrumentKeys(dir);
  const out = renameKey(value, from, to);
  return mapField(out, "confirm_information", (ci) => convertConfirmInformation(ci, dir));
}

/** Responses: `{status:"ok", session}` is converted; other bodies (token, tokenize, token/info, errors) are version-neutral. */
function convertResponse(value: unknown, dir: Direction): unknown {
  if (!isPlainObject(value)) return value;
  return mapField(value, "session", (s) => convertSession(s, dir));
}

function convertWebhook(value: unknown, dir: Direction): unknown {
  if (!isPlainObject(value)) return value;
  const out = mapField(value, "session", (s) => convertSession(s, dir));
  return mapField(out, "confirm_information", (ci) => convertConfirmInformation(ci, dir));
}

// ---- public API -------------------------------------------------------------------------------------

/** Canonical (v2-named) request body → the spelling of `version`. */
export function requestToWire<T>(body: T, version: ApiVersion): Wire<T> {
  return asObj<T>(version === 1 ? convertRequest(body, "toV1") : body);
}

/** Request body in the spelling of `version` → canonical (v2 names). */
export function requestFromWire<T>(body: T, version: ApiVersion): Wire<T> {
  return asObj<T>(version === 1 ? convertRequest(body, "fromV1") : body);
}

/** Canonical response (`{status:"ok", session}` etc.) → the spelling of `version`. */
export function responseToWire<T>(body: T, version: ApiVersion): Wire<T> {
  return asObj<T>(version === 1 ? convertResponse(body, "toV1") : body);
}

/** Response in either spelling → canonical names (schemas do this too; this is the plain-object form). */
export function responseFromWire<T>(body: T, version: ApiVersion): Wire<T> {
  return asObj<T>(version === 1 ? convertResponse(body, "fromV1") : body);
}

/** Canonical session → spelling of `version`. */
export function sessionToWire<T>(session: T, version: ApiVersion): Wire<T> {
  return asObj<T>(version === 1 ? convertSession(session, "toV1") : session);
}

export function sessionFromWire<T>(session: T, version: ApiVersion): Wire<T> {
  return asObj<T>(version === 1 ? convertSession(session, "fromV1") : session);
}

/**
 * Canonical webhook → spelling of `version`. Accepts the output of `parseWebhook` too: the `known` marker is
 * dropped, and an unknown-type webhook is returned as its original raw body.
 */
export function webhookToWire<T>(webhook: T, version: ApiVersion): Wire<T> {
  let body: unknown = webhook;
  if (isPlainObject(webhook) && "known" in webhook) {
    if (webhook.known === false && isPlainObject(webhook.raw)) return asObj<T>({ ...webhook.raw });
    const { known: _known, ...rest } = webhook;
    body = rest;
  }
  return asObj<T>(version === 1 ? convertWebhook(body, "toV1") : body);
}

export function webhookFromWire<T>(webhook: T, version: ApiVersion): Wire<T> {
  return asObj<T>(version === 1 ? convertWebhook(webhook, "fromV1") : webhook);
}

/** Maps a canonical field path (as reported by validation) to the v1 spelling, for error messages. */
export function pathToV1(path: readonly PropertyKey[]): PropertyKey[] {
  const out = [...path];
  if (out[0] === "payout_details") out[0] = "payment_method";
  if (out[0] === "confirm_information" && out[1] === "transfer_details" && out[2] === "payout_details") {
    out[2] = "payment_method";
  }
  return out;
}

/** Non-object input (which no valid body is) is passed through unchanged. */
function asObj<T>(value: unknown): Wire<T> {
  return value as Wire<T>;
}
