"use client";

import { useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { PortalEvent } from "@/lib/events/bus";

/**
 * Live updates for operator pages: ONE EventSource per provider on /api/events.
 *
 * Query-key conventions the provider relies on (every consumer must follow them):
 * - `["payouts", ...]`   every list / count / chart query — invalidated on every portal event;
 * - `["payout", id]`     one payout request (detail page) — invalidated when an event names it;
 * - `["reconciliation", ...]` — invalidated on `reconciliation.ran`;
 * - `["webhooks", ...]`  — invalidated on `webhook.received`.
 * After a dropped connection comes back, EVERYTHING is invalidated (events may have been missed).
 */

export type LiveState = "connecting" | "live" | "reconnecting";
export type LiveStatus = { state: LiveState; lastBankEventAt: string | null; lastEventAt: string | null };

const INITIAL_STATUS: LiveStatus = { state: "connecting", lastBankEventAt: null, lastEventAt: null };
const StatusContext = createContext<LiveStatus | null>(null);

/** Coalesces invalidations: a burst of events (a webhook storm, a bulk action) costs one refetch per key. */
const FLUSH_MS = 150;
/** When the browser gives up (the response was not an event stream, e.g. a 401/502), retry ourselves. */
const MANUAL_RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

const isLater = (a: string | null | undefined, b: string | null) => !!a && (!b || Date.parse(a) > Date.parse(b));

function keysFor(event: PortalEvent): QueryKey[] {
  const keys: QueryKey[] = [["payouts"]];
  if (event.payoutRequestId) keys.push(["payout", event.payoutRequestId]);
  if (event.type === "reconciliation.ran") keys.push(["reconciliation"]);
  if (event.type === "webhook.received") keys.push(["webhooks"]);
  return keys;
}

function createInvalidator(client: QueryClient) {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const keys = [...pending.values()];
    pending.clear();
    for (const queryKey of keys) void client.invalidateQueries({ queryKey });
  };
  return {
    add(keys: QueryKey[]) {
      for (const key of keys) pending.set(JSON.stringify(key), key);
      timer ??= setTimeout(flush, FLUSH_MS);
    },
    dispose() {
      if (timer) clearTimeout(timer);
      pending.clear();
    },
  };
}

export function LiveEventsProvider({ url = "/api/events", children }: { url?: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>(INITIAL_STATUS);

  useEffect(() => {
    const invalidator = createInvalidator(queryClient);
    let source: EventSource | null = null;
    let retries = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;

    // The server's own feed can be down too (PostgreSQL LISTEN reconnecting): then events from other
    // instances are being missed, so say so, and refetch everything once it is back.
    let serverDegraded = false;
    const onServerState = (state: unknown) => {
      if (state === "reconnecting") {
        serverDegraded = true;
        return "reconnecting" as const;
      }
      if (serverDegraded) {
        serverDegraded = false;
        void queryClient.invalidateQueries();
      }
      return "live" as const;
    };
    const onHello = (message: MessageEvent<string>) => {
      const hello = safeJson(message.data) as { state?: string; lastBankEventAt?: string | null } | null;
      const state = onServerState(hello?.state);
      setStatus((current) => ({
        ...current,
        state,
        lastBankEventAt: isLater(hello?.lastBankEventAt, current.lastBankEventAt) ? hello!.lastBankEventAt! : current.lastBankEventAt,
      }));
    };
    const onHeartbeat = (message: MessageEvent<string>) => {
      const heartbeat = safeJson(message.data) as { state?: string } | null;
      const state = onServerState(heartbeat?.state);
      setStatus((current) => (current.state === state ? current : { ...current, state }));
    };
    const onPortal = (message: MessageEvent<string>) => {
      const event = safeJson(message.data) as PortalEvent | null;
      if (!event || typeof event.type !== "string") return;
      invalidator.add(keysFor(event));
      setStatus((current) => ({
        state: serverDegraded ? "reconnecting" : "live",
        lastEventAt: event.at ?? new Date().toISOString(),
        lastBankEventAt: event.type === "webhook.received" && isLater(event.at, current.lastBankEventAt) ? event.at : current.lastBankEventAt,
      }));
    };

    const open = () => {
      if (disposed) return;
      const next = new EventSource(url, { withCredentials: true });
      source = next;
      next.addEventListener("open", () => {
        retries = 0;
        setStatus((current) => ({ ...current, state: serverDegraded ? "reconnecting" : "live" }));
        // Events published before this stream opened (between the server render and now, or while
        // we were away after a drop) were never announced to us: refetch everything that is shown.
        void queryClient.invalidateQueries();
      });
      next.addEventListener("hello", onHello as EventListener);
      next.addEventListener("heartbeat", onHeartbeat as EventListener);
      next.addEventListener("portal", onPortal as EventListener);
      // The server ended the stream because this operator was disabled or lost the role: sign in again.
      next.addEventListener("revoked", () => {
        disposed = true;
        next.close();
        // A full load on purpose: nothing of the revoked session's client state should survive.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
      });
      // The session the stream was opened with expired: reopen if the browser holds a renewed one.
      next.addEventListener("session_ended", () => {
        next.close();
        void fetch("/api/auth/session", { cache: "no-store" })
          .then((response) => response.json() as Promise<{ user?: unknown }>)
          .then(
            (session) => {
              if (disposed) return;
              if (session?.user) open();
              // eslint-disable-next-line @next/next/no-location-assign-relative-destination
              else window.location.assign(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
            },
            () => {
              if (!disposed) retryTimer = setTimeout(open, MANUAL_RETRY_MS[0]);
            },
          );
      });
      next.addEventListener("error", () => {
        setStatus((current) => ({ ...current, state: "reconnecting" }));
        // CONNECTING: the browser retries by itself (server sends `retry: 2000`).
        // CLOSED: it gave up (HTTP error / wrong content type) — retry with a back-off.
        if (next.readyState === EventSource.CLOSED && !disposed) {
          next.close();
          const delay = MANUAL_RETRY_MS[Math.min(retries, MANUAL_RETRY_MS.length - 1)]!;
          retries += 1;
          retryTimer = setTimeout(open, delay);
        }
      });
    };
    open();

    return () => {
      disposed = true;
      if (retryTimer) clearTimeout(retryTimer);
      source?.close();
      invalidator.dispose();
    };
  }, [url, queryClient]);

  return <StatusContext.Provider value={status}>{children}</StatusContext.Provider>;
}

/** Connection state and the times of the last event / last bank webhook (ISO strings). */
export function useLiveStatus(): LiveStatus {
  return useContext(StatusContext) ?? INITIAL_STATUS;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
