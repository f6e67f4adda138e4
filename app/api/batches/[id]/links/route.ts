import { z } from "zod";
import { route } from "@/lib/http/route";
import { batchLinksCsv } from "@/lib/payouts/batches";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** The batch's usable recipient links as CSV (bearer credentials: audited, never cached). */
export const GET = route({ auth: "createPayout", params }, async ({ params, operator }) => {
  const portal = await getPortal();
  const csv = await batchLinksCsv(portal, params.id, { type: "operator", id: operator.id });
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="batch-${params.id}-links.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
