"use client";

import { formatTimeSeconds } from "@/lib/format/time";
import { useLiveStatus } from "./live-events";

const LABEL = { connecting: "Подключение…", live: "Онлайн", reconnecting: "Переподключение…" } as const;
const DOT = { connecting: "bg-slate-400", live: "bg-brand-500", reconnecting: "bg-amber-500 animate-pulse" } as const;

/** A dot + connection state + time of the last bank webhook, for the dashboard header. */
export function ConnectionIndicator({ className = "" }: { className?: string }) {
  const { state, lastBankEventAt } = useLiveStatus();
  return (
    <div className={`flex items-center gap-2 text-xs text-slate-600 ${className}`} data-testid="connection-indicator" data-state={state}>
      <span className="inline-flex items-center gap-1.5 whitespace-nowrap" role="status" aria-live="polite">
        <span aria-hidden className={`size-2 rounded-full ${DOT[state]}`} />
        <span className="font-medium text-slate-700" data-testid="connection-state">{LABEL[state]}</span>
      </span>
      <span className="whitespace-nowrap text-slate-500" data-testid="last-bank-event" title={lastBankEventAt ?? undefined}>
        последнее событие банка: <span className="tabular-nums">{formatTimeSeconds(lastBankEventAt)}</span>
      </span>
    </div>
  );
}
