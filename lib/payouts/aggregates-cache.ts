import type { PrismaClient } from "../generated/prisma/client";
import { MOSCOW_TIME_ZONE } from "../format/time";
import { chartRange, countByStatus, payoutVolumeByDay, type PayoutListFilters, type PayoutStatusCounts, type VolumeBucket } from "./list";

/**
 * Coalesces identical aggregate queries (tab counts, chart) from many open dashboards: one database
 * query per key at a time, its answer reused for `ttlMs`. Every portal event empties the cache, so a
 * refetch triggered by an event never gets an answer computed before it.
 */
export function createEventAwareCache(subscribe: (onEvent: () => void) => () => void, ttlMs = 2_000, maxEntries = 500) {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  let subscribed = false;
  return async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!subscribed) {
      subscribed = true;
      subscribe(() => entries.clear());
    }
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
    if (entries.size >= maxEntries) {
      for (const [k, entry] of entries) if (now - entry.at >= ttlMs) entries.delete(k);
      if (entries.size >= maxEntries) entries.clear();
    }
    const value = load();
    entries.set(key, { at: now, value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}

export type AggregatesCache = ReturnType<typeof createEventAwareCache>;

type Db = Pick<PrismaClient, "$queryRaw">;

/** Rows per status for the dashboard tabs, under every filter but `status` (which is ignored). */
export function cachedStatusCounts(prisma: Db, cache: AggregatesCache, filters: PayoutListFilters): Promise<PayoutStatusCounts> {
  const { status: _status, ...rest } = filters;
  return cache(`counts:${JSON.stringify(rest)}`, () => countByStatus(prisma, rest));
}

export interface VolumeStats {
  from: string;
  to: string;
  timeZone: string;
  /** A name matched too many rows to count them all: the chart shows the whole days counted, from `from`. */
  capped: boolean;
  buckets: VolumeBucket[];
}

/** Payout volume per Moscow day and status (the dashboard chart), for the same filters as the list. */
export async function cachedVolumeStats(prisma: Db, cache: AggregatesCache, filters: PayoutListFilters, now: Date = new Date()): Promise<VolumeStats> {
  const range = chartRange(filters, now);
  const volume = await cache(`stats:${JSON.stringify(range)}:${JSON.stringify(filters)}`, () => payoutVolumeByDay(prisma, filters, now));
  return { from: volume.from.toISOString(), to: volume.to.toISOString(), timeZone: MOSCOW_TIME_ZONE, capped: volume.capped, buckets: volume.buckets };
}
