import { route } from "@/lib/http/route";
import { eventStream } from "@/lib/http/sse";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Live updates for operator dashboards: every payout change, webhook and reconciliation run. */
export const GET = route({ auth: "view" }, async ({ request }) => {
  const portal = await getPortal();
  const lastWebhook = await portal.prisma.webhookInbox.findFirst({ where: { verdict: "verified" }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } });
  return eventStream(request, portal.events, { hello: { lastBankEventAt: lastWebhook?.receivedAt.toISOString() ?? null, instance: portal.instanceId } });
});
