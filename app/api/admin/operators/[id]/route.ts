import { z } from "zod";
import { changeOperatorRole, setOperatorDisabled } from "@/lib/auth/operators";
import { OperatorChangeSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid({ error: "must be an operator id" }) });

/** Admin: change an operator's role (`{ role }`) or access (`{ disabled }`); takes effect on their next request. */
export const POST = route({ auth: "manageOperators", params, body: OperatorChangeSchema }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  const actor = { type: "operator" as const, id: operator.id };
  if ("role" in body) await changeOperatorRole(portal, { operatorId: params.id, role: body.role, actor });
  else await setOperatorDisabled(portal, { operatorId: params.id, disabled: body.disabled, actor });
  return { ok: true };
});
