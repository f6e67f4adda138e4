import "server-only";
import type { EventBus, PortalEvent } from "../events/bus";

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
  } = {},
): Response {
  const encoder = new TextEncoder();
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
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        clearInterval(accessTimer);
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
