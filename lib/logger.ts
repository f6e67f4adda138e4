import pino from "pino";
import { env } from "./env";

/**
 * Structured JSON logs (pino: fast, levels, redaction). Card data never reaches a log: the portal
 * only handles hashes and masks, and these paths are redacted as a second line of defence.
 */
export const logger = pino({
  level: env().logLevel,
  base: { service: "portal" },
  redact: {
    paths: ["*.number", "*.card_number", "*.pan", "*.security_code", "*.cvc", "*.password", "*.passwordHash", "*.token", "*.linkToken"],
    censor: "[redacted]",
  },
});
