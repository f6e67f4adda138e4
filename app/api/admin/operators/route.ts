import { getSignInThrottle } from "@/lib/auth/options";
import { activeLockouts, inviteOperator, listOperators } from "@/lib/auth/operators";
import { InviteSchema } from "@/lib/auth/schemas";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Admin: operators and the sign-in lockouts in force. */
export const GET = route({ auth: "manageOperators" }, async () => {
  const portal = await getPortal();
  const [operators, lockouts] = await Promise.all([
    listOperators(portal.prisma),
    activeLockouts(portal.prisma, await getSignInThrottle(), env().signIn.lockoutSeconds),
  ]);
  return { operators, lockouts };
});

/** Admin: invite an operator. The set-password link is in this answer only (its token is stored hashed). */
export const POST = route({ auth: "manageOperators", body: InviteSchema }, async ({ body, operator }) => {
  const portal = await getPortal();
  const settings = env();
  const invited = await inviteOperator(portal, {
    ...body,
    actor: { type: "operator", id: operator.id },
    ttlHours: settings.operators.inviteTtlHours,
    publicBaseUrl: settings.publicBaseUrl,
  });
  return Response.json(
    { operator: invited.operator, link: { url: invited.link.url, expiresAt: invited.link.expiresAt.toISOString() } },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
