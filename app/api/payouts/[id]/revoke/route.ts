import { z } from "zod";
import { rejectControlCharacters } from "@/lib/validation/ru-banking";
import { route } from "@/lib/http/route";
import { revokeLink } from "@/lib/payouts/requests";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
const body = z.object({ reason: z.string().trim().min(3, "must be at least 3 characters").max(500).superRefine(rejectControlCharacters) });

export const POST = route({ auth: "createPayout", params, body }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  await revokeLink(portal, params.id, { type: "operator", id: operator.id }, body.reason);
  return { ok: true };
});
