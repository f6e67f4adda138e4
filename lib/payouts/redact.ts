/**
 * Reusable credentials (card hashes, card and recurrent tokens, bank-account tokens, public tokens) are
 * shown to people only as prefix…suffix: enough to tell two apart, not enough to pay with one.
 * Any object key ending in `token` or `hash` (`number_hash`, `bank_account_ru_token`, `recurrentToken`, …)
 * at any depth counts as a credential.
 */

const SECRET_KEY = /(?:token|hash)$/i;

/** `9a8a650c…59da` → `9a8a…59da`; short values are hidden entirely. */
export function redactSecret(value: string): string {
  return value.length <= 12 ? "…" : `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** A copy of a JSON value with every credential-named string redacted. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecrets(item)) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) && typeof inner === "string" ? redactSecret(inner) : redactSecrets(inner)]),
  ) as T;
}

// `"number_hash": "…"` in JSON text; the value may contain escapes.
const SECRET_MEMBER = /("[A-Za-z0-9_]*(?:token|hash)"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi;

/** JSON text (a webhook body as received) with credential values redacted in place, layout kept. */
export function redactJsonText(text: string): string {
  return text.replace(SECRET_MEMBER, (_match, open: string, secret: string, close: string) => `${open}${redactSecret(secret)}${close}`);
}
