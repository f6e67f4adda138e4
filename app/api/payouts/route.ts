import { route } from "@/lib/http/route";
import { listPayouts } from "@/lib/payouts/list";
import { filtersFromQuery, PayoutListQuerySchema } from "@/lib/payouts/list-query";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";
import { getPortal } from "@/lib/server/portal";
import { toSafeKopecks } from "@/lib/money";

export const dynamic = "force-dynamic";

/** An operator creates a payout request; the answer carries the recipient link (shown once). */
export const POST = route({ auth: "createPayout", body: CreatePayoutRequestSchema }, async ({ body, operator }) => {
  const portal = await getPortal();
  const created = await createPayoutRequest(portal, body, { type: "operator", id: operator.id });
  const request = await portal.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.request.id } });
  return Response.json(
    {
      id: request.id,
      number: request.number,
      status: request.status,
      amountKopecks: toSafeKopecks(request.amountKopecks),
      link: { url: created.link.url, expiresAt: created.link.expiresAt.toISOString() },
      start: created.start ?? null,
    },
    { status: 201 },
  );
});

/** The operators' sessions list: filters, search, sorting, keyset pages (see lib/payouts/list.ts). */
export const GET = route({ auth: "view", query: PayoutListQuerySchema }, async ({ query }) => {
  const portal = await getPortal();
  return listPayouts(portal.prisma, filtersFromQuery(query), { sort: query.sort, dir: query.dir, cursor: query.cursor, limit: query.limit });
});
