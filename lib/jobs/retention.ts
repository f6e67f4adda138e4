import type { Database } from "../db/client";
import { purgeExpired, type RetentionReport, type RetentionSettings } from "../payouts/retention";
import { withRunnerLock } from "./reconciliation";

/** Runs retention on a timer; on PostgreSQL one instance per pass (its own advisory lock). */
const RETENTION_LOCK_ID = 131_000_132;

export interface RetentionLoop {
  /** One pass now; null when another instance holds the lock. */
  runNow(): Promise<RetentionReport | null>;
  stop(): void;
}

export function startRetentionLoop(
  db: Database,
  options: RetentionSettings & { intervalMs: number; onError?: (error: unknown) => void; onPurged?: (report: RetentionReport) => void },
): RetentionLoop {
  let running: Promise<RetentionReport | null> | null = null;
  const runNow = () => {
    running ??= withRunnerLock(db, () => purgeExpired(db.prisma, options), RETENTION_LOCK_ID).finally(() => {
      running = null;
    });
    return running;
  };
  const pass = () =>
    runNow()
      .then((report) => {
        if (report && Object.values(report).some((count) => count > 0)) options.onPurged?.(report);
      })
      .catch((error: unknown) => options.onError?.(error));
  // First pass shortly after start-up (not during it), then on the interval.
  const first = setTimeout(pass, Math.min(options.intervalMs, 60_000));
  const timer = setInterval(pass, options.intervalMs);
  first.unref();
  timer.unref();
  return {
    runNow,
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
