import { route } from "@/lib/http/route";
import { AuditPageQuerySchema, listAuditEvents } from "@/lib/payouts/audit-log";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Admin: one page of the audit log, newest first (`before` = the id of the last event of the previous page). */
export const GET = route({ auth: "viewAudit", query: AuditPageQuerySchema }, async ({ query }) => {
  const portal = await getPortal();
  const { before, ...filter } = query;
  return listAuditEvents(portal.prisma, filter, { before });
});
