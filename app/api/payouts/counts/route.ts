import { route } from "@/lib/http/route";
import { countByStatus } from "@/lib/payouts/list";
import { getPortal } from "@/lib/server/portal";
import { aggregatesCache } from "../aggregates-cache";
import { filtersFromQuery, PayoutFilterQuerySchema } from "../list-query";

export const dynamic = "force-dynamic";

/** Rows per status for the dashboard tabs, under every filter but `status` (which is ignored). */
export const GET = route({ auth: "view", query: PayoutFilterQuerySchema }, async ({ query }) => {
  const portal = await getPortal();
  const { status: _status, ...filters } = filtersFromQuery(query);
  const cached = await aggregatesCache();
  const counts = await cached(`counts:${JSON.stringify(filters)}`, () => countByStatus(portal.prisma, filters));
  return { counts };
});
