import type { Database } from "../db/client";
import type { PayoutDeps } from "../payouts/deps";
import { reconcileOnce, type ReconcileOptions, type ReconcileReport } from "../payouts/reconcile";

/**
 * Runs reconciliation on a timer. With PostgreSQL several portal instances share the database, so
 * a session-level advisory lock elects one runner per pass; a PGlite directory belongs to a single
 * process, which needs no election.
 */
const ADVISORY_LOCK_ID = 131_000_131;

export async function withRunnerLock<T>(db: Database, run: () => Promise<T>, lockId: number = ADVISORY_LOCK_ID): Promise<T | null> {
  if (!db.pool) return run();
  const client = await db.pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [lockId]);
    if (!rows[0]?.locked) return null;
    try {
      return await run();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [lockId]);
    }
  } finally {
    client.release();
  }
}

export interface ReconciliationLoop {
  /** Runs one pass now if no other runner holds the lock; null when another instance ran it. */
  runNow(): Promise<ReconcileReport | null>;
  stop(): void;
}

export function startReconciliationLoop(
  deps: PayoutDeps & { db: Database },
  options: Omit<ReconcileOptions, "limit" | "auditLimit"> & { intervalMs: number; onError?: (error: unknown) => void },
): ReconciliationLoop {
  let running: Promise<ReconcileReport | null> | null = null;
  const runNow = () => {
    const { intervalMs: _interval, onError: _onError, ...pass } = options;
    running ??= withRunnerLock(deps.db, () => reconcileOnce(deps, pass)).finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    runNow().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}
