import path from "node:path";
import { z } from "zod";

/**
 * The only sandbox module that reads process.env. Everything else receives a parsed SandboxConfig,
 * so tests and the entry point agree on one set of defaults.
 */

export const DEFAULT_KEYS_DIR = "data/keys";
export const DEFAULT_PARTNER_PUBLIC_KEY_FILE = "data/keys/partner-public.pem";
export const DEFAULT_BANK_PRIVATE_KEY_FILE = "data/keys/bank-private.pem";

const ms = (fallback: number, max = 24 * 60 * 60 * 1000) =>
  z.coerce.number().int("must be an integer number of milliseconds").min(0).max(max).default(fallback);

const count = (fallback: number, min = 1, max = 1000) => z.coerce.number().int("must be an integer").min(min).max(max).default(fallback);

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL");

const envSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int("must be an integer").min(0).max(65535).default(4131),
  SANDBOX_HOST: z.string().trim().min(1).default("127.0.0.1"),
  SANDBOX_PROJECT: z.string().trim().min(1).max(200).default("demo-partner"),
  SANDBOX_PARTNER_PUBLIC_KEY_FILE: z.string().trim().min(1).default(DEFAULT_PARTNER_PUBLIC_KEY_FILE),
  SANDBOX_BANK_PRIVATE_KEY_FILE: z.string().trim().min(1).default(DEFAULT_BANK_PRIVATE_KEY_FILE),
  SANDBOX_WEBHOOK_URL: httpUrl.default("http://127.0.0.1:3000/api/webhooks/bank131"),
  SANDBOX_DATA_DIR: z.string().trim().min(1).default("data/sandbox"),
  /** start → ready_to_confirm ("bank checks pass"). */
  SANDBOX_READY_DELAY_MS: ms(500),
  /** Same step for the "slow" test card. */
  SANDBOX_SLOW_READY_DELAY_MS: ms(8_000),
  /** confirm → final payout result. */
  SANDBOX_EXECUTE_DELAY_MS: ms(1_000),
  /** ready_to_confirm → automatic cancel with confirm_timeout. */
  SANDBOX_CONFIRM_TIMEOUT_MS: ms(10 * 60 * 1000),
  /** How long the "error" test card keeps the session in status error before it resolves. */
  SANDBOX_ERROR_RESOLVE_DELAY_MS: ms(10_000),
  /** success → payment_refunded for the "refunded later" bank account. */
  SANDBOX_REFUND_DELAY_MS: ms(10_000),
  SANDBOX_WEBHOOK_BACKOFF_BASE_MS: ms(1_000, 60 * 60 * 1000),
  SANDBOX_WEBHOOK_BACKOFF_MAX_MS: ms(5 * 60 * 1000),
  /** 20 attempts with the default back-off span ~58 min (1 s … 5 min): the bank "keeps re-sending until it gets a reply". */
  SANDBOX_WEBHOOK_MAX_ATTEMPTS: count(20, 1, 100),
  SANDBOX_WEBHOOK_TIMEOUT_MS: ms(5_000, 5 * 60 * 1000),
  /** Default duration of the "hang" fault: longer than the SDK's 30 s client timeout. */
  SANDBOX_HANG_MS: ms(35_000, 10 * 60 * 1000),
  SANDBOX_PUBLIC_TOKEN_TTL_MS: ms(24 * 60 * 60 * 1000, 30 * 24 * 60 * 60 * 1000),
  SANDBOX_IDEMPOTENCY_TTL_MS: ms(24 * 60 * 60 * 1000, 30 * 24 * 60 * 60 * 1000),
  /**
   * A reused X-PARTNER-IDEMPOTENCY-KEY: `replay` answers the stored 2xx answer to the same request;
   * `conflict` answers idempotency_key_already_exists to ANY reuse of a key the bank has answered.
   */
  SANDBOX_IDEMPOTENCY_REUSE: z.enum(["replay", "conflict"]).default("replay"),
  SANDBOX_REQUEST_LOG_LIMIT: count(500, 10, 100_000),
  /** npd/check → npd/request/status answers "ok" (the tax service's answer time). */
  SANDBOX_NPD_CHECK_DELAY_MS: ms(2_000),
  /** Origin written into receipt links (`receipt.link`); default http://SANDBOX_HOST:SANDBOX_PORT. */
  SANDBOX_PUBLIC_URL: httpUrl.optional(),
});

export interface SandboxConfig {
  port: number;
  host: string;
  project: string;
  partnerPublicKeyFile: string;
  bankPrivateKeyFile: string;
  /** True when both key files are the defaults, so main may generate them with ensureDevKeys. */
  usesDefaultKeys: boolean;
  webhookUrl: string;
  dataDir: string;
  timing: {
    readyDelayMs: number;
    slowReadyDelayMs: number;
    executeDelayMs: number;
    confirmTimeoutMs: number;
    errorResolveDelayMs: number;
    refundDelayMs: number;
    hangMs: number;
    publicTokenTtlMs: number;
    idempotencyTtlMs: number;
    npdCheckDelayMs: number;
  };
  /** Origin of the sandbox as callers see it (receipt links); no trailing slash. */
  publicUrl: string;
  idempotencyReuse: "replay" | "conflict";
  webhook: { backoffBaseMs: number; backoffMaxMs: number; maxAttempts: number; timeoutMs: number };
  requestLogLimit: number;
}

export class SandboxConfigError extends Error {
  override name = "SandboxConfigError";
}

/** Parses an environment map; throws SandboxConfigError with a one-line message naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): SandboxConfig {
  // Empty strings mean "unset" so `SANDBOX_PORT= npm run sandbox` falls back to the default.
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") cleaned[key] = value;
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join(".") ?? "environment";
    throw new SandboxConfigError(`invalid sandbox config: ${name}: ${issue?.message ?? "invalid value"}`);
  }
  const e = parsed.data;
  const resolve = (p: string) => path.resolve(p);
  return {
    port: e.SANDBOX_PORT,
    host: e.SANDBOX_HOST,
    project: e.SANDBOX_PROJECT,
    partnerPublicKeyFile: resolve(e.SANDBOX_PARTNER_PUBLIC_KEY_FILE),
    bankPrivateKeyFile: resolve(e.SANDBOX_BANK_PRIVATE_KEY_FILE),
    usesDefaultKeys:
      resolve(e.SANDBOX_PARTNER_PUBLIC_KEY_FILE) === resolve(DEFAULT_PARTNER_PUBLIC_KEY_FILE) &&
      resolve(e.SANDBOX_BANK_PRIVATE_KEY_FILE) === resolve(DEFAULT_BANK_PRIVATE_KEY_FILE),
    webhookUrl: e.SANDBOX_WEBHOOK_URL,
    dataDir: resolve(e.SANDBOX_DATA_DIR),
    timing: {
      readyDelayMs: e.SANDBOX_READY_DELAY_MS,
      slowReadyDelayMs: e.SANDBOX_SLOW_READY_DELAY_MS,
      executeDelayMs: e.SANDBOX_EXECUTE_DELAY_MS,
      confirmTimeoutMs: e.SANDBOX_CONFIRM_TIMEOUT_MS,
      errorResolveDelayMs: e.SANDBOX_ERROR_RESOLVE_DELAY_MS,
      refundDelayMs: e.SANDBOX_REFUND_DELAY_MS,
      hangMs: e.SANDBOX_HANG_MS,
      publicTokenTtlMs: e.SANDBOX_PUBLIC_TOKEN_TTL_MS,
      idempotencyTtlMs: e.SANDBOX_IDEMPOTENCY_TTL_MS,
      npdCheckDelayMs: e.SANDBOX_NPD_CHECK_DELAY_MS,
    },
    publicUrl: (e.SANDBOX_PUBLIC_URL ?? `http://${e.SANDBOX_HOST.includes(":") ? `[${e.SANDBOX_HOST}]` : e.SANDBOX_HOST}:${e.SANDBOX_PORT}`).replace(/\/+$/, ""),
    webhook: {
      backoffBaseMs: e.SANDBOX_WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: e.SANDBOX_WEBHOOK_BACKOFF_MAX_MS,
      maxAttempts: e.SANDBOX_WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: e.SANDBOX_WEBHOOK_TIMEOUT_MS,
    },
    idempotencyReuse: e.SANDBOX_IDEMPOTENCY_REUSE,
    requestLogLimit: e.SANDBOX_REQUEST_LOG_LIMIT,
  };
}

/** Reads process.env; the single place in sandbox/ that does. */
export function loadConfig(): SandboxConfig {
  return parseConfig(process.env);
}
