import { changeOwnPassword } from "@/lib/auth/operators";
import { ChangePasswordSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Any operator: change their own password (the current one is required). */
export const POST = route({ auth: "changeOwnPassword", body: ChangePasswordSchema }, async ({ body, operator }) => {
  const portal = await getPortal();
  await changeOwnPassword(portal.prisma, { operatorId: operator.id, ...body });
  return { ok: true };
});
