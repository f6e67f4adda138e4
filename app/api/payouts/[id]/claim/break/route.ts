import { z } from "zod";
import { route } from "@/lib/http/route";
import { breakClaim } from "@/lib/payouts/claims";
import { ReasonSchema } from "@/lib/payouts/schemas";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
const body = z.object({ reason: ReasonSchema });

/** «Снять захват»: an admin lifts anyone's claim, with a reason kept in the audit trail. */
export const POST = route({ auth: "administer", params, body }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  await breakClaim(portal, { payoutRequestId: params.id, actor: { type: "operator", id: operator.id }, reason: body.reason });
  return { claim: null };
});
