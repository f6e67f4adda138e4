"use client";

import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from "recharts";
import { CAPPED_CHART_HINT } from "@/lib/format/numbers";
import { formatKopecks } from "@/lib/money";
import { PAYOUT_STATUSES, type PayoutStatus } from "@/lib/payouts/state-machine";
import type { StatsResponse } from "./api";
import { STATUS_CHART_COLOR, STATUS_LABEL } from "@/lib/format/status";
import { formatCalendarDayLong, formatCalendarDayShort, moscowDays } from "@/lib/format/time";

type Metric = "count" | "amount";
type Datum = { day: string } & Partial<Record<PayoutStatus, number>>;

const COUNT = new Intl.NumberFormat("ru-RU");
const COMPACT_RUB = new Intl.NumberFormat("ru-RU", { notation: "compact", maximumFractionDigits: 1 });

function ChartTooltip({ active, payload, label, metric }: Partial<TooltipContentProps<TooltipValueType, string | number>> & { metric: Metric }) {
  if (!active || !payload?.length) return null;
  const rows = payload.filter((item) => typeof item.value === "number" && item.value > 0).reverse();
  const total = rows.reduce((sum, item) => sum + (item.value as number), 0);
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-xs shadow-lg">
      <p className="mb-1 font-medium text-slate-900">{formatCalendarDayLong(String(label))}</p>
      {rows.length === 0 ? <p className="text-slate-500">Нет выплат</p> : null}
      {rows.map((item) => (
        <p key={String(item.dataKey)} className="flex items-center gap-2">
          <span aria-hidden className="size-2 rounded-sm" style={{ background: item.color }} />
          <span className="text-slate-600">{STATUS_LABEL[item.dataKey as PayoutStatus]}</span>
          <span className="ml-auto pl-3 font-medium tabular-nums">{metric === "count" ? COUNT.format(item.value as number) : formatKopecks(item.value as number)}</span>
        </p>
      ))}
      {rows.length > 1 ? (
        <p className="mt-1 flex border-t border-slate-100 pt-1 font-medium">
          Итого<span className="ml-auto pl-3 tabular-nums">{metric === "count" ? COUNT.format(total) : formatKopecks(total)}</span>
        </p>
      ) : null}
    </div>
  );
}

/** Stacked bars per Moscow day, one colour per status: number of payouts or their amount. */
export function VolumeChart({ stats, loading }: { stats: StatsResponse | undefined; loading: boolean }) {
  const [metric, setMetric] = useState<Metric>("count");

  const { data, statuses, totalCount, totalKopecks } = useMemo(() => {
    if (!stats) return { data: [] as Datum[], statuses: [] as PayoutStatus[], totalCount: 0, totalKopecks: 0 };
    const byDay = new Map<string, Datum>(moscowDays(stats.from, stats.to).map((day) => [day, { day }]));
    const present = new Set<PayoutStatus>();
    let totalCount = 0;
    let totalKopecks = 0;
    for (const bucket of stats.buckets) {
      const datum = byDay.get(bucket.day) ?? { day: bucket.day };
      byDay.set(bucket.day, datum);
      datum[bucket.status] = (datum[bucket.status] ?? 0) + (metric === "count" ? bucket.count : bucket.amountKopecks);
      present.add(bucket.status);
      totalCount += bucket.count;
      totalKopecks += bucket.amountKopecks;
    }
    return {
      data: [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)),
      statuses: PAYOUT_STATUSES.filter((status) => present.has(status)),
      totalCount,
      totalKopecks,
    };
  }, [stats, metric]);

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4" aria-labelledby="volume-heading" data-testid="volume-chart">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div>
          <h2 id="volume-heading" className="text-sm font-semibold text-slate-900">
            Объём выплат по дням
          </h2>
          <p className="text-xs text-slate-500" data-testid="volume-summary">
            {stats ? (
              <>
                {formatCalendarDayShort(moscowDays(stats.from, stats.to)[0] ?? "")} — {formatCalendarDayShort(moscowDays(stats.from, stats.to).at(-1) ?? "")}, МСК ·{" "}
                {COUNT.format(totalCount)} шт. · {formatKopecks(totalKopecks)}
              </>
            ) : (
              "Загрузка…"
            )}
          </p>
          {stats?.capped ? (
            <p className="text-xs text-amber-700" data-testid="volume-capped">
              {CAPPED_CHART_HINT}
            </p>
          ) : null}
        </div>
        <div className="ml-auto inline-flex rounded-lg bg-slate-100 p-0.5 text-xs font-medium" role="group" aria-label="Показатель">
          {(["count", "amount"] as const).map((value) => (
            <button
              key={value}
              type="button"
              onClick={() => setMetric(value)}
              aria-pressed={metric === value}
              className={`rounded-md px-2.5 py-1 ${metric === value ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`}
            >
              {value === "count" ? "Количество" : "Сумма"}
            </button>
          ))}
        </div>
      </div>
      <div className={`mt-3 h-48 ${loading && !stats ? "animate-pulse rounded-lg bg-slate-50" : ""}`}>
        {stats ? (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap="20%">
              <CartesianGrid vertical={false} stroke="#f1f5f9" />
              <XAxis dataKey="day" tickFormatter={formatCalendarDayShort} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#e2e8f0" }} minTickGap={16} />
              <YAxis
                width={metric === "count" ? 36 : 52}
                allowDecimals={false}
                tick={{ fontSize: 11, fill: "#64748b" }}
                tickLine={false}
                axisLine={false}
                tickFormatter={(value: number) => (metric === "count" ? COUNT.format(value) : COMPACT_RUB.format(value / 100))}
              />
              <Tooltip cursor={{ fill: "#f8fafc" }} content={(props) => <ChartTooltip {...props} metric={metric} />} />
              {statuses.map((status) => (
                <Bar key={status} dataKey={status} stackId="volume" fill={STATUS_CHART_COLOR[status]} name={STATUS_LABEL[status]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      {statuses.length > 0 ? (
        <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-600" aria-label="Легенда">
          {statuses.map((status) => (
            <li key={status} className="inline-flex items-center gap-1.5">
              <span aria-hidden className="size-2.5 rounded-sm" style={{ background: STATUS_CHART_COLOR[status] }} />
              {STATUS_LABEL[status]}
            </li>
          ))}
        </ul>
      ) : stats ? (
        <p className="mt-2 text-xs text-slate-500">За этот период выплат нет.</p>
      ) : null}
    </section>
  );
}
