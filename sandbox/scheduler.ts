import type { Store } from "./store";

/**
 * Persistent timers. Every delayed step (bank checks, payout execution, confirm deadline, refund, webhook
 * attempt) is a job record stored before the answer is sent; on restart all jobs are re-armed and overdue
 * ones run at once. A job is removed only after its handler finished, so a crash mid-handler re-runs it.
 */

export type JobKind = "checks" | "execute" | "confirm_deadline" | "resolve_error" | "refund" | "deliver";

export interface Job {
  /** `${kind}:${ref}`: one pending job of a kind per entity; scheduling again replaces it. */
  id: string;
  kind: JobKind;
  ref: string;
  due_at_ms: number;
}

export type JobHandler = (job: Job) => void | Promise<void>;

const MAX_TIMEOUT = 2_147_483_647;

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly handlers = new Map<JobKind, JobHandler>();
  private stopped = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown, job: Job) => void,
  ) {}

  on(kind: JobKind, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Re-arms every stored job (called once on start, after handlers are registered). */
  resume(): void {
    for (const job of this.store.all<Job>("jobs")) this.arm(job);
  }

  schedule(kind: JobKind, ref: string, delayMs: number): Job {
    const job: Job = { id: `${kind}:${ref}`, kind, ref, due_at_ms: Date.now() + Math.max(0, delayMs) };
    this.store.put("jobs", job.id, job);
    this.arm(job);
    return job;
  }

  cancel(kind: JobKind, ref: string): void {
    const id = `${kind}:${ref}`;
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.store.del("jobs", id);
  }

  pending(ref?: string): Job[] {
    const jobs = this.store.all<Job>("jobs");
    return ref === undefined ? jobs : jobs.filter((j) => j.ref === ref);
  }

  private arm(job: Job): void {
    if (this.stopped) return;
    const existing = this.timers.get(job.id);
    if (existing) clearTimeout(existing);
    const delay = Math.min(MAX_TIMEOUT, Math.max(0, job.due_at_ms - Date.now()));
    const timer = setTimeout(() => this.fire(job), delay);
    this.timers.set(job.id, timer);
  }

  private fire(job: Job): void {
    this.timers.delete(job.id);
    if (this.stopped) return;
    const stored = this.store.get<Job>("jobs", job.id);
    // Replaced or cancelled since this timer was armed.
    if (!stored || stored.due_at_ms !== job.due_at_ms) return;
    if (stored.due_at_ms > Date.now()) {
      this.arm(stored);
      return;
    }
    const handler = this.handlers.get(job.kind);
    const run = (async () => {
      try {
        if (handler) await handler(job);
      } catch (error) {
        this.onError(error, job);
      } finally {
        if (!this.stopped) {
          const after = this.store.get<Job>("jobs", job.id);
          if (after && after.due_at_ms === job.due_at_ms) this.store.del("jobs", job.id);
        }
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Drops every job (POST /sandbox/reset). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.store.clear("jobs");
  }

  /** Stops firing; running handlers may finish but their jobs stay stored for the next start. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  async idle(timeoutMs: number): Promise<void> {
    const all = Promise.allSettled([...this.running]);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }
}
