import { z } from "zod";
import { route } from "@/lib/http/route";
import { releaseClaim } from "@/lib/payouts/claims";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** «Отпустить»: the holder releases their own claim; 409 claim_not_held otherwise. */
export const POST = route({ auth: "approve", params }, async ({ params, operator }) => {
  const portal = await getPortal();
  await releaseClaim(portal, { payoutRequestId: params.id, actor: { type: "operator", id: operator.id } });
  return { claim: null };
});
