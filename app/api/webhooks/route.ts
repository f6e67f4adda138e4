import { z } from "zod";
import { route } from "@/lib/http/route";
import { listWebhookDeliveries } from "@/lib/payouts/detail";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const query = z.object({
  verdict: z.enum(["verified", "rejected"]).optional(),
  cursor: z.uuid("is not a valid cursor").optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** The webhook inbox for operators, newest first: `?verdict=verified|rejected&cursor=<nextCursor>`. */
export const GET = route({ auth: "view", query }, async ({ query }) => {
  const portal = await getPortal();
  return Response.json(await listWebhookDeliveries(portal.prisma, query), { headers: { "cache-control": "no-store" } });
});
