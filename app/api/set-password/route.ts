import { setPasswordWithInvite } from "@/lib/auth/operators";
import { SetPasswordSchema } from "@/lib/auth/schemas";
import { clientAddress, createAttemptLimiter } from "@/lib/auth/throttle";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { PayoutError } from "@/lib/payouts/errors";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

let attempt: ((subject: string) => Promise<number | null>) | undefined;

/** Public: an invited operator sets their password with the single-use link (limited per address). */
export const POST = route({ auth: "public", body: SetPasswordSchema }, async ({ request, body }) => {
  const portal = await getPortal();
  const settings = env().signIn;
  attempt ??= createAttemptLimiter(portal.prisma, { prefix: "set-password", points: settings.setPasswordMaxAttemptsPerAddress, durationSeconds: settings.failureWindowSeconds });
  const wait = await attempt(clientAddress(request.headers));
  if (wait !== null) throw new PayoutError("rate_limited", `Too many attempts; try again in ${wait} s`, { params: { retryAfterSeconds: wait } });
  const { email } = await setPasswordWithInvite(portal.prisma, body);
  return { email };
});
