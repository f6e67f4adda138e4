import { route } from "@/lib/http/route";
import { chartRange, CHART_TIME_ZONE, payoutVolumeByDay } from "@/lib/payouts/list";
import { getPortal } from "@/lib/server/portal";
import { aggregatesCache } from "../aggregates-cache";
import { filtersFromQuery, PayoutFilterQuerySchema } from "../list-query";

export const dynamic = "force-dynamic";

/** Payout volume per Moscow day and status (the dashboard chart), for the same filters as the list. */
export const GET = route({ auth: "view", query: PayoutFilterQuerySchema }, async ({ query }) => {
  const portal = await getPortal();
  const filters = filtersFromQuery(query);
  const now = new Date();
  const range = chartRange(filters, now);
  const cached = await aggregatesCache();
  const buckets = await cached(`stats:${JSON.stringify(range)}:${JSON.stringify(filters)}`, () => payoutVolumeByDay(portal.prisma, filters, now));
  return { from: range.from.toISOString(), to: range.to.toISOString(), timeZone: CHART_TIME_ZONE, buckets };
});
