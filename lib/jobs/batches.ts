import type { Database } from "../db/client";
import { processBatches, type BatchDeps, type BatchPassReport } from "../payouts/batches";
import { withRunnerLock } from "./reconciliation";

/**
 * Creates the payout requests of confirmed batches in the background. On PostgreSQL one instance
 * per pass holds the advisory lock; rows are claimed with SKIP LOCKED and each row's request is
 * unique anyway, so even runners without the lock never make a row's request twice.
 */
const BATCH_LOCK_ID = 131_000_133;

export interface BatchLoop {
  /** A pass now (after the running one, if any); null when another instance holds the lock. */
  runNow(): Promise<BatchPassReport | null>;
  stop(): void;
}

export function startBatchLoop(
  deps: BatchDeps & { db: Database },
  options: { intervalMs: number; onError?: (error: unknown) => void; onStartError?: (error: unknown) => void },
): BatchLoop {
  let running: Promise<BatchPassReport | null> | null = null;
  let again: Promise<BatchPassReport | null> | null = null;
  const pass = () => withRunnerLock(deps.db, () => processBatches(deps, { onStartError: options.onStartError }), BATCH_LOCK_ID);
  const runNow = (): Promise<BatchPassReport | null> => {
    if (!running) {
      running = pass().finally(() => {
        running = null;
      });
      return running;
    }
    // A batch confirmed while a pass runs may have come after its last look: one more pass follows.
    again ??= running
      .catch(() => null)
      .then(() => {
        again = null;
        return runNow();
      });
    return again;
  };
  const timer = setInterval(() => {
    runNow().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}
