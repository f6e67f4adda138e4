import { can, loadActiveOperator, sessionExpiresAt } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { eventStream } from "@/lib/http/sse";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Live updates for operator dashboards: every payout change, webhook and reconciliation run. */
export const GET = route({ auth: "view" }, async ({ request, operator }) => {
  const portal = await getPortal();
  const settings = env();
  const lastWebhook = await portal.prisma.webhookInbox.findFirst({ where: { verdict: "verified" }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } });
  return eventStream(request, portal.events, {
    hello: { lastBankEventAt: lastWebhook?.receivedAt.toISOString() ?? null, instance: portal.instanceId },
    // A disabled or demoted operator's open dashboard stops receiving at once.
    access: {
      check: async () => {
        const now = await loadActiveOperator(operator.id);
        return now !== null && can(now.role, "view");
      },
      checkMs: settings.operators.eventsRecheckMs,
      changed: (event) => event.type === "operator.updated" && event.operatorId === operator.id,
    },
    cap: { holder: `operator:${operator.id}`, limit: settings.events.maxStreamsPerOperator },
    // The stream outlives no session: at the cookie's expiry it ends (the page re-checks its session).
    endsAt: (await sessionExpiresAt()) ?? undefined,
  });
});
