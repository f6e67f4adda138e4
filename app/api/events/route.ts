import { can, loadActiveOperator } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { eventStream } from "@/lib/http/sse";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Live updates for operator dashboards: every payout change, webhook and reconciliation run. */
export const GET = route({ auth: "view" }, async ({ request, operator }) => {
  const portal = await getPortal();
  const lastWebhook = await portal.prisma.webhookInbox.findFirst({ where: { verdict: "verified" }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } });
  return eventStream(request, portal.events, {
    hello: { lastBankEventAt: lastWebhook?.receivedAt.toISOString() ?? null, instance: portal.instanceId },
    // A disabled or demoted operator's open dashboard stops receiving at once.
    access: {
      check: async () => {
        const now = await loadActiveOperator(operator.id);
        return now !== null && can(now.role, "view");
      },
      checkMs: env().operators.eventsRecheckMs,
      changed: (event) => event.type === "operator.updated" && event.operatorId === operator.id,
    },
  });
});
