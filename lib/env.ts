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

  PARTNER_NAME: z.preprocess(emptyToUndefined, z.string().min(2).max(120).default("ООО «Демо-партнёр»")),
  PAYOUT_MAX_KOPECKS: positiveInt(60_000_000), // 600 000 ₽
  PAYOUT_LINK_TTL_HOURS: positiveInt(24 * 7),
  // Payouts at or above this amount need two distinct approvers.
  APPROVAL_TWO_APPROVERS_FROM_KOPECKS: positiveInt(10_000_000), // 100 000 ₽
  RECONCILE_INTERVAL_MS: positiveInt(30_000),
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
      secret: raw.NEXTAUTH_SECRET ?? (isProduction ? undefined : "dev-only-insecure-nextauth-secret-change-me"),
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
    },
    partnerName: raw.PARTNER_NAME,
    payouts: {
      maxKopecks: raw.PAYOUT_MAX_KOPECKS,
      linkTtlHours: raw.PAYOUT_LINK_TTL_HOURS,
      twoApproversFromKopecks: raw.APPROVAL_TWO_APPROVERS_FROM_KOPECKS,
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
    signIn: {
      maxFailuresPerAccount: raw.SIGNIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: raw.SIGNIN_MAX_FAILURES_PER_ADDRESS,
      failureWindowSeconds: raw.SIGNIN_FAILURE_WINDOW_MINUTES * 60,
      lockoutSeconds: raw.SIGNIN_LOCKOUT_MINUTES * 60,
      setPasswordMaxAttemptsPerAddress: raw.SET_PASSWORD_MAX_ATTEMPTS_PER_ADDRESS,
    },
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
