import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { can, currentOperator } from "@/lib/auth/session";
import { AuditPageQuerySchema, listAuditEvents } from "@/lib/payouts/audit-log";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Журнал аудита" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const ACTOR_LABEL = { operator: "Оператор", recipient: "Получатель", bank: "Банк", system: "Система", partner_api: "API партнёра" } as const;

const field = "mt-1 rounded-lg border border-slate-300 px-2 py-1.5";
const dateTime = (iso: string) => new Date(iso).toLocaleString("ru-RU", { timeZone: "Europe/Moscow" });
/** Hashes are long and not for reading: prefix…suffix. */
const shortHash = (hash: string | null) => (hash ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : "—");

/** Admin: the tamper-evident audit log, filtered, newest first, with a CSV export of the filtered log. */
export default async function AuditPage({ searchParams }: Props) {
  const operator = await currentOperator();
  if (!operator || !can(operator.role, "viewAudit")) notFound();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
  const parsed = AuditPageQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : {};
  const { before, ...filter } = query as typeof query & { before?: bigint };
  const portal = await getPortal();
  const [page, operators] = await Promise.all([
    listAuditEvents(portal.prisma, filter, { before }),
    portal.prisma.operator.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true } }),
  ]);
  const filterParams = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]));
  const nextParams = new URLSearchParams(filterParams);
  if (page.nextBefore) nextParams.set("before", page.nextBefore);

  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading" className="text-2xl font-semibold tracking-tight">Журнал аудита</h1>
      <p className="mt-1 text-sm text-slate-500">
        Записи только добавляются; каждая хранит хеш предыдущей. Целостность цепочки проверяет <code>npm run audit:verify</code>.
      </p>
      {!parsed.success ? (
        <p role="alert" className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          Фильтр «{parsed.error.issues[0]?.path.join(".")}» указан неверно и не применён.
        </p>
      ) : null}
      <form method="get" className="mt-4 flex flex-wrap items-end gap-3 text-sm">
        <label>
          <span className="block font-medium text-slate-700">Кто</span>
          <select name="actorType" defaultValue={filter.actorType ?? ""} className={field}>
            <option value="">Все</option>
            {Object.entries(ACTOR_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="block font-medium text-slate-700">Оператор</span>
          <select name="actorId" defaultValue={filter.actorId ?? ""} className={field}>
            <option value="">Любой</option>
            {operators.map((item) => (
              <option key={item.id} value={item.id}>
                {item.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="block font-medium text-slate-700">Действие</span>
          <input name="action" defaultValue={filter.action ?? ""} placeholder="operator. или payout.created" className={field} />
        </label>
        <label>
          <span className="block font-medium text-slate-700">ID заявки</span>
          <input name="payoutRequestId" defaultValue={filter.payoutRequestId ?? ""} className={`${field} w-80 font-mono`} />
        </label>
        <label>
          <span className="block font-medium text-slate-700">С (МСК)</span>
          <input type="date" name="from" defaultValue={filter.from ?? ""} className={field} />
        </label>
        <label>
          <span className="block font-medium text-slate-700">По (МСК)</span>
          <input type="date" name="to" defaultValue={filter.to ?? ""} className={field} />
        </label>
        <button type="submit" className="rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Показать
        </button>
        <a href={`/api/admin/audit/export?${filterParams}`} className="rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50" download>
          Экспорт CSV
        </a>
      </form>

      <table className="mt-4 w-full border-collapse text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500">
          <tr>
            <th className="py-2 pr-3 font-medium">№</th>
            <th className="py-2 pr-3 font-medium">Время (МСК)</th>
            <th className="py-2 pr-3 font-medium">Кто</th>
            <th className="py-2 pr-3 font-medium">Действие</th>
            <th className="py-2 pr-3 font-medium">Заявка</th>
            <th className="py-2 pr-3 font-medium">Статус</th>
            <th className="py-2 font-medium">Хеш</th>
          </tr>
        </thead>
        <tbody>
          {page.rows.map((row) => (
            <tr key={row.id} className="border-b border-slate-100 align-top" data-testid="audit-row">
              <td className="py-1.5 pr-3 tabular-nums">{row.sequence ?? <span title="Событие записано; звено цепочки появится через мгновение">…</span>}</td>
              <td className="py-1.5 pr-3 whitespace-nowrap">{dateTime(row.at)}</td>
              <td className="py-1.5 pr-3">{row.actorEmail ?? ACTOR_LABEL[row.actorType]}</td>
              <td className="py-1.5 pr-3 font-mono text-xs">{row.action}</td>
              <td className="py-1.5 pr-3">
                {row.payoutRequestId ? (
                  <Link href={`/dashboard/payouts/${row.payoutRequestId}`} className="text-brand-700 underline">
                    {row.payoutRequestId.slice(0, 8)}…
                  </Link>
                ) : (
                  "—"
                )}
              </td>
              <td className="py-1.5 pr-3 text-xs">{row.fromStatus || row.toStatus ? `${row.fromStatus ?? "—"} → ${row.toStatus ?? "—"}` : "—"}</td>
              <td className="py-1.5 font-mono text-xs" title={row.hash ?? undefined}>{shortHash(row.hash)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.rows.length === 0 ? <p className="mt-4 text-sm text-slate-500">Записей нет.</p> : null}
      <nav aria-label="Страницы журнала" className="mt-4 flex gap-3 text-sm">
        {before ? <Link href={`/dashboard/audit?${filterParams}`} className="text-brand-700 underline">К новым</Link> : null}
        {page.nextBefore ? <Link href={`/dashboard/audit?${nextParams}`} className="text-brand-700 underline">Дальше</Link> : null}
      </nav>
    </section>
  );
}
