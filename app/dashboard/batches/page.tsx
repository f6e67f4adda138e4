import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { can, currentOperator } from "@/lib/auth/session";
import { formatBatchNumber } from "@/lib/format/numbers";
import { formatMoscowTimestamp } from "@/lib/format/time";
import { formatKopecks } from "@/lib/money";
import { listBatches } from "@/lib/payouts/batches";
import { getPortal } from "@/lib/server/portal";

export const metadata: Metadata = { title: "Пакеты выплат" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// `?before=<number>`: the next page after the batch with that number; anything else is the first page.
const BeforeSchema = z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined);

/** Every bulk payout batch, newest first: where it came from, its progress and total, a link to its page. */
export default async function BatchesPage({ searchParams }: Props) {
  const operator = await currentOperator();
  if (!operator) redirect("/login?callbackUrl=/dashboard/batches");
  const { before } = await searchParams;
  const beforeNumber = BeforeSchema.parse(typeof before === "string" ? before : undefined);
  const portal = await getPortal();
  const { batches, nextBeforeNumber } = await listBatches(portal, { beforeNumber });
  return (
    <section aria-labelledby="batches-heading" className="mx-auto max-w-5xl">
      <div className="mb-6 flex items-center justify-between gap-4">
        <h1 id="batches-heading" className="text-2xl font-semibold tracking-tight">
          Пакеты выплат
        </h1>
        {can(operator.role, "createPayout") ? (
          <Link href="/dashboard/batches/new" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
            Загрузить файл
          </Link>
        ) : null}
      </div>
      {batches.length === 0 ? (
        <p data-testid="batches-empty" className="rounded-2xl border border-slate-200 bg-white px-6 py-10 text-center text-sm shadow-sm">
          {beforeNumber ? "Более ранних пакетов нет." : "Пакетов пока нет: загрузите CSV-файл с выплатами или отправьте их через API."}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Пакеты выплат, сначала новые</caption>
            <thead className="border-b border-slate-200 text-xs text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Пакет</th>
                <th scope="col" className="px-4 py-2 font-medium">Создан (МСК)</th>
                <th scope="col" className="px-4 py-2 font-medium">Источник</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Строк</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Сумма</th>
                <th scope="col" className="px-4 py-2 font-medium">Состояние</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr key={batch.id} data-testid="batch-list-row" className="border-b border-slate-100 last:border-0">
                  <td className="px-4 py-2">
                    <Link href={`/dashboard/batches/${batch.id}`} className="font-medium text-brand-700 hover:underline">
                      {formatBatchNumber(batch.number)}
                    </Link>
                    {batch.fileName ? <div className="text-xs text-slate-500">{batch.fileName}</div> : null}
                  </td>
                  <td className="px-4 py-2 tabular-nums">{formatMoscowTimestamp(batch.createdAt)}</td>
                  <td className="px-4 py-2">
                    {batch.source ? (batch.source.kind === "operator" ? batch.source.name : `API: ${batch.source.name}`) : "—"}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {batch.rowCount}
                    {batch.skippedRows > 0 ? <div className="text-xs text-slate-500">пропущено при загрузке: {batch.skippedRows}</div> : null}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatKopecks(batch.totalKopecks)}</td>
                  <td className="px-4 py-2" data-testid="batch-list-status">
                    {batch.status === "completed"
                      ? `Обработан: создано ${batch.rows.created}${batch.rows.failed > 0 ? `, с ошибкой ${batch.rows.failed}` : ""}`
                      : `Обрабатывается: ${batch.rows.created + batch.rows.failed} из ${batch.rowCount}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBeforeNumber ? (
        <p className="mt-4 text-sm">
          <Link href={`/dashboard/batches?before=${nextBeforeNumber}`} className="text-brand-700 hover:underline">
            Более ранние пакеты →
          </Link>
        </p>
      ) : null}
    </section>
  );
}
