"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { RiskSignalList } from "@/components/payouts/risk-signals";
import { claimHolderLabel } from "@/lib/format/claims";
import { formatRequestNumber } from "@/lib/format/numbers";
import { METHOD_LABEL } from "@/lib/format/status";
import { formatKopecks } from "@/lib/money";
import { isUrgent, type ApprovalQueue } from "@/lib/payouts/queue";
import { fetchJson, queryKeys } from "./api";
import { Countdown, useNowMs } from "./countdown";

/**
 * «Ждут решения»: payouts awaiting approval, the bank's confirm deadline nearest first, those with
 * under 30 minutes left highlighted, with who holds each and its risk signals; «Только с сигналами»
 * narrows it to flagged payouts. A claim or decision anywhere reaches it through the live events (the
 * "payouts" key prefix); an expiring claim disappears by the clock.
 */
export function ApprovalQueuePanel({ viewerId }: { viewerId: string | null }) {
  const [onlyWithSignals, setOnlyWithSignals] = useState(false);
  const queue = useQuery({
    queryKey: queryKeys.queue(onlyWithSignals),
    queryFn: ({ signal }) => fetchJson<ApprovalQueue>(onlyWithSignals ? "/api/payouts/queue?signals=only" : "/api/payouts/queue", { signal }),
  });
  const now = useNowMs();
  if (!queue.data || queue.data.total === 0) return null;
  const { rows, total, withSignals, checked } = queue.data;
  return (
    <section aria-labelledby="queue-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="approval-queue">
      <div className="flex items-baseline gap-2 border-b border-slate-100 px-4 py-3">
        <h2 id="queue-heading" className="text-base font-semibold text-slate-900">
          Ждут решения
        </h2>
        <span className="text-sm text-slate-500" data-testid="approval-queue-total">
          {withSignals !== undefined
            ? `с сигналами ${withSignals} из ${checked !== undefined && checked < total ? `${checked} ближайших по сроку (всего ${total})` : total}`
            : total > rows.length
              ? `первые ${rows.length} из ${total}`
              : total}
        </span>
        <label className="ml-auto flex items-center gap-1.5 text-xs text-slate-700">
          <input type="checkbox" checked={onlyWithSignals} onChange={(event) => setOnlyWithSignals(event.target.checked)} data-testid="approval-queue-signals-filter" />
          Только с сигналами риска
        </label>
        <span className="text-xs text-slate-500">по сроку подтверждения в банке</span>
      </div>
      {rows.length === 0 ? <p className="px-4 py-3 text-sm text-slate-500">Нет выплат с сигналами риска.</p> : null}
      <ul className="divide-y divide-slate-100">
        {rows.map((row) => {
          const urgent = now !== null && isUrgent(row.confirmDeadlineAt, now);
          const claim = row.claim && (now === null || Date.parse(row.claim.expiresAt) > now) ? row.claim : null;
          return (
            <li
              key={row.id}
              className={`flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2.5 text-sm ${urgent ? "border-l-4 border-red-500 bg-red-50" : "border-l-4 border-transparent"}`}
              data-testid="approval-queue-row"
              data-payout-id={row.id}
              data-urgent={urgent ? "true" : "false"}
              data-signals={row.signals.length}
            >
              <Link href={`/dashboard/payouts/${row.id}`} className="font-mono text-xs font-medium text-brand-700 hover:underline">
                {formatRequestNumber(row.number)}
              </Link>
              <span className="min-w-0 flex-1 truncate font-medium text-slate-800" title={row.recipientName}>
                {row.recipientName}
                <span className="ml-2 text-xs font-normal text-slate-500">{METHOD_LABEL[row.method]}</span>
              </span>
              <span className="tabular-nums font-medium text-slate-900">{formatKopecks(row.amountKopecks)}</span>
              <span className="w-28 text-right">{row.confirmDeadlineAt ? <Countdown deadline={row.confirmDeadlineAt} /> : <span className="text-slate-500">срок неизвестен</span>}</span>
              <span className={`w-full text-xs sm:w-64 ${claim ? "text-amber-800" : "text-slate-500"}`} data-testid="approval-queue-claim">
                {claim ? claimHolderLabel(claim, viewerId) : "никто не взял в работу"}
              </span>
              {row.signals.length > 0 ? (
                <div className="w-full">
                  <RiskSignalList signals={row.signals} compact />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
