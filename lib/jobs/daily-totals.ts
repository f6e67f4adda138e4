import { compactDailyTotals } from "../payouts/list";

/**
 * Folds the dashboard's pending count deltas into the daily totals every `intervalMs`. The counts
 * are exact without it (readers add the pending deltas); compaction only keeps that addition short.
 * Several servers may run it: the database's advisory lock lets one fold at a time.
 */
export const DAILY_TOTALS_COMPACT_INTERVAL_MS = 30_000;

export interface DailyTotalsLoop {
  runNow(): Promise<number | null>;
  stop(): void;
}

export function startDailyTotalsCompaction(
  prisma: Parameters<typeof compactDailyTotals>[0],
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): DailyTotalsLoop {
  let running: Promise<number | null> | null = null;
  const runNow = () =>
    (running ??= compactDailyTotals(prisma).finally(() => {
      running = null;
    }));
  const timer = setInterval(() => {
    runNow().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? DAILY_TOTALS_COMPACT_INTERVAL_MS);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}
