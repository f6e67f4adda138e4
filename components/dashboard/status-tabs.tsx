"use client";

import { CAPPED_COUNT_HINT, formatCount } from "@/lib/format/numbers";
import { STATUS_GROUP_LABEL } from "@/lib/format/status";
import type { PayoutStatus } from "@/lib/payouts/state-machine";
import type { PayoutStatusCounts } from "./api";


/** The tabs, in the order an operator reads the flow. `rare` tabs show only when they have rows. */
const STATUS_TABS: ReadonlyArray<{ status: PayoutStatus | "all"; rare?: boolean }> = [
  { status: "all" },
  { status: "awaiting_recipient" },
  { status: "submitted" },
  { status: "awaiting_approval" },
  { status: "confirming" },
  { status: "cancelling", rare: true },
  { status: "bank_error", rare: true },
  { status: "paid" },
  { status: "failed" },
  { status: "cancelled" },
  { status: "refunded", rare: true },
  { status: "expired", rare: true },
];

/** Status tabs with live counts; rare statuses appear only when they have rows (or are selected). */
export function StatusTabs({
  active,
  counts,
  onChange,
}: {
  active: PayoutStatus | "all";
  counts: PayoutStatusCounts | undefined;
  onChange: (status: PayoutStatus | "all") => void;
}) {
  const tabs = STATUS_TABS.filter((tab) => !tab.rare || tab.status === active || (counts?.[tab.status] ?? 0) > 0);
  return (
    <div className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <div role="tablist" aria-label="Статусы" className="flex min-w-max gap-1 border-b border-slate-200">
        {tabs.map((tab) => {
          const selected = tab.status === active;
          const count = counts?.[tab.status];
          return (
            <button
              key={tab.status}
              type="button"
              role="tab"
              aria-selected={selected}
              onClick={() => onChange(tab.status)}
              data-testid={`status-tab-${tab.status}`}
              className={`-mb-px inline-flex items-center gap-1.5 whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium transition ${
                selected ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
              }`}
            >
              {tab.status === "all" ? "Все" : STATUS_GROUP_LABEL[tab.status]}
              <span
                className={`min-w-6 rounded-full px-1.5 py-0.5 text-center text-xs tabular-nums ${selected ? "bg-brand-100 text-brand-700" : "bg-slate-100 text-slate-600"}`}
                data-testid={`status-count-${tab.status}`}
                title={counts?.capped ? CAPPED_COUNT_HINT : undefined}
              >
                {count === undefined ? "·" : formatCount(count, counts?.capped)}
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
