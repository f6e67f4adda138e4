import { route } from "@/lib/http/route";
import { approvalQueue } from "@/lib/payouts/queue";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Payouts awaiting approval, nearest bank deadline first, with their claims. */
export const GET = route({ auth: "view" }, async () => {
  const portal = await getPortal();
  return Response.json(await approvalQueue(portal.prisma), { headers: { "cache-control": "no-store" } });
});
