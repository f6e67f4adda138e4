"use client";

import { useSyncExternalStore } from "react";
import { formatDateTimeSeconds, formatTimeLeft } from "@/lib/format/time";

/** One shared 1-second clock for every countdown on the page (not one interval per cell). */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let now = Date.now();

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, 1_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const getSnapshot = () => now;
const getServerSnapshot = () => null;

/** The browser's time, ticking each second on the shared clock; null while rendering on the server. */
export function useNowMs(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

/** Time left until `deadline` (ISO), ticking; "просрочено" once it has passed. */
export function Countdown({ deadline }: { deadline: string }) {
  const current = useNowMs();
  if (current === null) return <span className="text-slate-500">…</span>;
  const left = new Date(deadline).getTime() - current;
  const label = formatTimeLeft(left);
  if (!label) return <span className="font-medium text-red-700">просрочено</span>;
  const urgent = left < 15 * 60_000;
  return (
    <span className={`tabular-nums ${urgent ? "font-medium text-red-700" : "text-slate-700"}`} title={`до ${formatDateTimeSeconds(deadline)} МСК`}>
      {label}
    </span>
  );
}
