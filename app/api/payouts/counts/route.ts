import { route } from "@/lib/http/route";
import { cachedStatusCounts } from "@/lib/payouts/aggregates-cache";
import { filtersFromQuery, PayoutFilterQuerySchema } from "@/lib/payouts/list-query";
import { aggregatesCache } from "@/lib/server/aggregates-cache";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Rows per status for the dashboard tabs, under every filter but `status` (which is ignored). */
export const GET = route({ auth: "view", query: PayoutFilterQuerySchema }, async ({ query }) => {
  const portal = await getPortal();
  return { counts: await cachedStatusCounts(portal.prisma, await aggregatesCache(), filtersFromQuery(query)) };
});
