import { route } from "@/lib/http/route";
import { auditCsvFileName, auditCsvStream, AuditFilterSchema } from "@/lib/payouts/audit-log";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Admin: the filtered audit log (every page) as CSV, newest first. */
export const GET = route({ auth: "viewAudit", query: AuditFilterSchema }, async ({ query }) => {
  const portal = await getPortal();
  return new Response(auditCsvStream(portal.prisma, query), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${auditCsvFileName()}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
