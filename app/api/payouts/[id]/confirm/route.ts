import { z } from "zod";
import { route } from "@/lib/http/route";
import { approvePayout } from "@/lib/payouts/decisions";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** Approve → session/confirm. Concurrent clicks: exactly one confirm reaches the bank, the rest get 409. */
export const POST = route({ auth: "approve", params }, async ({ params, operator }) => {
  const portal = await getPortal();
  return approvePayout(portal, { payoutRequestId: params.id, actor: { type: "operator", id: operator.id } });
});
