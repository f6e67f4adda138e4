"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ApiError, apiJson } from "@/components/api-client";
import { statusBadgeClass, statusLabel } from "@/lib/format/status";
import { errorMessage } from "@/lib/i18n/errors";
import { formatKopecks } from "@/lib/money";
import type { BatchApprovalResult, BatchView as BatchData } from "@/lib/payouts/batches";
import type { PayoutStatus } from "@/lib/payouts/state-machine";

/**
 * A batch, live: creation progress, each row with its payout's status (the key starts with
 * "payouts", so every portal event refreshes it), the links download and the batch approval.
 */

const ROW_STATUS: Record<string, string> = { pending: "Создаётся", created: "Создана", failed: "Не создана" };

export function BatchView({ batchId, canApprove, canDownload }: { batchId: string; canApprove: boolean; canDownload: boolean }) {
  const query = useQuery({ queryKey: ["payouts", "batch", batchId], queryFn: ({ signal }) => apiJson<BatchData>(`/api/batches/${batchId}`, { signal }) });
  const batch = query.data;
  if (!batch) return <p className="text-sm text-slate-600">{query.isError ? errorMessage(query.error instanceof ApiError ? query.error : { code: "network" }) : "Загрузка…"}</p>;
  const handled = batch.rows.created + batch.rows.failed;
  return (
    <div className="space-y-6" data-testid="batch-view" data-status={batch.status}>
      <section className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-slate-500">Файл</dt>
            <dd>{batch.fileName ?? "Partner API"}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Итого</dt>
            <dd className="font-semibold tabular-nums">{formatKopecks(batch.totalKopecks)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Создано выплат</dt>
            <dd data-testid="batch-created" className="tabular-nums">
              {batch.rows.created} из {batch.rowCount}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Состояние</dt>
            <dd data-testid="batch-status">{batch.status === "completed" ? "Обработан" : `Обрабатывается: ${handled} из ${batch.rowCount}`}</dd>
          </div>
        </dl>
        <progress className="mt-4 h-2 w-full" max={batch.rowCount} value={handled} aria-label="Обработано строк" />
        {batch.rows.failed > 0 && <p className="mt-2 text-sm text-red-800">Не создано: {batch.rows.failed} (причины — в таблице ниже).</p>}
        {batch.skippedRows > 0 && <p className="mt-2 text-sm text-slate-600">Строк с ошибками в файле пропущено: {batch.skippedRows}.</p>}
        <ul className="mt-3 flex flex-wrap gap-2 text-xs" aria-label="Выплаты по статусам">
          {Object.entries(batch.payouts).map(([status, count]) => (
            <li key={status} data-testid={`batch-payouts-${status}`} className={`rounded-full px-2 py-0.5 ${statusBadgeClass(status as PayoutStatus)}`}>
              {statusLabel(status)}: {count}
            </li>
          ))}
        </ul>
        {canDownload && (
          <a href={`/api/batches/${batch.id}/links`} data-testid="batch-links" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
            Скачать ссылки для получателей (CSV)
          </a>
        )}
      </section>

      {canApprove && <BatchApproval batch={batch} />}

      <section aria-labelledby="rows-heading" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="rows-heading" className="mb-3 text-lg font-semibold">
          Строки
        </h2>
        <table className="w-full text-left text-sm" data-testid="batch-rows">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 pr-4 font-medium">Строка</th>
              <th className="py-1 pr-4 font-medium">Получатель</th>
              <th className="py-1 pr-4 font-medium">Референс</th>
              <th className="py-1 pr-4 text-right font-medium">Сумма</th>
              <th className="py-1 font-medium">Выплата</th>
            </tr>
          </thead>
          <tbody>
            {batch.list.map((row) => (
              <tr key={row.line} data-testid="batch-row" data-payout-status={row.payout?.status ?? row.status} className="border-t border-slate-100">
                <td className="py-1 pr-4 tabular-nums">{row.line}</td>
                <td className="py-1 pr-4">{row.recipientName}</td>
                <td className="py-1 pr-4">{row.reference ?? "—"}</td>
                <td className="py-1 pr-4 text-right tabular-nums">{formatKopecks(row.amountKopecks)}</td>
                <td className="py-1">
                  {row.payout ? (
                    <Link href={`/dashboard/payouts/${row.payout.id}`} className="text-brand-700 underline">
                      PR-{String(row.payout.number).padStart(6, "0")} · {statusLabel(row.payout.status)}
                    </Link>
                  ) : row.error ? (
                    <span className="text-red-800">{errorMessage(row.error)}</span>
                  ) : (
                    ROW_STATUS[row.status]
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function BatchApproval({ batch }: { batch: BatchData }) {
  const [typedTotal, setTypedTotal] = useState("");
  const approve = useMutation({
    mutationFn: () => apiJson<BatchApprovalResult>(`/api/batches/${batch.id}/approve`, { method: "POST", body: { typedTotal } }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    approve.mutate();
  };
  const result = approve.data;
  return (
    <section aria-labelledby="approve-heading" className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="approve-heading" className="text-lg font-semibold">
        Одобрить пакет
      </h2>
      <p className="mt-1 text-sm text-slate-600" data-testid="batch-eligible">
        Ждут одобрения: {batch.eligible.count} на {formatKopecks(batch.eligible.totalKopecks)}. Каждая выплата проверяется по правилам согласования отдельно.
      </p>
      {batch.eligible.count > 0 && (
        <form onSubmit={submit} className="mt-3 flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="block font-medium">Введите сумму одобряемых выплат</span>
            <input
              data-testid="approve-typed-total"
              inputMode="decimal"
              autoComplete="off"
              value={typedTotal}
              onChange={(event) => setTypedTotal(event.target.value)}
              className="mt-1 w-56 rounded-lg border border-slate-300 px-3 py-2"
            />
          </label>
          <button
            type="submit"
            data-testid="approve-batch"
            disabled={approve.isPending || typedTotal.trim() === ""}
            className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
          >
            Одобрить {batch.eligible.count}
          </button>
        </form>
      )}
      {approve.error && (
        <p role="alert" className="mt-3 text-sm text-red-800">
          {errorMessage(approve.error instanceof ApiError ? approve.error : { code: "network" })}
        </p>
      )}
      {result && (
        <div className="mt-4 text-sm" data-testid="approve-result">
          <p data-testid="approve-approved">Одобрено: {result.approved.length}</p>
          {result.refused.length > 0 && (
            <>
              <p data-testid="approve-refused">Не одобрено: {result.refused.length}</p>
              <ul className="mt-2 list-disc pl-5">
                {result.refused.map((refusal) => (
                  <li key={refusal.id} data-testid="approve-refusal">
                    PR-{String(refusal.number).padStart(6, "0")}: {errorMessage({ code: refusal.code, params: refusal.params })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
