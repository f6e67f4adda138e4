import { route } from "@/lib/http/route";
import { createEndpoint, CreateEndpointSchema, listEndpoints } from "@/lib/payouts/partner-webhooks/endpoints";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Admin: the partner's webhook endpoints (never their secrets). */
export const GET = route({ auth: "administer" }, async () => {
  const portal = await getPortal();
  return { endpoints: await listEndpoints(portal.prisma) };
});

/** Admin: register an endpoint; the answer is the only place its signing secret ever appears. */
export const POST = route({ auth: "administer", body: CreateEndpointSchema }, async ({ body, operator }) => {
  const portal = await getPortal();
  const created = await createEndpoint(portal.prisma, portal.partnerWebhookEndpoints, body, { type: "operator", id: operator.id });
  return Response.json({ endpoint: created.endpoint, secret: created.secret }, { status: 201, headers: { "cache-control": "no-store" } });
});
