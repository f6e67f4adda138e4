import { RateLimiterMemory, RateLimiterPrisma, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { PrismaClient } from "../generated/prisma/client";
import { PayoutError } from "../payouts/errors";

/**
 * Request limits of the public edges (rate-limiter-flexible): the partner API per key and wrong keys
 * per address, each recipient link's bank-backed actions, and rejected webhooks per address. Each
 * costs a bank call or a stored row, so an unlimited caller could run up both.
 *
 * Store: on a PostgreSQL server the counters live in `rate_limits` (RateLimiterPrisma), so every
 * instance counts against the same limit; a PGlite directory belongs to one process, so counters in
 * its memory are exact and cost no write per request (they reset on restart, which a limit can
 * afford; sign-in lockouts, which an admin lists and lifts, stay in the database either way).
 */

export const RATE_LIMIT_NAMES = [
  "partnerPerKey",
  "partnerBadKeysPerAddress",
  "linkWidgetTokens",
  "linkCardChecks",
  "linkAccountTokenize",
  "linkRetries",
  "linkSbpVerifications",
  "webhookRejectionsPerAddress",
] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

export type RateLimitSettings = Record<RateLimitName, { points: number; durationSeconds: number }>;

export type RateLimitStore = { kind: "database"; prisma: PrismaClient } | { kind: "memory" };

export interface RateLimits {
  /** Counts one use; throws `rate_limited` (params.retryAfterSeconds) when it goes over the limit. */
  consume(name: RateLimitName, subject: string): Promise<void>;
  /** Throws `rate_limited` when the subject is already over the limit; counts nothing. */
  check(name: RateLimitName, subject: string): Promise<void>;
}

export function rateLimited(retryAfterSeconds: number): PayoutError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new PayoutError("rate_limited", `Too many requests; try again in ${seconds} s`, { params: { retryAfterSeconds: seconds } });
}

const keyPrefix = (name: RateLimitName) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export function createRateLimits(store: RateLimitStore, settings: RateLimitSettings): RateLimits {
  const limiters = new Map<RateLimitName, RateLimiterAbstract>(
    RATE_LIMIT_NAMES.map((name) => {
      const options = { keyPrefix: keyPrefix(name), points: settings[name].points, duration: settings[name].durationSeconds };
      const limiter =
        store.kind === "database"
          ? new RateLimiterPrisma({ ...options, storeClient: store.prisma, tableName: "rateLimit", clearExpiredByTimeout: false })
          : new RateLimiterMemory(options);
      return [name, limiter];
    }),
  );
  const limiterOf = (name: RateLimitName) => limiters.get(name)!;

  return {
    async consume(name, subject) {
      try {
        await limiterOf(name).consume(subject);
      } catch (rejected) {
        // consume() rejects with a RateLimiterRes over the limit, with an Error when the store fails.
        if (rejected instanceof RateLimiterRes) throw rateLimited(rejected.msBeforeNext / 1000);
        throw rejected;
      }
    },
    async check(name, subject) {
      const res = await limiterOf(name).get(subject);
      if (res && res.consumedPoints > settings[name].points && res.msBeforeNext > 0) throw rateLimited(res.msBeforeNext / 1000);
    },
  };
}
