import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { PrismaClient } from "../generated/prisma/client";
import { env } from "../env";

/**
 * Failed sign-in limits per account (email) and per client address, kept in `sign_in_limits`
 * through Prisma (rate-limiter-flexible's RateLimiterPrisma), so they hold across instances on
 * PostgreSQL and across restarts on PGlite. Reaching a limit locks that key for `lockoutSeconds`.
 */

export interface SignInThrottleSettings {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  failureWindowSeconds: number;
  lockoutSeconds: number;
}

export type LockoutScope = "account" | "address";

export interface Lockout {
  scope: LockoutScope;
  /** The email or the client address. */
  subject: string;
  retryAfterSeconds: number;
}

export interface SignInThrottle {
  /** The longest active lockout for this email or address, or null when sign-in may be tried. */
  lockout(email: string, address: string): Promise<Lockout | null>;
  /** Counts a failure; returns the lockouts this failure started. */
  recordFailure(email: string, address: string): Promise<Lockout[]>;
  /** A correct password clears the account's failures (the address keeps its count). */
  recordSuccess(email: string): Promise<void>;
  /** Ends a lockout early (an admin's decision); true when there was something to lift. */
  lift(scope: LockoutScope, subject: string): Promise<boolean>;
  /** Seconds left on a lockout, or null. */
  remaining(scope: LockoutScope, subject: string): Promise<number | null>;
}

export function createSignInThrottle(prisma: PrismaClient, settings: SignInThrottleSettings): SignInThrottle {
  const limiter = (scope: LockoutScope, points: number) =>
    new RateLimiterPrisma({ storeClient: prisma, tableName: "signInLimit", keyPrefix: scope, points, duration: settings.failureWindowSeconds, clearExpiredByTimeout: false });
  const limiters = { account: limiter("account", settings.maxFailuresPerAccount), address: limiter("address", settings.maxFailuresPerAddress) };
  const maxima = { account: settings.maxFailuresPerAccount, address: settings.maxFailuresPerAddress };

  // A locked key holds more points than the limit (`block()` stores points + 1).
  const lockedFor = (scope: LockoutScope, res: RateLimiterRes | null): number | null =>
    res && res.consumedPoints > maxima[scope] && res.msBeforeNext > 0 ? Math.ceil(res.msBeforeNext / 1000) : null;

  const remaining = async (scope: LockoutScope, subject: string) => lockedFor(scope, await limiters[scope].get(subject));

  const subjects = (email: string, address: string) => ({ account: email.toLowerCase(), address });

  return {
    remaining,
    async lockout(email, address) {
      const keys = subjects(email, address);
      const found = await Promise.all(
        (["account", "address"] as const).map(async (scope) => {
          const seconds = await remaining(scope, keys[scope]);
          return seconds === null ? null : { scope, subject: keys[scope], retryAfterSeconds: seconds };
        }),
      );
      return found.filter((item) => item !== null).sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0] ?? null;
    },
    async recordFailure(email, address) {
      const keys = subjects(email, address);
      const started: Lockout[] = [];
      for (const scope of ["account", "address"] as const) {
        // consume() rejects with a RateLimiterRes when over the limit (a race with another failure).
        const res = await limiters[scope].consume(keys[scope]).catch((rejected: unknown) => {
          if (rejected instanceof RateLimiterRes) return rejected;
          throw rejected;
        });
        if (res.consumedPoints === maxima[scope]) {
          await limiters[scope].block(keys[scope], settings.lockoutSeconds);
          started.push({ scope, subject: keys[scope], retryAfterSeconds: settings.lockoutSeconds });
        }
      }
      return started;
    },
    async recordSuccess(email) {
      await limiters.account.delete(email.toLowerCase());
    },
    async lift(scope, subject) {
      return limiters[scope].delete(scope === "account" ? subject.toLowerCase() : subject);
    },
  };
}

/**
 * The client's address for per-address limits: the X-Forwarded-For entry `hops` from the right.
 * Next's server sets X-Forwarded-For to the socket address only when the request has none (it does
 * not append), so each reverse proxy that appends (nginx `$proxy_add_x_forwarded_for`) adds one
 * trusted entry on the right; entries further left are whatever the client claimed. With the
 * default of 1 that is the address the proxy in front saw (or the socket, reached directly). A
 * portal reached directly by clients cannot tell a claimed header from its own, which is one more
 * reason production runs behind a TLS proxy (https is required there).
 */
export function clientAddress(
  headers: { get(name: string): string | null } | Record<string, string | string[] | undefined> | undefined,
  trustProxyHops: number = env().trustProxyHops,
): string {
  const read = (name: string): string | undefined => {
    if (!headers) return undefined;
    if (typeof (headers as { get?: unknown }).get === "function") return (headers as { get(name: string): string | null }).get(name) ?? undefined;
    const value = (headers as Record<string, string | string[] | undefined>)[name];
    return Array.isArray(value) ? value.join(",") : value;
  };
  const forwarded = read("x-forwarded-for")?.split(",").map((part) => part.trim()).filter(Boolean) ?? [];
  // Fewer entries than trusted hops: the leftmost is the furthest address anyone we trust saw.
  const entry = forwarded.length ? forwarded[Math.max(0, forwarded.length - Math.max(1, trustProxyHops))] : undefined;
  return (entry ?? read("x-real-ip")?.trim() ?? "unknown").slice(0, 64);
}

/** A plain attempt limit (e.g. set-password submissions per address): seconds to wait, or null to go ahead. */
export function createAttemptLimiter(prisma: PrismaClient, options: { prefix: string; points: number; durationSeconds: number }) {
  const limiter = new RateLimiterPrisma({ storeClient: prisma, tableName: "signInLimit", keyPrefix: options.prefix, points: options.points, duration: options.durationSeconds, clearExpiredByTimeout: false });
  return async (subject: string): Promise<number | null> => {
    const res = await limiter.consume(subject).catch((rejected: unknown) => {
      if (rejected instanceof RateLimiterRes) return rejected;
      throw rejected;
    });
    return res.consumedPoints > options.points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : null;
  };
}
