"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { claimHolderLabel } from "@/lib/format/claims";
import { formatRequestNumber } from "@/lib/format/numbers";
import { METHOD_LABEL } from "@/lib/format/status";
import { formatKopecks } from "@/lib/money";
import { isUrgent, type ApprovalQueue } from "@/lib/payouts/queue";
import { fetchJson, queryKeys } from "./api";
import { Countdown, useNowMs } from "./countdown";

/**
 * «Ждут решения»: payouts awaiting approval, the bank's confirm deadline nearest first, those with
 * under 30 minutes left highlighted, with who holds each. A claim or decision anywhere reaches it
 * through the live events (the "payouts" key prefix); an expiring claim disappears by the clock.
 */
export function ApprovalQueuePanel({ viewerId }: { viewerId: string | null }) {
  const queue = useQuery({
    queryKey: queryKeys.queue(),
    queryFn: ({ signal }) => fetchJson<ApprovalQueue>("/api/payouts/queue", { signal }),
  });
  const now = useNowMs();
  if (!queue.data || queue.data.total === 0) return null;
  const { rows, total } = queue.data;
  return (
    <section aria-labelledby="queue-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="approval-queue">
      <div className="flex items-baseline gap-2 border-b border-slate-100 px-4 py-3">
        <h2 id="queue-heading" className="text-base font-semibold text-slate-900">
          Ждут решения
        </h2>
        <span className="text-sm text-slate-500" data-testid="approval-queue-total">
          {total > rows.length ? `первые ${rows.length} из ${total}` : total}
        </span>
        <span className="ml-auto text-xs text-slate-500">по сроку подтверждения в банке</span>
      </div>
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
            </li>
          );
        })}
      </ul>
    </section>
  );
}
