import { z } from "zod";
import { route } from "@/lib/http/route";
import { claimPayout } from "@/lib/payouts/claims";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** «Взять в работу»: claim the payout (or extend one's own claim); 409 claimed_by_other while someone else holds it. */
export const POST = route({ auth: "approve", params }, async ({ params, operator }) => {
  const portal = await getPortal();
  return { claim: await claimPayout(portal, { payoutRequestId: params.id, actor: { type: "operator", id: operator.id } }) };
});
