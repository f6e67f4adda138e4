import { z } from "zod";
import { notFound } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { getPayoutDetail } from "@/lib/payouts/detail";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** One payout for operators: request, bank session, bank payouts and the merged timeline. */
export const GET = route({ auth: "view", params }, async ({ params }) => {
  const portal = await getPortal();
  const detail = await getPayoutDetail(portal.prisma, params.id, portal.settings);
  if (!detail) throw notFound("Payout request not found");
  return Response.json(detail, { headers: { "cache-control": "no-store" } });
});
