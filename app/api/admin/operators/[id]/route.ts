import { z } from "zod";
import { changeOperatorRole, setApprovalLimits, setOperatorDisabled } from "@/lib/auth/operators";
import { OperatorChangeSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid({ error: "must be an operator id" }) });

/**
 * Admin: change an operator's role (`{ role }`), access (`{ disabled }`) or approval limits
 * (`{ limits: { dailyKopecks, payoutKopecks } }`, null = no limit); takes effect on their next request.
 */
export const POST = route({ auth: "manageOperators", params, body: OperatorChangeSchema }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  const actor = { type: "operator" as const, id: operator.id };
  if ("role" in body) await changeOperatorRole(portal, { operatorId: params.id, role: body.role, actor });
  else if ("limits" in body) await setApprovalLimits(portal, { operatorId: params.id, limits: body.limits, actor });
  else await setOperatorDisabled(portal, { operatorId: params.id, disabled: body.disabled, actor });
  return { ok: true };
});
