"use client";

import { useSyncExternalStore } from "react";
import { formatDateTimeSeconds } from "@/lib/format/time";

/** A once-a-second clock shared by every countdown on the page; null while rendering on the server. */
const clock = {
  listeners: new Set<() => void>(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  subscribe(listener: () => void) {
    clock.listeners.add(listener);
    clock.timer ??= setInterval(() => clock.listeners.forEach((notify) => notify()), 1_000);
    return () => {
      clock.listeners.delete(listener);
      if (clock.listeners.size === 0 && clock.timer) {
        clearInterval(clock.timer);
        clock.timer = undefined;
      }
    };
  },
  snapshot: () => Math.floor(Date.now() / 1_000) * 1_000,
  serverSnapshot: () => null,
};

function useNow(): number | null {
  return useSyncExternalStore(clock.subscribe, clock.snapshot, clock.serverSnapshot);
}

const URGENT_MS = 15 * 60_000;

/** Milliseconds until `deadline` by the server's clock, ticking each second; null on the server. */
export function useTimeLeft(deadline: string | null, clockOffsetMs = 0): number | null {
  const now = useNow();
  if (now === null || deadline === null) return null;
  return Date.parse(deadline) - (now + clockOffsetMs);
}

/** `3 ч 12 мин`, `14 мин`, `45 с`. */
export function formatRemaining(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1_000));
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  if (hours > 0) return `${hours} ч ${minutes} мин`;
  if (minutes > 0) return `${minutes} мин`;
  return `${totalSeconds} с`;
}

/**
 * Time left before the bank's confirmation deadline. `clockOffsetMs` (server time − browser time,
 * measured when the data arrived) keeps a wrong browser clock from showing a wrong deadline.
 */
export function DeadlineCountdown({ deadline, clockOffsetMs = 0 }: { deadline: string; clockOffsetMs?: number }) {
  const left = useTimeLeft(deadline, clockOffsetMs);
  const expired = left !== null && left <= 0;
  const urgent = left !== null && left > 0 && left < URGENT_MS;
  const tone = expired || urgent ? "border-red-200 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-900";
  return (
    <div className={`rounded-xl border px-4 py-3 ${tone}`} data-testid="deadline" data-state={left === null ? "pending" : expired ? "expired" : urgent ? "urgent" : "ok"}>
      <p className="text-xs font-medium tracking-wide uppercase opacity-80">Срок подтверждения в банке</p>
      <p className="mt-0.5 text-lg font-semibold tabular-nums" data-testid="deadline-text">
        {left === null ? "\u00A0" : expired ? "срок истёк" : `осталось ${formatRemaining(left)}`}
      </p>
      <p className="text-xs opacity-80">
        {expired ? "Банк отменит выплату сам; подтвердить её уже нельзя." : `до ${formatDateTimeSeconds(deadline)} МСК`}
      </p>
    </div>
  );
}
