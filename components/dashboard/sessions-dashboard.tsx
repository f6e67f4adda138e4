"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { formatCount } from "@/lib/format/numbers";
import type { PayoutListRow } from "@/lib/payouts/list";
import {
  countsUrl,
  exportUrl,
  fetchJson,
  listUrl,
  queryKeys,
  statsUrl,
  type DashboardParams,
  type PayoutListResult,
  type PayoutStatusCounts,
  type StatsResponse,
} from "./api";
import { ApprovalQueuePanel } from "./approval-queue";
import { FiltersBar, SearchBox } from "./filters-bar";
import { ReconciliationPanel } from "./reconciliation-panel";
import { SessionsTable } from "./sessions-table";
import { StatusTabs } from "./status-tabs";
import { useDashboardParams } from "./use-dashboard-params";
import { VolumeChart } from "./volume-chart";

const COUNT = new Intl.NumberFormat("ru-RU");
const EMPTY_ROWS: PayoutListRow[] = [];

/**
 * The operators' sessions dashboard: tabs with counts, filters and search (all in the URL), the
 * keyset-paged table, the volume chart and the reconciliation panel. Everything here is React Query
 * data under the "payouts" / "reconciliation" keys, so LiveEventsProvider keeps it fresh.
 */
export function SessionsDashboard({ canRunReconciliation, viewerId }: { canRunReconciliation: boolean; viewerId: string | null }) {
  const { params, update, hasFilters } = useDashboardParams();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const activeFilters = [params.from || params.to, params.minKopecks || params.maxKopecks, params.method, params.source].filter(Boolean).length;

  const list = useInfiniteQuery({
    queryKey: queryKeys.list(params),
    queryFn: ({ pageParam, signal }) => fetchJson<PayoutListResult>(listUrl(params, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.hasMore ? last.nextCursor : null),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery<PayoutStatusCounts>({
    queryKey: queryKeys.counts(params),
    queryFn: ({ signal }) => fetchJson<{ counts: PayoutStatusCounts }>(countsUrl(params), { signal }).then((body) => body.counts),
    placeholderData: keepPreviousData,
  });
  const stats = useQuery({
    queryKey: queryKeys.stats(params),
    queryFn: ({ signal }) => fetchJson<StatsResponse>(statsUrl(params), { signal }),
    placeholderData: keepPreviousData,
  });

  const rows = useMemo(() => {
    const pages = list.data?.pages;
    if (!pages) return EMPTY_ROWS;
    // Pages are keyset-consistent; the guard only matters if a row moved while pages were refetched.
    const seen = new Set<string>();
    const result: PayoutListRow[] = [];
    for (const page of pages) {
      for (const row of page.rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        result.push(row);
      }
    }
    return result;
  }, [list.data]);

  const onSearch = useCallback((q: string) => update({ q }), [update]);
  const resetFilters = useCallback(() => update({ from: "", to: "", minKopecks: "", maxKopecks: "", method: "", source: "", q: "" }), [update]);

  const total = counts.data?.[params.status];
  const showingStale = list.isPlaceholderData;

  return (
    <section aria-labelledby="sessions-heading" className="space-y-5">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <h1 id="sessions-heading" className="text-2xl font-semibold tracking-tight">
            Сессии выплат
          </h1>
          <p className="mt-0.5 text-sm text-slate-500" data-testid="sessions-summary">
            {counts.data ? `${formatCount(counts.data.all, counts.data.capped)} ${hasFilters ? "по фильтрам" : "всего"}` : "\u00A0"}
          </p>
        </div>
        <div className="ml-auto flex flex-wrap gap-2">
          <a
            href={exportUrl(params)}
            download
            className="inline-flex h-9 items-center gap-1.5 rounded-lg border border-slate-300 bg-white px-3 text-sm font-medium text-slate-700 hover:bg-slate-50"
            data-testid="export-csv"
          >
            <svg aria-hidden viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="M10 3v10m0 0-4-4m4 4 4-4M4 16h12" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            Выгрузить CSV
          </a>
        </div>
      </div>

      <ApprovalQueuePanel viewerId={viewerId} />

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <VolumeChart stats={stats.data} loading={stats.isPending} />
        </div>
        <ReconciliationPanel canRun={canRunReconciliation} />
      </div>

      <div className="space-y-3">
        <StatusTabs active={params.status} counts={counts.data} onChange={(status) => update({ status })} />
        <div className="grid gap-3">
          <div className="flex gap-2">
            <div className="min-w-0 flex-1">
              <SearchBox value={params.q} onCommit={onSearch} />
            </div>
            {/* Small screens: the filters fold away so the table stays in reach. */}
            <button
              type="button"
              onClick={() => setFiltersOpen((open) => !open)}
              aria-expanded={filtersOpen}
              aria-controls="sessions-filters"
              className="h-9 shrink-0 rounded-lg border border-slate-300 bg-white px-3 text-sm font-medium text-slate-700 sm:hidden"
            >
              Фильтры{activeFilters ? ` · ${activeFilters}` : ""}
            </button>
          </div>
          <div id="sessions-filters" className={filtersOpen ? "" : "hidden sm:block"}>
            <FiltersBar params={params} onChange={update} onReset={resetFilters} hasFilters={hasFilters} />
          </div>
        </div>
      </div>

      {list.isError && !list.data ? (
        <div role="alert" className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="sessions-error">
          Не удалось загрузить список: {list.error.message}{" "}
          <button type="button" className="font-medium underline" onClick={() => void list.refetch()}>
            Повторить
          </button>
        </div>
      ) : list.isPending ? (
        <div className="h-64 animate-pulse rounded-xl border border-slate-200 bg-white" data-testid="sessions-loading" role="status" aria-label="Загрузка" />
      ) : rows.length === 0 ? (
        <EmptyState filtered={hasFilters || params.status !== "all"} onReset={resetFilters} />
      ) : (
        <div className={`space-y-3 transition-opacity ${showingStale ? "opacity-60" : ""}`} aria-busy={showingStale}>
          <SessionsTable rows={rows} sort={params.sort} dir={params.dir} onSort={(sort, dir) => update({ sort, dir })} />
          <div className="flex flex-wrap items-center gap-3 text-sm text-slate-500">
            <span data-testid="sessions-shown">
              Показано {COUNT.format(rows.length)}
              {total !== undefined ? ` из ${formatCount(Math.max(total, rows.length), counts.data?.capped)}` : ""}
            </span>
            {list.hasNextPage ? (
              <button
                type="button"
                onClick={() => void list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
                className="ml-auto rounded-lg border border-slate-300 bg-white px-4 py-2 font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
                data-testid="load-more"
              >
                {list.isFetchingNextPage ? "Загрузка…" : "Показать ещё"}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}

function EmptyState({ filtered, onReset }: { filtered: boolean; onReset: () => void }) {
  return (
    <div className="rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center" data-testid="sessions-empty">
      {filtered ? (
        <>
          <p className="font-medium">Ничего не найдено</p>
          <p className="mt-1 text-sm text-slate-500">Измените фильтры или поиск.</p>
          <button type="button" onClick={onReset} className="mt-4 rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
            Сбросить фильтры
          </button>
        </>
      ) : (
        <>
          <p className="font-medium">Выплат пока нет</p>
          <p className="mt-1 text-sm text-slate-500">Здесь появятся сессии выплат, как только получатели начнут заполнять ссылки.</p>
        </>
      )}
    </div>
  );
}

export type { DashboardParams };
