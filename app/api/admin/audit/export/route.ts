import { route } from "@/lib/http/route";
import { AuditFilterSchema, iterateAuditEvents, type AuditRow } from "@/lib/payouts/audit-log";
import { getPortal } from "@/lib/server/portal";
import { csvStream, moscowTime, text } from "../../../payouts/export/csv";

export const dynamic = "force-dynamic";

const COLUMNS = ["№", "Время (МСК)", "Кто", "ID", "Email", "Действие", "Заявка", "Из статуса", "В статус", "Данные", "Хеш"] as const;

const record = (row: AuditRow): string[] => [
  row.sequence,
  moscowTime(row.at),
  row.actorType,
  text(row.actorId),
  text(row.actorEmail),
  text(row.action),
  row.payoutRequestId ?? "",
  row.fromStatus ?? "",
  row.toStatus ?? "",
  text(row.data === null ? null : JSON.stringify(row.data)),
  row.hash ?? "",
];

/** Admin: the filtered audit log (every page) as CSV, newest first. */
export const GET = route({ auth: "viewAudit", query: AuditFilterSchema }, async ({ query }) => {
  const portal = await getPortal();
  const today = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);
  return new Response(csvStream(COLUMNS, () => iterateAuditEvents(portal.prisma, query), record), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${today}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
