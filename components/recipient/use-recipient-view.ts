"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import type { RecipientInstrument } from "@/lib/payouts/schemas";
import { SETTLED_STATUSES } from "@/lib/payouts/state-machine";
import type { RecipientView } from "@/lib/payouts/views";
import { fetchRecipientView, retryStart, startPayout } from "./api";

/**
 * The one owner of the recipient's view: the server's first render seeds it; server-sent events
 * from `/api/p/<token>/events` trigger a refetch the moment the payout changes; React Query also
 * polls `GET /api/p/<token>` while the payout is moving (every 2 s without a live stream, every
 * 15 s with one, as a safety net) and refetches when the tab regains focus.
 */

export const POLL_INTERVAL_MS = 2_000;
const LIVE_POLL_INTERVAL_MS = 15_000;

export const recipientViewKey = (token: string) => ["recipient-view", token] as const;

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
  const queryClient = useQueryClient();
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: recipientViewKey(token) }), [queryClient, token]);
  const streaming = useRef(false);
  const query = useQuery({
    queryKey: recipientViewKey(token),
    queryFn: ({ signal }) => fetchRecipientView(token, signal),
    initialData: initialView,
    staleTime: 1_000,
    refetchOnWindowFocus: true,
    refetchInterval: (q) => {
      const interval = pollIntervalFor(q.state.data);
      return interval === false ? false : streaming.current ? LIVE_POLL_INTERVAL_MS : interval;
    },
    retry: 2,
  });
  const view = query.data;
  // Live while something can change: including paid (a bank-account payout can still come back).
  const canChange = view.linkState !== "revoked" && view.status !== "failed" && view.status !== "cancelled" && view.status !== "refunded" && view.status !== "expired";
  useLiveRefresh(token, canChange && view.status !== "awaiting_recipient", refresh, streaming);
  const setView = useCallback(
    (view: RecipientView) => {
      // Never step back to an older version (a slow poll answering after a newer POST).
      queryClient.setQueryData<RecipientView>(recipientViewKey(token), (old) =>
        old && old.id === view.id && old.version > view.version ? old : view,
      );
    },
    [queryClient, token],
  );
  return { view, isError: query.isError && query.fetchStatus === "idle", isFetching: query.isFetching, setView, refresh };
}

/**
 * Confirm → `POST /api/p/<token>/start`. One request at a time, whatever the double clicks: the
 * ref blocks a second call before React has re-rendered the disabled button.
 */
export function useStartPayout(token: string, handlers: { onView: (view: RecipientView) => void; refresh: () => void }) {
  const inFlight = useRef(false);
  const { mutate, reset, isPending, error } = useMutation({
    mutationFn: (instrument: RecipientInstrument) => startPayout(token, instrument),
    onSuccess: handlers.onView,
    // Whatever went wrong, re-read the link: it may have expired or been revoked meanwhile, or the
    // start may have reached the bank before the answer was lost — then the page shows its status.
    onError: () => handlers.refresh(),
    onSettled: () => {
      inFlight.current = false;
    },
  });
  const start = useCallback(
    (instrument: RecipientInstrument) => {
      if (inFlight.current) return;
      inFlight.current = true;
      reset();
      mutate(instrument);
    },
    [mutate, reset],
  );
  return { start, isPending, error };
}

export function useRetryStart(token: string, onView: (view: RecipientView) => void) {
  return useMutation({ mutationFn: () => retryStart(token), onSuccess: onView });
}
