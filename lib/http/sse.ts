import "server-only";
import type { EventBus, PortalEvent } from "../events/bus";
import { tooManyStreams } from "./errors";


/**
 * Open streams per holder (an operator, a payout link), counted in this process: the caps are per
 * instance, so N instances behind a balancer allow up to N × the cap per holder.
 */
const openStreams = new Map<string, number>();

/** How many streams `holder` has open on this instance (for tests and health views). */
export function openStreamCount(holder: string): number {
  return openStreams.get(holder) ?? 0;
}

function takeStreamSlot(holder: string, limit: number): () => void {
  const open = openStreamCount(holder);
  if (open >= limit) throw tooManyStreams(limit);
  openStreams.set(holder, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = openStreamCount(holder) - 1;
    if (left > 0) openStreams.set(holder, left);
    else openStreams.delete(holder);
  };
}

// setTimeout's own ceiling (~24.8 days); a stream cut short by it just reconnects.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A server-sent events stream of portal events. Heartbeats keep proxies from closing an idle
 * stream; clients refetch on reconnect, so an event missed during a drop is never lost for good.
 */
export function eventStream(
  request: Request,
  bus: EventBus,
  options: {
    filter?: (event: PortalEvent) => boolean;
    hello?: Record<string, unknown>;
    heartbeatMs?: number;
    /**
     * Whether the viewer may still watch: asked every `accessCheckMs` and whenever `accessChanged`
     * matches an event. When it says no, the stream sends `event: revoked` and ends.
     */
    access?: { check: () => Promise<boolean>; checkMs: number; changed: (event: PortalEvent) => boolean };
    /** At most `limit` open streams per `holder`; one more is refused with 429 `too_many_streams`. */
    cap?: { holder: string; limit: number };
    /** When the viewer's session ends (ms since epoch): the stream sends `event: session_ended` and ends. */
    endsAt?: number;
  } = {},
): Response {
  const encoder = new TextEncoder();
  const releaseSlot = options.cap ? takeStreamSlot(options.cap.holder, options.cap.limit) : () => undefined;
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const write = (chunk: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      write("retry: 2000\n\n");
      send("hello", { ...options.hello, state: bus.state(), at: new Date().toISOString() });
      const access = options.access;
      const recheck = () => {
        if (!access || closed) return;
        access.check().then(
          (allowed) => {
            if (allowed) return;
            send("revoked", { at: new Date().toISOString() });
            cleanup();
          },
          () => undefined, // a failed check (database blip) keeps the stream; the next one decides
        );
      };
      const unsubscribe = bus.subscribe((event) => {
        if (access?.changed(event)) recheck();
        else if (!options.filter || options.filter(event)) send("portal", event);
      });
      const heartbeat = setInterval(() => send("heartbeat", { state: bus.state(), at: new Date().toISOString() }), options.heartbeatMs ?? 15_000);
      const accessTimer = access ? setInterval(recheck, access.checkMs) : undefined;
      const sessionTimer =
        options.endsAt === undefined
          ? undefined
          : setTimeout(
              () => {
                send("session_ended", { at: new Date().toISOString() });
                cleanup();
              },
              Math.min(Math.max(options.endsAt - Date.now(), 0), MAX_TIMER_MS),
            );
      cleanup = () => {
        if (closed) return;
        closed = true;
        releaseSlot();
        unsubscribe();
        clearInterval(heartbeat);
        clearInterval(accessTimer);
        clearTimeout(sessionTimer);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener("abort", () => cleanup());
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
