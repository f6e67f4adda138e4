import { z } from "zod";
import { rejectControlCharacters } from "@/lib/validation/ru-banking";
import { route } from "@/lib/http/route";
import { cancelPayout } from "@/lib/payouts/decisions";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
const body = z.object({ reason: z.string().trim().min(3, "must be at least 3 characters").max(500, "must be at most 500 characters").superRefine(rejectControlCharacters) });

/** Cancel with a required reason → session/cancel (with confirm_information for escrow). */
export const POST = route({ auth: "approve", params, body }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  return cancelPayout(portal, { payoutRequestId: params.id, actor: { type: "operator", id: operator.id }, reason: body.reason });
});
