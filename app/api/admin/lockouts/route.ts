import { getSignInThrottle } from "@/lib/auth/options";
import { liftLockout } from "@/lib/auth/operators";
import { LiftLockoutSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Admin: lift a sign-in lockout of an account (email) or a client address. */
export const POST = route({ auth: "manageOperators", body: LiftLockoutSchema }, async ({ body, operator }) => {
  const portal = await getPortal();
  const lifted = await liftLockout(portal.prisma, await getSignInThrottle(), { ...body, actor: { type: "operator", id: operator.id } });
  return { lifted };
});
