import pino from "pino";
import { env } from "./env";

/**
 * Structured JSON logs (pino: fast, levels). Every line passes through `redactLogLine` before it is
 * written: pino's own `redact` paths name fixed depths, and a secret can sit anywhere (an error's
 * cause, a bank answer, a nested audit payload). Card data never reaches a log (the portal only
 * handles hashes and masks); this is the second line of defence for it and the first for emails,
 * tokens and keys.
 */

const REDACTED = "[redacted]";

/** Keys whose values are credentials or personal data, at any depth (case-insensitive). */
const SENSITIVE_KEY =
  /^(?:key|number|pan|cvc|cvv|security_?code|cookie|set-cookie|authorization|x-api-key|x-partner-sign|.*(?:token|secret|password|passwordhash|api_?key|private_?key|signature|email|card_?number|number_?hash))$/i;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const API_KEY = /pk_live_[0-9a-f]{12}_[0-9a-f]{48}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Recipient links and set-password links carry their token in the path.
const LINK_PATH = /\/(p|set-password)\/[A-Za-z0-9_-]{16,}/g;

function scrubText(text: string): string {
  return text.replace(EMAIL, "[email]").replace(API_KEY, REDACTED).replace(BEARER, `$1 ${REDACTED}`).replace(LINK_PATH, `/$1/${REDACTED}`);
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 32) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const secret = SENSITIVE_KEY.test(key) && item !== null && item !== undefined && item !== "" && typeof item !== "boolean";
    out[key] = secret ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** One finished log line (pino's JSON) with credentials and emails removed at any depth. */
export function redactLogLine(line: string): string {
  try {
    return `${JSON.stringify(redactValue(JSON.parse(line), 0))}\n`;
  } catch {
    return scrubText(line);
  }
}

/** The portal's logger; tests pass a destination to read what would have been written. */
export function createLogger(destination?: pino.DestinationStream, level: string = env().logLevel): pino.Logger {
  const options = { level, base: { service: "portal" }, hooks: { streamWrite: redactLogLine } };
  return destination ? pino(options, destination) : pino(options);
}

export const logger = createLogger();
