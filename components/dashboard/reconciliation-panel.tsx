"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { fetchJson, queryKeys, type ReconciliationResponse, type RunReconciliationResponse } from "./api";
import { formatDateTimeSeconds } from "@/lib/format/time";

const ACTION_LABEL: Record<string, string> = {
  start_replayed: "Повтор старта",
  status_applied: "Статус из банка",
  decision_resent: "Повтор решения",
  error: "Ошибка",
};

function Stat({ label, value, tone = "text-slate-900", testId }: { label: string; value: number; tone?: string; testId: string }) {
  return (
    <div className="rounded-lg bg-slate-50 px-2 py-1.5 text-center">
      <div className={`text-lg font-semibold tabular-nums ${tone}`} data-testid={testId}>
        {value}
      </div>
      <div className="text-[11px] text-slate-500">{label}</div>
    </div>
  );
}

/** Last reconciliation pass (live: refreshed on `reconciliation.ran`), its findings, and a run button for admins. */
export function ReconciliationPanel({ canRun }: { canRun: boolean }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const query = useQuery({
    queryKey: queryKeys.reconciliation(),
    queryFn: () => fetchJson<ReconciliationResponse>("/api/reconciliation"),
  });
  const run = useMutation({
    mutationFn: () => fetchJson<RunReconciliationResponse>("/api/reconciliation/run", { method: "POST" }),
    onSuccess: (result) => {
      setMessage(result.skipped ? "Сверка уже идёт на другом экземпляре портала." : `Готово: проверено ${result.report.checked}, изменено ${result.report.changed}, ошибок ${result.report.errors}.`);
      void queryClient.invalidateQueries({ queryKey: queryKeys.reconciliation() });
      void queryClient.invalidateQueries({ queryKey: ["payouts"] });
    },
    onError: (error) => setMessage(error instanceof Error ? error.message : "Не удалось запустить сверку."),
  });

  const last = query.data?.last ?? null;
  const findings = last?.findings ?? [];

  return (
    <section className="flex flex-col rounded-xl border border-slate-200 bg-white p-4" aria-labelledby="reconciliation-heading" data-testid="reconciliation-panel">
      <div className="flex items-start gap-3">
        <div className="min-w-0">
          <h2 id="reconciliation-heading" className="text-sm font-semibold text-slate-900">
            Сверка с банком
          </h2>
          <p className="text-xs text-slate-500" data-testid="reconciliation-last-run">
            {query.isPending
              ? "Загрузка…"
              : query.isError
                ? "Не удалось загрузить"
                : last
                  ? `Последняя: ${formatDateTimeSeconds(last.startedAt)}${last.finishedAt ? "" : " (идёт…)"}`
                  : "Ещё не запускалась"}
          </p>
        </div>
        {canRun ? (
          <button
            type="button"
            onClick={() => {
              setMessage(null);
              run.mutate();
            }}
            disabled={run.isPending}
            className="ml-auto whitespace-nowrap rounded-lg bg-brand-600 px-3 py-1.5 text-xs font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            data-testid="reconciliation-run"
          >
            {run.isPending ? "Идёт сверка…" : "Запустить сейчас"}
          </button>
        ) : null}
      </div>

      {last ? (
        <div className="mt-3 grid grid-cols-3 gap-2">
          <Stat label="проверено" value={last.checked} testId="reconciliation-checked" />
          <Stat label="изменено" value={last.changed} tone={last.changed > 0 ? "text-sky-700" : "text-slate-900"} testId="reconciliation-changed" />
          <Stat label="ошибок" value={last.errors} tone={last.errors > 0 ? "text-red-700" : "text-slate-900"} testId="reconciliation-errors" />
        </div>
      ) : null}

      {!last && !query.isPending ? (
        <p className="mt-3 text-xs leading-relaxed text-slate-500">
          Портал сам опрашивает банк (session/status) по выплатам, которые давно не меняли статус, и применяет ответ — на случай
          потерянных вебхуков и оборвавшихся запросов.
        </p>
      ) : null}

      {message ? (
        <p className="mt-2 text-xs text-slate-600" role="status" data-testid="reconciliation-message">
          {message}
        </p>
      ) : null}

      {last ? (
        <details className="group mt-3 text-xs" data-testid="reconciliation-findings">
          <summary className="cursor-pointer select-none font-medium text-slate-700 hover:text-slate-900">
            Находки: {findings.length}
            {query.data && query.data.recent.length > 1 ? <span className="font-normal text-slate-500"> · последние запуски: {query.data.recent.length}</span> : null}
          </summary>
          {findings.length === 0 ? (
            <p className="mt-2 text-slate-500">Расхождений не найдено.</p>
          ) : (
            <ul className="mt-2 max-h-48 space-y-1 overflow-y-auto pr-1">
              {findings.map((finding, index) => (
                <li key={`${finding.payoutRequestId}-${index}`} className="flex gap-2 rounded-md bg-slate-50 px-2 py-1">
                  <span className={`shrink-0 font-medium ${finding.action === "error" ? "text-red-700" : "text-slate-700"}`}>{ACTION_LABEL[finding.action] ?? finding.action}</span>
                  <span className="min-w-0 flex-1 truncate text-slate-600" title={finding.effect}>
                    {finding.effect}
                  </span>
                  <Link href={`/dashboard/payouts/${finding.payoutRequestId}`} className="shrink-0 text-brand-700 hover:underline">
                    заявка
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {query.data && query.data.recent.length > 1 ? (
            <ol className="mt-2 space-y-0.5 text-slate-500">
              {query.data.recent.slice(1, 6).map((runView) => (
                <li key={runView.id} className="flex gap-2 tabular-nums">
                  <span>{formatDateTimeSeconds(runView.startedAt)}</span>
                  <span className="ml-auto">
                    {runView.checked} / {runView.changed} / <span className={runView.errors ? "text-red-700" : ""}>{runView.errors}</span>
                  </span>
                </li>
              ))}
            </ol>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}
