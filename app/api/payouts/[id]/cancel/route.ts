import { z } from "zod";
import { route } from "@/lib/http/route";
import { ReasonSchema } from "@/lib/payouts/schemas";
import { cancelPayout } from "@/lib/payouts/decisions";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
const body = z.object({ reason: ReasonSchema });

/** Cancel with a required reason → session/cancel (with confirm_information for escrow). */
export const POST = route({ auth: "approve", params, body }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  return cancelPayout(portal, { payoutRequestId: params.id, actor: { type: "operator", id: operator.id }, reason: body.reason });
});
