import { EventEmitter } from "node:events";
import pg from "pg";
import { z } from "zod";
import type { Database } from "../db/client";
import { preparedName } from "../db/sql";

/**
 * Live-update events. With PostgreSQL every portal instance LISTENs on one channel, so an event
 * published by any instance (a webhook, an approval) reaches the dashboards served by all of them;
 * with PGlite (one process by construction) an in-process emitter does the same job.
 * Payloads are small notices ("payout X is now Y"); clients refetch what they show.
 */

export const CHANNEL = "portal_events";

const NOTIFY_ALL = "SELECT pg_notify($1, e.payload) FROM unnest($2::text[]) WITH ORDINALITY AS e(payload, n) ORDER BY e.n";

export const PortalEventSchema = z.object({
  type: z.enum(["payout.updated", "payout.created", "webhook.received", "reconciliation.ran", "operator.updated", "payout.claim", "batch.updated"]),
  payoutRequestId: z.string().optional(),
  /** batch.updated: the bulk payout batch whose rows or status changed. */
  batchId: z.string().optional(),
  /** operator.updated: whose role or access changed (open streams re-check their operator). */
  operatorId: z.string().optional(),
  status: z.string().optional(),
  at: z.string(),
  /** Which instance published it (diagnostics, and tests of cross-instance delivery). */
  origin: z.string().optional(),
});
export type PortalEvent = z.infer<typeof PortalEventSchema>;
/** What a publisher says; the bus stamps the time and the instance. */
export type PortalEventInput = Omit<PortalEvent, "at" | "origin">;

export interface EventBus {
  publish(event: PortalEventInput): Promise<void>;
  subscribe(listener: (event: PortalEvent) => void): () => void;
  /** "live" when events from other instances can arrive; "local" on PGlite; "reconnecting" after a drop. */
  state(): "live" | "local" | "reconnecting";
  close(): Promise<void>;
}

const INSTANCE_ID = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

export interface EventBusHooks {
  /** The LISTEN connection failed or dropped (it reconnects by itself). */
  onError?: (error: unknown) => void;
  /** A notification on the channel that is not a portal event (foreign or malformed): ignored. */
  onUnreadable?: (reason: string) => void;
}

/**
 * Reads a NOTIFY payload. Anyone with access to the database can `pg_notify` on the channel, so a
 * payload is untrusted input: anything that is not JSON of the event's shape comes back as a reason.
 */
export function readEventPayload(payload: string): { event: PortalEvent } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { reason: `not JSON (${payload.length} characters)` };
  }
  const parsed = PortalEventSchema.safeParse(json);
  if (!parsed.success) return { reason: `not a portal event: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"} ${issue.code}`).join(", ")}` };
  return { event: parsed.data };
}

export function createEventBus(db: Database, hooks: EventBusHooks = {}): EventBus {
  const onError = hooks.onError ?? (() => {});
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const deliver = (event: PortalEvent) => emitter.emit("event", event);

  if (db.target.kind === "pglite") {
    return {
      async publish(event) {
        deliver({ ...event, at: new Date().toISOString(), origin: INSTANCE_ID });
      },
      subscribe(listener) {
        emitter.on("event", listener);
        return () => emitter.off("event", listener);
      },
      state: () => "local",
      async close() {
        emitter.removeAllListeners();
      },
    };
  }

  const url = db.target.url;
  let client: pg.Client | null = null;
  let state: "live" | "reconnecting" = "reconnecting";
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  // A dedicated connection (not a pool member): LISTEN belongs to one session for its lifetime.
  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString: url });
    next.on("notification", (message) => {
      if (message.channel !== CHANNEL || message.payload === undefined) return;
      const read = readEventPayload(message.payload);
      if ("event" in read) deliver(read.event);
      else hooks.onUnreadable?.(read.reason);
    });
    next.on("error", (error) => {
      onError(error);
      scheduleReconnect();
    });
    next.on("end", () => scheduleReconnect());
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      state = "live";
    } catch (error) {
      onError(error);
      await next.end().catch(() => {});
      scheduleReconnect();
    }
  };
  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    state = "reconnecting";
    client = null;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, 1_000);
    retryTimer.unref();
  };
  const ready = connect();

  // NOTIFYs go out one statement at a time, on the LISTEN connection while it is up: they never wait
  // behind transactions for a pool connection (a webhook's answer waits for its NOTIFY), and they
  // leave in the order they were published. Events published while one is in flight go out together
  // in the next, in order (volatile functions in the select list run after the ORDER BY): under load
  // one statement carries the news of many commits. The pool is the fallback while reconnecting.
  let queued: Array<{ payload: string; settle: (error?: unknown) => void }> = [];
  let sending = false;
  const flush = () => {
    if (sending || queued.length === 0) return;
    const batch = queued;
    queued = [];
    sending = true;
    const statement = { name: preparedName(NOTIFY_ALL), text: NOTIFY_ALL, values: [CHANNEL, batch.map((entry) => entry.payload)] };
    const notify = client ? client.query(statement) : db.pool ? db.pool.query(statement) : db.prisma.$executeRawUnsafe(NOTIFY_ALL, ...statement.values);
    notify
      .then(
        () => batch.forEach((entry) => entry.settle()),
        (error: unknown) => batch.forEach((entry) => entry.settle(error ?? new Error("pg_notify failed"))),
      )
      .finally(() => {
        sending = false;
        flush();
      });
  };

  return {
    publish(event) {
      const payload = JSON.stringify({ ...event, at: new Date().toISOString(), origin: INSTANCE_ID });
      return new Promise<void>((resolve, reject) => {
        queued.push({ payload, settle: (error) => (error === undefined ? resolve() : reject(error)) });
        if (queued.length === 1) setImmediate(flush);
      });
    },
    subscribe(listener) {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
    state: () => state,
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await ready;
      emitter.removeAllListeners();
      await client?.end().catch(() => {});
    },
  };
}
