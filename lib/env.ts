import path from "node:path";
import { z } from "zod";

/**
 * Every setting the portal reads, parsed once with zod. Nothing else touches `process.env`.
 * Defaults make `npm run demo` work with no `.env`; production refuses to start without secrets.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const booleanFlag = z.preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"], { error: "must be true or false" }).default("false").transform((value) => value === "true" || value === "1"));
const positiveInt = (fallback: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));

/** `postgresql://…` selects a PostgreSQL server; `pglite:memory` or `pglite:<dir>` the embedded engine. */
export type DatabaseTarget =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dataDir: string | null /* null = in memory */ };

export function parseDatabaseUrl(raw: string | undefined, defaultPgliteDir: string): DatabaseTarget {
  if (raw === undefined || raw.trim() === "") return { kind: "pglite", dataDir: defaultPgliteDir };
  const value = raw.trim();
  if (value === "pglite:memory" || value === "memory://") return { kind: "pglite", dataDir: null };
  if (value.startsWith("pglite:")) {
    const dir = value.slice("pglite:".length);
    if (dir === "") throw new Error("DATABASE_URL: pglite: needs a directory, e.g. pglite:./data/pglite or pglite:memory");
    return { kind: "pglite", dataDir: path.resolve(/*turbopackIgnore: true*/ dir) };
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error("DATABASE_URL is not a valid URL (expected postgresql://user@host:5432/db, pglite:<dir> or pglite:memory)");
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new Error(`DATABASE_URL has unsupported scheme "${parsed.protocol}" (expected postgresql://, pglite:<dir> or pglite:memory)`);
  }
  if (!parsed.hostname && !parsed.searchParams.get("host")) throw new Error("DATABASE_URL is missing a host");
  if (parsed.pathname.length <= 1) throw new Error("DATABASE_URL is missing a database name");
  return { kind: "postgres", url: value };
}

/** The development fallback for NEXTAUTH_SECRET; production refuses to start with it unset. */
export const DEV_NEXTAUTH_SECRET = "dev-only-insecure-nextauth-secret-change-me";

/**
 * Settings whose value is a secret ("value") or names a file holding one ("file"): never in a client
 * bundle, a page or a log line. The post-build check (tests/post-e2e/bundle-secrets.test.ts) greps the
 * built client for each of them.
 */
export const SECRET_SETTINGS = {
  NEXTAUTH_SECRET: "value",
  DATABASE_URL: "value",
  BANK131_PRIVATE_KEY_FILE: "file",
} as const satisfies Record<string, "value" | "file">;

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("data")),
  DATABASE_URL: optionalString,
  NEXTAUTH_SECRET: optionalString,
  NEXTAUTH_URL: z.preprocess(emptyToUndefined, httpUrl.optional()),
  PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, httpUrl.optional()),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),

  BANK131_API_URL: z.preprocess(emptyToUndefined, httpUrl.default("http://127.0.0.1:4131")),
  BANK131_PROJECT: z.preprocess(emptyToUndefined, z.string().min(1).default("demo-partner")),
  BANK131_PRIVATE_KEY_FILE: optionalString,
  BANK131_PUBLIC_KEY_FILE: optionalString,
  BANK131_API_VERSION: z.preprocess(emptyToUndefined, z.enum(["1", "2"]).default("2")),
  BANK131_TIMEOUT_MS: positiveInt(30_000),
  BANK131_WIDGET_URL: z.preprocess(emptyToUndefined, httpUrl.optional()),
  BANK131_WIDGET_GLOBAL: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z_$][\w$]*$/).default("Bank131CardWidget")),
  // Subresource Integrity of the widget script: the browser refuses a script whose hash differs.
  BANK131_WIDGET_INTEGRITY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/, "must be an SRI hash like sha384-<base64>")
      .optional(),
  ),

  PARTNER_NAME: z.preprocess(emptyToUndefined, z.string().min(2).max(120).default("ООО «Демо-партнёр»")),
  // The partner's INN (a company: 10 digits; an entrepreneur: 12): the payer on self-employed receipts.
  PARTNER_INN: z.preprocess(emptyToUndefined, z.string().regex(/^(\d{10}|\d{12})$/, "must be 10 or 12 digits").default("7701001319")),
  // The bank's self-employed linking widget script (documented test host: https://widget-demo.bank131.ru/self-employed.js).
  BANK131_SELF_EMPLOYED_WIDGET_URL: z.preprocess(emptyToUndefined, httpUrl.optional()),
  PAYOUT_MAX_KOPECKS: positiveInt(60_000_000), // 600 000 ₽
  PAYOUT_LINK_TTL_HOURS: positiveInt(24 * 7),
  // Payouts at or above this amount need two distinct approvers.
  APPROVAL_TWO_APPROVERS_FROM_KOPECKS: positiveInt(10_000_000), // 100 000 ₽
  RECONCILE_INTERVAL_MS: positiveInt(30_000),
  BATCH_INTERVAL_MS: positiveInt(5_000),
  RECONCILE_STALE_AFTER_MS: positiveInt(60_000),
  // Seed 003: a bank-account payout "may be refunded within 5 days" (a newer text says 7 business days).
  RECONCILE_REFUND_WATCH_DAYS: positiveInt(5),
  // Finished payouts (paid/refunded/failed/cancelled) of the last N days are compared once with the bank.
  RECONCILE_AUDIT_DAYS: positiveInt(7),
  // Upper bound of the per-row back-off after failed checks.
  RECONCILE_BACKOFF_MAX_MS: positiveInt(60 * 60 * 1000),

  OPERATOR_INVITE_TTL_HOURS: positiveInt(72),
  SIGNIN_MAX_FAILURES_PER_ACCOUNT: positiveInt(5),
  SIGNIN_MAX_FAILURES_PER_ADDRESS: positiveInt(20),
  SIGNIN_FAILURE_WINDOW_MINUTES: positiveInt(15),
  SIGNIN_LOCKOUT_MINUTES: positiveInt(15),
  SET_PASSWORD_MAX_ATTEMPTS_PER_ADDRESS: positiveInt(10),
  // How often an open event stream re-reads its operator (a disable/demote also ends it at once).
  EVENTS_OPERATOR_RECHECK_MS: positiveInt(15_000),
  // How long an operator's claim on a payout ("Взять в работу") lasts before others may act.
  CLAIM_TTL_MINUTES: positiveInt(10),
  // Open live-event streams per operator and per recipient link, counted per instance.
  EVENTS_MAX_STREAMS_PER_OPERATOR: positiveInt(10),
  EVENTS_MAX_STREAMS_PER_LINK: positiveInt(5),
  // Risk signals in the approval queue (lib/payouts/risk-signals.ts).
  RISK_NAMES_WINDOW_DAYS: positiveInt(30),
  RISK_INSTRUMENT_PAYOUTS_PER_DAY: positiveInt(3),
  RISK_AMOUNT_MEDIAN_MULTIPLIER: positiveInt(5),
  RISK_AMOUNT_MIN_HISTORY: positiveInt(3),
  RISK_LINK_ADDRESSES: positiveInt(5),

  // Reverse proxies in front of the portal that append the client to X-Forwarded-For (see clientAddress).
  TRUST_PROXY_HOPS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10).default(1)),
  // Request limits (lib/server/rate-limits.ts); going over answers 429 rate_limited with Retry-After.
  RATE_LIMIT_PARTNER_PER_KEY_PER_MINUTE: positiveInt(120),
  RATE_LIMIT_PARTNER_BAD_KEYS_PER_ADDRESS_PER_HOUR: positiveInt(20),
  RATE_LIMIT_LINK_WIDGET_TOKENS_PER_HOUR: positiveInt(30),
  RATE_LIMIT_LINK_CARD_CHECKS_PER_HOUR: positiveInt(30),
  RATE_LIMIT_LINK_ACCOUNT_TOKENIZE_PER_HOUR: positiveInt(10),
  RATE_LIMIT_LINK_RETRIES_PER_HOUR: positiveInt(20),
  // SBP customer verifications (and polls of one still running) per recipient link.
  RATE_LIMIT_LINK_SBP_VERIFICATIONS_PER_HOUR: positiveInt(10),
  // SBP (lib/payouts/sbp.ts): how long a verified phone + bank + name is reused; how long fps/banks is cached.
  SBP_VERIFICATION_TTL_DAYS: positiveInt(30),
  SBP_BANKS_CACHE_SECONDS: positiveInt(600),
  RATE_LIMIT_WEBHOOK_REJECTIONS_PER_ADDRESS_PER_MINUTE: positiveInt(30),
  // At most this many rejected webhook deliveries a minute are sampled (hash, size, address, reason).
  WEBHOOK_REJECTION_SAMPLES_PER_MINUTE: positiveInt(20),
  // Retention (lib/jobs/retention.ts): never touches what an unfinished payout still needs.
  RETENTION_WEBHOOK_DAYS: positiveInt(180),
  RETENTION_REJECTED_WEBHOOK_DAYS: positiveInt(30),
  RETENTION_IDEMPOTENCY_DAYS: positiveInt(30),
  RETENTION_BANK_CALL_BODY_DAYS: positiveInt(180),
  RETENTION_INTERVAL_MINUTES: positiveInt(60),
  // Signed webhooks to the partner's backend (lib/payouts/partner-webhooks): per-attempt timeout, how
  // often each process looks for due deliveries, the back-off (base doubling up to the cap, with jitter),
  // how long a delivery is retried before it is marked failed, and a rotated secret's overlap.
  PARTNER_WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  PARTNER_WEBHOOK_POLL_INTERVAL_MS: positiveInt(1_000),
  PARTNER_WEBHOOK_RETRY_BASE_MS: positiveInt(5_000),
  PARTNER_WEBHOOK_RETRY_MAX_DELAY_MS: positiveInt(60 * 60 * 1000),
  PARTNER_WEBHOOK_GIVE_UP_HOURS: positiveInt(24),
  PARTNER_WEBHOOK_SECRET_OVERLAP_HOURS: positiveInt(24),
  // Production refuses http:// for BANK131_API_URL unless this says the bank is the local sandbox.
  ALLOW_SANDBOX_IN_PRODUCTION: booleanFlag,
  // Production refuses http:// portal URLs unless this allows them on a loopback host (demo, e2e).
  ALLOW_LOOPBACK_HTTP_IN_PRODUCTION: booleanFlag,
});

export type Env = ReturnType<typeof buildEnv>;

type EnvSource = Record<string, string | undefined>;

function buildEnv(source: EnvSource) {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(`${issue?.path.join(".") ?? "environment"}: ${issue?.message ?? "invalid"}`);
  }
  const raw = result.data;
  const isProduction = raw.NODE_ENV === "production";
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.DATA_DIR);
  let database: DatabaseTarget;
  try {
    database = parseDatabaseUrl(raw.DATABASE_URL, path.join(dataDir, "pglite"));
  } catch (error) {
    throw new EnvError((error as Error).message);
  }
  const keysDir = path.join(dataDir, "keys");
  const appUrl = raw.NEXTAUTH_URL ?? "http://127.0.0.1:3000";
  return {
    nodeEnv: raw.NODE_ENV,
    isProduction,
    dataDir,
    database,
    logLevel: raw.LOG_LEVEL,
    auth: {
      // Development gets a fixed, obviously-insecure secret; production must bring its own.
      secret: raw.NEXTAUTH_SECRET ?? (isProduction ? undefined : DEV_NEXTAUTH_SECRET),
      url: appUrl,
    },
    publicBaseUrl: (raw.PUBLIC_BASE_URL ?? appUrl).replace(/\/$/, ""),
    bank131: {
      apiUrl: raw.BANK131_API_URL.replace(/\/$/, ""),
      project: raw.BANK131_PROJECT,
      privateKeyFile: path.resolve(/*turbopackIgnore: true*/ raw.BANK131_PRIVATE_KEY_FILE ?? path.join(keysDir, "partner-private.pem")),
      publicKeyFile: path.resolve(/*turbopackIgnore: true*/ raw.BANK131_PUBLIC_KEY_FILE ?? path.join(keysDir, "bank-public.pem")),
      apiVersion: Number(raw.BANK131_API_VERSION) as 1 | 2,
      timeoutMs: raw.BANK131_TIMEOUT_MS,
      widgetUrl: raw.BANK131_WIDGET_URL ?? `${raw.BANK131_API_URL.replace(/\/$/, "")}/widget/v1/bank131-card-widget.js`,
      widgetGlobal: raw.BANK131_WIDGET_GLOBAL,
      widgetIntegrity: raw.BANK131_WIDGET_INTEGRITY ?? null,
      selfEmployedWidgetUrl: raw.BANK131_SELF_EMPLOYED_WIDGET_URL ?? `${raw.BANK131_API_URL.replace(/\/$/, "")}/self-employed.js`,
    },
    partnerName: raw.PARTNER_NAME,
    partnerInn: raw.PARTNER_INN,
    payouts: {
      maxKopecks: raw.PAYOUT_MAX_KOPECKS,
      linkTtlHours: raw.PAYOUT_LINK_TTL_HOURS,
      claimTtlMinutes: raw.CLAIM_TTL_MINUTES,
      twoApproversFromKopecks: raw.APPROVAL_TWO_APPROVERS_FROM_KOPECKS,
      sbp: { verificationTtlDays: raw.SBP_VERIFICATION_TTL_DAYS, banksCacheSeconds: raw.SBP_BANKS_CACHE_SECONDS },
      risk: {
        namesWindowDays: raw.RISK_NAMES_WINDOW_DAYS,
        instrumentPayoutsPerDay: raw.RISK_INSTRUMENT_PAYOUTS_PER_DAY,
        amountMedianMultiplier: raw.RISK_AMOUNT_MEDIAN_MULTIPLIER,
        amountMinHistory: raw.RISK_AMOUNT_MIN_HISTORY,
        linkAddresses: raw.RISK_LINK_ADDRESSES,
      },
    },
    batches: {
      // A confirmation starts a pass at once; the timer picks up what a stopped instance left.
      intervalMs: raw.BATCH_INTERVAL_MS,
    },
    reconciliation: {
      intervalMs: raw.RECONCILE_INTERVAL_MS,
      staleAfterMs: raw.RECONCILE_STALE_AFTER_MS,
      refundWatchMs: raw.RECONCILE_REFUND_WATCH_DAYS * DAY_MS,
      auditWindowMs: raw.RECONCILE_AUDIT_DAYS * DAY_MS,
      backoffMaxMs: raw.RECONCILE_BACKOFF_MAX_MS,
    },
    operators: {
      inviteTtlHours: raw.OPERATOR_INVITE_TTL_HOURS,
      eventsRecheckMs: raw.EVENTS_OPERATOR_RECHECK_MS,
    },
    events: {
      maxStreamsPerOperator: raw.EVENTS_MAX_STREAMS_PER_OPERATOR,
      maxStreamsPerLink: raw.EVENTS_MAX_STREAMS_PER_LINK,
    },
    signIn: {
      maxFailuresPerAccount: raw.SIGNIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: raw.SIGNIN_MAX_FAILURES_PER_ADDRESS,
      failureWindowSeconds: raw.SIGNIN_FAILURE_WINDOW_MINUTES * 60,
      lockoutSeconds: raw.SIGNIN_LOCKOUT_MINUTES * 60,
      setPasswordMaxAttemptsPerAddress: raw.SET_PASSWORD_MAX_ATTEMPTS_PER_ADDRESS,
    },
    trustProxyHops: raw.TRUST_PROXY_HOPS,
    rateLimits: {
      partnerPerKey: { points: raw.RATE_LIMIT_PARTNER_PER_KEY_PER_MINUTE, durationSeconds: 60 },
      partnerBadKeysPerAddress: { points: raw.RATE_LIMIT_PARTNER_BAD_KEYS_PER_ADDRESS_PER_HOUR, durationSeconds: 3600 },
      linkWidgetTokens: { points: raw.RATE_LIMIT_LINK_WIDGET_TOKENS_PER_HOUR, durationSeconds: 3600 },
      linkCardChecks: { points: raw.RATE_LIMIT_LINK_CARD_CHECKS_PER_HOUR, durationSeconds: 3600 },
      linkAccountTokenize: { points: raw.RATE_LIMIT_LINK_ACCOUNT_TOKENIZE_PER_HOUR, durationSeconds: 3600 },
      linkRetries: { points: raw.RATE_LIMIT_LINK_RETRIES_PER_HOUR, durationSeconds: 3600 },
      linkSbpVerifications: { points: raw.RATE_LIMIT_LINK_SBP_VERIFICATIONS_PER_HOUR, durationSeconds: 3600 },
      webhookRejectionsPerAddress: { points: raw.RATE_LIMIT_WEBHOOK_REJECTIONS_PER_ADDRESS_PER_MINUTE, durationSeconds: 60 },
    },
    webhookRejectionSamplesPerMinute: raw.WEBHOOK_REJECTION_SAMPLES_PER_MINUTE,
    retention: {
      webhookMs: raw.RETENTION_WEBHOOK_DAYS * DAY_MS,
      rejectedWebhookMs: raw.RETENTION_REJECTED_WEBHOOK_DAYS * DAY_MS,
      idempotencyMs: raw.RETENTION_IDEMPOTENCY_DAYS * DAY_MS,
      bankCallBodyMs: raw.RETENTION_BANK_CALL_BODY_DAYS * DAY_MS,
      intervalMs: raw.RETENTION_INTERVAL_MINUTES * 60_000,
    },
    partnerWebhooks: {
      timeoutMs: raw.PARTNER_WEBHOOK_TIMEOUT_MS,
      pollIntervalMs: raw.PARTNER_WEBHOOK_POLL_INTERVAL_MS,
      retryBaseMs: raw.PARTNER_WEBHOOK_RETRY_BASE_MS,
      retryMaxDelayMs: raw.PARTNER_WEBHOOK_RETRY_MAX_DELAY_MS,
      giveUpAfterMs: raw.PARTNER_WEBHOOK_GIVE_UP_HOURS * 3_600_000,
      secretOverlapMs: raw.PARTNER_WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000,
    },
    allowSandboxInProduction: raw.ALLOW_SANDBOX_IN_PRODUCTION,
    allowLoopbackHttpInProduction: raw.ALLOW_LOOPBACK_HTTP_IN_PRODUCTION,
  };
}

export class EnvError extends Error {
  override name = "EnvError";
}

/** Settings that production cannot run without; checked at server start-up. */
export function assertProductionReady(env: Env): void {
  if (!env.isProduction) return;
  if (!env.auth.secret) throw new EnvError("NEXTAUTH_SECRET is required in production (e.g. `openssl rand -base64 32`)");
  if (env.auth.secret.length < 32) throw new EnvError("NEXTAUTH_SECRET must be at least 32 characters");
  // Sessions, recipient links and signed bank calls must not travel in clear text.
  const portalUrls: Array<[string, string]> = [
    ["NEXTAUTH_URL", env.auth.url],
    ["PUBLIC_BASE_URL", env.publicBaseUrl],
  ];
  for (const [name, value] of portalUrls) {
    const url = new URL(value);
    if (url.protocol === "https:") continue;
    if (env.allowLoopbackHttpInProduction && isLoopbackHost(url.hostname)) continue;
    throw new EnvError(`${name} must be an https:// URL in production (http:// only on a loopback host with ALLOW_LOOPBACK_HTTP_IN_PRODUCTION=true)`);
  }
  if (new URL(env.bank131.apiUrl).protocol !== "https:" && !env.allowSandboxInProduction) {
    throw new EnvError("BANK131_API_URL must be an https:// URL in production (the local sandbox needs ALLOW_SANDBOX_IN_PRODUCTION=true)");
  }
}

/** localhost, 127.0.0.0/8 or ::1: reachable only from this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

let cached: Env | undefined;

/** The parsed environment; throws EnvError with one clear line when a setting is invalid. */
export function env(): Env {
  cached ??= buildEnv(process.env);
  return cached;
}

/** For tests and scripts that build an environment from explicit values. */
export function parseEnv(source: EnvSource): Env {
  return buildEnv(source);
}
