import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { signBody } from "@/lib/bank131/signature";
import type { Faults } from "./faults";
import type { Job, Scheduler } from "./scheduler";
import type { Store } from "./store";
import { isoMicro, nextId } from "./util";

/**
 * Webhook delivery queue. Each webhook's exact body bytes are fixed when the event happens and stored with
 * its attempts; every attempt signs those bytes with the bank key and POSTs them. Anything but HTTP 200 is
 * retried with exponential back-off (base·2^(n-1), capped) up to the configured attempt count. Pending
 * attempts are scheduler jobs, so a restart resumes them. The default schedule keeps trying for about an
 * hour: the reference says the bank "keeps re-sending until it gets a reply" (exact schedule UNCONFIRMED).
 */

export interface WebhookAttempt {
  n: number;
  started_at: string;
  duration_ms: number;
  status_code?: number;
  error?: string;
  response_body?: string;
  signature: "bank" | "wrong_key";
  duplicate?: boolean;
}

export type DeliveryStatus = "pending" | "held" | "delivered" | "failed";

export interface Delivery {
  id: string;
  type: string;
  session_id: string;
  url: string;
  body: string;
  created_at: string;
  status: DeliveryStatus;
  attempts: WebhookAttempt[];
  next_attempt_at?: string;
  /** When the last planned attempt is due (first attempt + the schedule's span); set at the first attempt. */
  retry_until?: string;
  /** Fault flags captured when the webhook was created. */
  faults: { duplicate?: boolean; wrong_key?: boolean; delayed_ms?: number; held?: boolean };
  source: "event" | "trigger";
}

export interface WebhookOptions {
  url: string;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

export class WebhookSender {
  private wrongKey: KeyObject | null = null;
  private readonly inflight = new Map<string, AbortController>();
  /** Ids of deliveries held by the reorder fault, so releasing them needs no scan of all deliveries. */
  private readonly held = new Set<string>();
  private stopping = false;

  constructor(
    private readonly store: Store,
    private readonly scheduler: Scheduler,
    private readonly faults: Faults,
    private readonly bankKey: KeyObject,
    private readonly options: WebhookOptions,
  ) {
    scheduler.on("deliver", (job) => this.onJob(job));
  }

  /** Re-queues deliveries left without a job (e.g. they were waiting while paused when the process stopped). */
  resume(): void {
    const jobs = new Set(this.scheduler.pending().map((j) => j.id));
    for (const d of this.store.all<Delivery>("deliveries")) {
      if (d.status === "held") this.held.add(d.id);
      if ((d.status === "pending" || d.status === "held") && !jobs.has(`deliver:${d.id}`)) this.scheduler.schedule("deliver", d.id, 0);
    }
  }

  enqueue(type: string, sessionId: string, body: string, source: Delivery["source"] = "event"): Delivery {
    const delivery: Delivery = {
      id: nextId(this.store, "wh"),
      type,
      session_id: sessionId,
      url: this.options.url,
      body,
      created_at: isoMicro(),
      status: "pending",
      attempts: [],
      faults: {},
      source,
    };
    if (this.faults.takeDuplicate()) delivery.faults.duplicate = true;
    if (this.faults.takeWrongKey()) delivery.faults.wrong_key = true;
    let delay = this.faults.takeDelay();
    if (delay > 0) delivery.faults.delayed_ms = delay;
    if (this.faults.takeReorder()) {
      // Held until the next webhook has been sent, or until hold_max_ms passes (bounded).
      delivery.status = "held";
      delivery.faults.held = true;
      this.held.add(delivery.id);
      delay = Math.max(delay, this.faults.reorderHoldMaxMs);
    }
    delivery.next_attempt_at = isoMicro(Date.now() + delay);
    this.store.put("deliveries", delivery.id, delivery);
    this.scheduler.schedule("deliver", delivery.id, delay);
    return delivery;
  }

  get(id: string): Delivery | undefined {
    return this.store.get<Delivery>("deliveries", id);
  }

  list(sessionId?: string): Delivery[] {
    const all = this.store.all<Delivery>("deliveries");
    return sessionId ? all.filter((d) => d.session_id === sessionId) : all;
  }

  /** Called when webhooks are resumed: everything that waited is sent now, oldest first. */
  flushPaused(): void {
    const jobs = new Set(this.scheduler.pending().map((j) => j.id));
    for (const d of this.store.all<Delivery>("deliveries")) {
      if (d.status !== "pending" || jobs.has(`deliver:${d.id}`) || this.inflight.has(d.id)) continue;
      this.scheduler.schedule("deliver", d.id, 0);
    }
  }

  private async onJob(job: Job): Promise<void> {
    const delivery = this.get(job.ref);
    if (!delivery || delivery.status === "delivered" || delivery.status === "failed") return;
    if (this.faults.webhooksPaused) {
      // Keep it queued; flushPaused() re-schedules on resume. The job itself is dropped after this returns.
      return;
    }
    if (delivery.status === "held") {
      delivery.status = "pending";
      this.held.delete(delivery.id);
      this.store.put("deliveries", delivery.id, delivery);
    }
    const released = delivery.faults.held ? [] : this.takeHeld(delivery.id);
    await this.attempt(delivery, false);
    // The reordered webhook goes out only after a later one was attempted.
    for (const held of released) this.scheduler.schedule("deliver", held.id, 0);
  }

  private takeHeld(exceptId: string): Delivery[] {
    const released: Delivery[] = [];
    for (const id of [...this.held]) {
      if (id === exceptId) continue;
      this.held.delete(id);
      const d = this.get(id);
      if (!d || d.status !== "held") continue;
      d.status = "pending";
      this.store.put("deliveries", d.id, d);
      released.push(d);
    }
    return released;
  }

  /** Forgets in-memory state after POST /sandbox/reset. */
  reset(): void {
    this.held.clear();
  }

  private async attempt(delivery: Delivery, duplicate: boolean): Promise<void> {
    const n = delivery.attempts.length + 1;
    const useWrongKey = delivery.faults.wrong_key === true && delivery.attempts.length === 0;
    const key = useWrongKey ? this.getWrongKey() : this.bankKey;
    const bytes = Buffer.from(delivery.body, "utf8");
    const signature = signBody(bytes, key);
    const started = Date.now();
    const controller = new AbortController();
    this.inflight.set(delivery.id + (duplicate ? ":dup" : ""), controller);
    const timer = setTimeout(() => controller.abort(new Error("timeout")), this.options.timeoutMs);
    const attempt: WebhookAttempt = { n, started_at: isoMicro(started), duration_ms: 0, signature: useWrongKey ? "wrong_key" : "bank" };
    if (duplicate) attempt.duplicate = true;
    // Always the currently configured URL: a restart with a new SANDBOX_WEBHOOK_URL redirects pending retries.
    const url = this.options.url;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-PARTNER-SIGN": signature },
        body: bytes,
        signal: controller.signal,
      });
      attempt.status_code = response.status;
      const text = await response.text();
      attempt.response_body = text.slice(0, 500);
    } catch (error) {
      attempt.error = controller.signal.aborted ? String((controller.signal.reason as Error | undefined)?.message ?? "aborted") : describe(error);
    } finally {
      clearTimeout(timer);
      this.inflight.delete(delivery.id + (duplicate ? ":dup" : ""));
    }
    // On shutdown the attempt is forgotten: its job stays stored and runs again after the restart.
    if (this.stopping) return;
    attempt.duration_ms = Date.now() - started;
    const current = this.get(delivery.id) ?? delivery;
    current.url = url;
    current.attempts.push(attempt);
    current.retry_until ??= isoMicro(started + retrySpanMs(this.options));
    if (duplicate) {
      this.store.put("deliveries", current.id, current);
      return;
    }
    if (attempt.status_code === 200) {
      current.status = "delivered";
      delete current.next_attempt_at;
      this.store.put("deliveries", current.id, current);
      if (current.faults.duplicate) await this.attempt(current, true);
      return;
    }
    if (n >= this.options.maxAttempts) {
      current.status = "failed";
      delete current.next_attempt_at;
      this.store.put("deliveries", current.id, current);
      return;
    }
    const delay = backoffDelay(n, this.options.backoffBaseMs, this.options.backoffMaxMs);
    current.next_attempt_at = isoMicro(Date.now() + delay);
    this.store.put("deliveries", current.id, current);
    this.scheduler.schedule("deliver", current.id, delay);
  }

  private getWrongKey(): KeyObject {
    if (!this.wrongKey) this.wrongKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    return this.wrongKey;
  }

  stop(): void {
    this.stopping = true;
    for (const controller of this.inflight.values()) controller.abort(new Error("sandbox shutting down"));
  }
}

/** How long after its first attempt a never-answered webhook is still retried: the sum of all back-off delays. */
export function retrySpanMs(options: Pick<WebhookOptions, "backoffBaseMs" | "backoffMaxMs" | "maxAttempts">): number {
  let span = 0;
  for (let n = 1; n < options.maxAttempts; n++) span += backoffDelay(n, options.backoffBaseMs, options.backoffMaxMs);
  return span;
}

/** Delay before attempt n+1 after attempt n failed: base·2^(n-1), capped at max. */
export function backoffDelay(failedAttempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${error.message}: ${cause.code}` : error.message;
  }
  return String(error);
}
