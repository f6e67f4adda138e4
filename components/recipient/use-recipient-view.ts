"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { RecipientInstrument } from "@/lib/payouts/schemas";
import { SETTLED_STATUSES } from "@/lib/payouts/state-machine";
import type { RecipientView } from "@/lib/payouts/views";
import { fetchRecipientView, retryStart, startPayout } from "./api";

/**
 * The one owner of the recipient's view: the server's first render seeds it; server-sent events
 * from `/api/p/<token>/events` trigger a re-read the moment the payout changes; while the payout is
 * moving it is also polled (every 2 s without a live stream, every 15 s with one, as a safety net)
 * and re-read when the tab regains focus. Plain fetch + EventSource: no data library in the
 * recipient's browser.
 */

export const POLL_INTERVAL_MS = 2_000;
const LIVE_POLL_INTERVAL_MS = 15_000;
/** A view younger than this is fresh enough for a focus to skip the re-read. */
const FRESH_MS = 1_000;
/** Failed reads are retried this often (1 s, then 2 s apart) before the page says it cannot update. */
const READ_RETRIES = 2;
const RETRY_DELAY_MS = 1_000;

/** Codes that mean the link itself changed (not a passing problem): the view must be re-read. */
export function isLinkProblem(code: string): boolean {
  return code === "link_expired" || code === "link_revoked" || code === "link_used" || code === "not_found";
}

export function isSettled(view: Pick<RecipientView, "status">): boolean {
  return SETTLED_STATUSES.has(view.status);
}

/** Poll only while something can change without the recipient: not while they fill in the form. */
export function pollIntervalFor(view: RecipientView | undefined): number | false {
  if (!view) return POLL_INTERVAL_MS;
  if (isSettled(view) || view.linkState === "revoked" || view.linkState === "expired") return false;
  if (view.status === "awaiting_recipient" && view.linkState === "active" && (view.method === "card_widget" || view.method === "bank_account" || view.method === "sbp")) {
    return false;
  }
  return POLL_INTERVAL_MS;
}

/** Never step back to an older version (a slow poll answering after a newer POST). */
function newer(old: RecipientView, next: RecipientView): RecipientView {
  return old.id === next.id && old.version > next.version ? old : next;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Subscribes to the payout's live events while it can still change; `live` tracks the connection. */
function useLiveRefresh(token: string, active: boolean, refresh: () => void, live: { current: boolean }): void {
  useEffect(() => {
    if (!active || typeof EventSource === "undefined") return;
    const source = new EventSource(`/api/p/${encodeURIComponent(token)}/events`);
    let wasLive = false;
    source.onopen = () => {
      // After a drop, events may have been missed: catch up once.
      if (wasLive) refresh();
      wasLive = true;
      live.current = true;
    };
    source.onerror = () => {
      live.current = false;
    };
    source.addEventListener("portal", () => refresh());
    return () => {
      source.close();
      live.current = false;
    };
  }, [token, active, refresh, live]);
}

export function useRecipientView(token: string, initialView: RecipientView) {
  const [view, setViewState] = useState(initialView);
  const [isError, setIsError] = useState(false);
  // Bumped after every read, answered or failed: re-arms the poll timer even when nothing changed.
  const [reads, setReads] = useState(0);
  const reading = useRef<AbortController | null>(null);
  const readAt = useRef(0);
  const streaming = useRef(false);

  const setView = useCallback((next: RecipientView) => setViewState((old) => newer(old, next)), []);

  /** Re-reads the view now; a read already in flight is abandoned for this one. */
  const refresh = useCallback(async (): Promise<void> => {
    reading.current?.abort();
    const controller = new AbortController();
    reading.current = controller;
    for (let attempt = 0; ; attempt++) {
      try {
        const next = await fetchRecipientView(token, controller.signal);
        if (controller.signal.aborted) return;
        readAt.current = Date.now();
        setIsError(false);
        setView(next);
        break;
      } catch {
        if (controller.signal.aborted) return;
        if (attempt >= READ_RETRIES) {
          setIsError(true);
          break;
        }
        await pause(RETRY_DELAY_MS * 2 ** attempt, controller.signal);
        if (controller.signal.aborted) return;
      }
    }
    if (reading.current === controller) reading.current = null;
    setReads((n) => n + 1);
  }, [token, setView]);

  useEffect(() => () => reading.current?.abort(), []);

  const interval = pollIntervalFor(view);
  useEffect(() => {
    if (interval === false) return;
    const timer = setTimeout(() => void refresh(), streaming.current ? LIVE_POLL_INTERVAL_MS : interval);
    return () => clearTimeout(timer);
  }, [interval, reads, refresh]);

  useEffect(() => {
    readAt.current = Date.now();
    const onFocus = () => {
      if (document.visibilityState === "visible" && Date.now() - readAt.current > FRESH_MS) void refresh();
    };
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onFocus);
    return () => {
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onFocus);
    };
  }, [refresh]);

  // Live while something can change: including paid (a bank-account payout can still come back).
  const canChange = view.linkState !== "revoked" && view.status !== "failed" && view.status !== "cancelled" && view.status !== "refunded" && view.status !== "expired";
  useLiveRefresh(token, canChange && view.status !== "awaiting_recipient", refresh, streaming);
  return { view, setView, refresh, isError };
}

/**
 * One POST at a time, whatever the double clicks: the ref blocks a second call before React has
 * re-rendered the disabled button. The answer (a fresh view) goes to `onView`; a failure stays in
 * `error` until the next call.
 */
function useViewPost<Args extends unknown[]>(post: (...args: Args) => Promise<RecipientView>, onView: (view: RecipientView) => void, onError?: () => void) {
  const inFlight = useRef(false);
  const [state, setState] = useState<{ isPending: boolean; error: unknown }>({ isPending: false, error: null });
  const latest = useRef({ post, onView, onError });
  useEffect(() => {
    latest.current = { post, onView, onError };
  });
  const run = useCallback((...args: Args) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setState({ isPending: true, error: null });
    latest.current.post(...args).then(
      (view) => {
        inFlight.current = false;
        setState({ isPending: false, error: null });
        latest.current.onView(view);
      },
      (error: unknown) => {
        inFlight.current = false;
        setState({ isPending: false, error });
        latest.current.onError?.();
      },
    );
  }, []);
  return { run, isPending: state.isPending, error: state.error };
}

/** Confirm → `POST /api/p/<token>/start`. */
export function useStartPayout(token: string, handlers: { onView: (view: RecipientView) => void; refresh: () => void }) {
  const { run, isPending, error } = useViewPost(
    (instrument: RecipientInstrument) => startPayout(token, instrument),
    handlers.onView,
    // Whatever went wrong, re-read the link: it may have expired or been revoked meanwhile, or the
    // start may have reached the bank before the answer was lost — then the page shows its status.
    handlers.refresh,
  );
  return { start: run, isPending, error };
}

/** "Try again" when the bank did not answer the start → `POST /api/p/<token>/retry`. */
export function useRetryStart(token: string, onView: (view: RecipientView) => void) {
  const { run, isPending, error } = useViewPost(() => retryStart(token), onView);
  return { retry: run, isPending, error };
}
