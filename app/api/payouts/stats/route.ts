import { route } from "@/lib/http/route";
import { cachedVolumeStats } from "@/lib/payouts/aggregates-cache";
import { filtersFromQuery, PayoutFilterQuerySchema } from "@/lib/payouts/list-query";
import { aggregatesCache } from "@/lib/server/aggregates-cache";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Payout volume per Moscow day and status (the dashboard chart), for the same filters as the list. */
export const GET = route({ auth: "view", query: PayoutFilterQuerySchema }, async ({ query }) => {
  const portal = await getPortal();
  return cachedVolumeStats(portal.prisma, await aggregatesCache(), filtersFromQuery(query));
});
