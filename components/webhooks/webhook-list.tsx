"use client";

import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useLiveStatus } from "@/components/live/live-events";
import type { WebhookDelivery, WebhookDeliveryPage } from "@/lib/payouts/detail";
import { ApiError, apiJson } from "@/components/api-client";
import { JsonBlock } from "@/components/payout-detail/json-block";
import { dedupeLabel, effectLabel } from "@/components/payout-detail/labels";
import { plural } from "@/lib/format/numbers";
import { formatDateTimeSeconds } from "@/lib/format/time";
import { Spinner } from "@/components/payout-detail/spinner";
import { RejectedSampleView } from "./rejected-sample";

export type VerdictFilter = "all" | "verified" | "rejected";

const FILTERS: Array<{ value: VerdictFilter; label: string }> = [
  { value: "all", label: "Все" },
  { value: "verified", label: "Проверенные" },
  { value: "rejected", label: "Отклонённые" },
];

async function fetchPage(verdict: VerdictFilter, cursor: string | null, signal: AbortSignal): Promise<WebhookDeliveryPage> {
  const params = new URLSearchParams();
  if (verdict !== "all") params.set("verdict", verdict);
  if (cursor) params.set("cursor", cursor);
  return apiJson<WebhookDeliveryPage>(`/api/webhooks?${params}`, { signal });
}

/**
 * The webhook inbox: every delivery, verified or rejected, newest first. Kept live by the
 * dashboard's live-events provider (`["webhooks"]` on every accepted webhook); rejected deliveries
 * publish no event, so a slow poll picks those up.
 */
export function WebhookList({ initialFilter, initialPage }: { initialFilter: VerdictFilter; initialPage: WebhookDeliveryPage | null }) {
  const [filter, setFilter] = useState<VerdictFilter>(initialFilter);
  const queryClient = useQueryClient();
  const liveState = useLiveStatus().state;
  // Deliveries that arrived between the server render and the stream's connection are never
  // announced: read again whenever the stream (re)connects.
  useEffect(() => {
    if (liveState === "live") void queryClient.invalidateQueries({ queryKey: ["webhooks"] });
  }, [liveState, queryClient]);
  const query = useInfiniteQuery<WebhookDeliveryPage, Error, InfiniteData<WebhookDeliveryPage>, readonly unknown[], string | null>({
    queryKey: ["webhooks", filter],
    queryFn: ({ pageParam, signal }) => fetchPage(filter, pageParam, signal),
    initialPageParam: null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: filter === initialFilter && initialPage ? { pages: [initialPage], pageParams: [null] } : undefined,
    refetchInterval: 15_000,
  });

  const choose = (value: VerdictFilter) => {
    setFilter(value);
    const url = new URL(window.location.href);
    if (value === "all") url.searchParams.delete("verdict");
    else url.searchParams.set("verdict", value);
    window.history.replaceState(window.history.state, "", url);
  };

  const items = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="mt-4">
      <div role="group" aria-label="Фильтр по проверке подписи" className="inline-flex rounded-xl border border-slate-200 bg-white p-1 text-sm shadow-sm">
        {FILTERS.map((option) => (
          <button
            key={option.value}
            type="button"
            aria-pressed={filter === option.value}
            onClick={() => choose(option.value)}
            data-testid={`webhook-filter-${option.value}`}
            className={`min-h-9 rounded-lg px-3 font-medium transition-colors ${
              filter === option.value ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"
            }`}
          >
            {option.label}
          </button>
        ))}
      </div>

      {query.isPending ? (
        <p className="mt-6 flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Загружаем вебхуки…
        </p>
      ) : query.isError && items.length === 0 ? (
        <p className="mt-6 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="webhooks-error">
          Не удалось загрузить вебхуки. {query.error instanceof ApiError && query.error.status === 401 ? "Войдите снова." : "Попробуйте обновить страницу."}
        </p>
      ) : items.length === 0 ? (
        <p className="mt-6 rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center text-sm text-slate-500" data-testid="webhooks-empty">
          {filter === "rejected" ? "Отклонённых вебхуков нет." : filter === "verified" ? "Проверенных вебхуков пока нет." : "Полученных вебхуков пока нет."}
        </p>
      ) : (
        <>
          <div className="mt-4 hidden grid-cols-[10rem_11rem_minmax(0,1fr)_8rem_minmax(0,1.2fr)] gap-4 px-4 text-xs font-medium text-slate-500 lg:grid" aria-hidden>
            <span>Получен (МСК)</span>
            <span>Тип</span>
            <span>Сессия</span>
            <span>Подпись</span>
            <span>Результат</span>
          </div>
          <ul className="mt-2 grid grid-cols-1 gap-2" data-testid="webhook-list">
            {items.map((item) => (
              <WebhookRow key={item.id} item={item} />
            ))}
          </ul>
          {query.hasNextPage ? (
            <button
              type="button"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
              className="mt-4 inline-flex min-h-10 items-center gap-2 rounded-xl border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-800 hover:bg-slate-50 disabled:opacity-60"
            >
              {query.isFetchingNextPage ? <Spinner /> : null}
              Показать ещё
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

function WebhookRow({ item }: { item: WebhookDelivery }) {
  const verified = item.verdict === "verified";
  return (
    <li
      className={`min-w-0 rounded-2xl border bg-white px-4 py-3 shadow-sm ${verified ? "border-slate-200" : "border-red-200"}`}
      data-testid="webhook-row"
      data-verdict={item.verdict}
    >
      <div className="grid gap-x-4 gap-y-1.5 text-sm lg:grid-cols-[10rem_11rem_minmax(0,1fr)_8rem_minmax(0,1.2fr)] lg:items-start">
        <time dateTime={item.receivedAt} className="font-mono text-xs text-slate-500 tabular-nums lg:pt-0.5">
          {formatDateTimeSeconds(item.receivedAt)}
        </time>
        <span className="min-w-0">
          <code className="font-mono text-[13px] font-medium break-all text-slate-900" data-testid="webhook-type">
            {item.type ?? (verified ? "неизвестный" : "не разобран")}
          </code>
        </span>
        <span className="min-w-0 break-words" data-testid="webhook-session">
          {item.bankSessionId ? (
            <>
              <code className="font-mono text-[13px]">{item.bankSessionId}</code>
              {item.payout ? (
                <>
                  {" · "}
                  <Link href={`/dashboard/payouts/${item.payout.id}`} className="font-medium text-brand-700 hover:underline" data-testid="webhook-payout-link">
                    {item.payout.requestNumber}
                  </Link>
                </>
              ) : (
                <span className="text-slate-500"> · не из портала</span>
              )}
            </>
          ) : (
            <span className="text-slate-500">—</span>
          )}
        </span>
        <span data-testid="webhook-verdict">
          <span
            className={`inline-flex rounded-md px-1.5 py-0.5 text-xs font-medium ${verified ? "bg-brand-50 text-brand-700" : "bg-red-50 text-red-700"}`}
          >
            {verified ? "верна" : "отклонена"}
          </span>
          {item.deliveries > 1 ? (
            <span className="ml-1.5 text-xs whitespace-nowrap text-slate-500" data-testid="webhook-deliveries">
              {item.deliveries} {plural(item.deliveries, ["доставка", "доставки", "доставок"])}
            </span>
          ) : null}
        </span>
        <span className="min-w-0 text-slate-700" data-testid="webhook-effect">
          {verified ? effectLabel(item.effect) : <span className="break-words text-red-700" data-testid="webhook-reject-reason">{item.rejectReason ?? "подпись не прошла проверку"}</span>}
          <span className="block text-xs text-slate-500">{dedupeLabel(item)}</span>
        </span>
      </div>
      {item.rawBody !== null ? <JsonBlock summary="Тело (как получено)" value={item.rawBody} verbatim testId="webhook-raw-body" /> : null}
      {item.rejectedSample ? <RejectedSampleView sample={item.rejectedSample} testId="webhook-rejected-sample" /> : null}
    </li>
  );
}
