import { z } from "zod";
import { route } from "@/lib/http/route";
import { PAYOUT_SORT_KEYS } from "@/lib/payouts/list";
import { getPortal } from "@/lib/server/portal";
import { filtersFromQuery, PayoutFilterQuerySchema } from "../list-query";
import { payoutsCsvStream } from "./csv";

export const dynamic = "force-dynamic";

const ExportQuerySchema = z.intersection(
  PayoutFilterQuerySchema,
  z.object({
    sort: z.preprocess((value) => (value === "" ? undefined : value), z.enum(PAYOUT_SORT_KEYS).optional()),
    dir: z.preprocess((value) => (value === "" ? undefined : value), z.enum(["asc", "desc"]).optional()),
  }),
);

/** The filtered sessions list (every page) as a CSV download, in the list's sort order. */
export const GET = route({ auth: "view", query: ExportQuerySchema }, async ({ query }) => {
  const portal = await getPortal();
  const today = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);
  return new Response(payoutsCsvStream(portal.prisma, filtersFromQuery(query), { sort: query.sort, dir: query.dir }), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="payouts-${today}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
