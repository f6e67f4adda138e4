import { route } from "@/lib/http/route";
import { csvFileName, payoutsCsvStream } from "@/lib/payouts/export-csv";
import { filtersFromQuery, PayoutExportQuerySchema } from "@/lib/payouts/list-query";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** The filtered sessions list (every page) as a CSV download, in the list's sort order. */
export const GET = route({ auth: "view", query: PayoutExportQuerySchema }, async ({ query }) => {
  const portal = await getPortal();
  return new Response(payoutsCsvStream(portal.prisma, filtersFromQuery(query), { sort: query.sort, dir: query.dir }), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csvFileName()}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
