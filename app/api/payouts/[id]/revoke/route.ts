import { z } from "zod";
import { route } from "@/lib/http/route";
import { ReasonSchema } from "@/lib/payouts/schemas";
import { revokeLink } from "@/lib/payouts/requests";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
const body = z.object({ reason: ReasonSchema });

export const POST = route({ auth: "createPayout", params, body }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  await revokeLink(portal, params.id, { type: "operator", id: operator.id }, body.reason);
  return { ok: true };
});
