import { z } from "zod";
import { route } from "@/lib/http/route";
import {
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  resendDelivery,
  rotateEndpointSecret,
  updateEndpoint,
  UpdateEndpointSchema,
} from "@/lib/payouts/partner-webhooks/endpoints";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ endpointId: z.string().max(64) });

/** Admin: one endpoint and its delivery log (newest first, each delivery with its attempts). */
export const GET = route({ auth: "administer", params }, async ({ params }) => {
  const portal = await getPortal();
  return { endpoint: await getEndpoint(portal.prisma, params.endpointId), deliveries: await listDeliveries(portal.prisma, params.endpointId) };
});

/** Admin: change the URL, event types or description, or pause/resume (`{"paused": true}`). */
export const PATCH = route({ auth: "administer", params, body: UpdateEndpointSchema }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  return { endpoint: await updateEndpoint(portal.prisma, portal.partnerWebhookEndpoints, params.endpointId, body, { type: "operator", id: operator.id }) };
});

const action = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("rotate_secret") }),
  z.strictObject({ action: z.literal("resend"), delivery_id: z.string().max(64) }),
]);

/** Admin: rotate the signing secret (the new one is in this answer only), or resend one delivery now. */
export const POST = route({ auth: "administer", params, body: action }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  const actor = { type: "operator", id: operator.id } as const;
  if (body.action === "resend") {
    await resendDelivery(portal.prisma, params.endpointId, body.delivery_id, actor);
    return { resent: body.delivery_id };
  }
  const rotated = await rotateEndpointSecret(portal.prisma, portal.partnerWebhookEndpoints, params.endpointId, actor);
  return Response.json(rotated, { headers: { "cache-control": "no-store" } });
});

/** Admin: delete the endpoint and its pending deliveries. */
export const DELETE = route({ auth: "administer", params }, async ({ params, operator }) => {
  const portal = await getPortal();
  await deleteEndpoint(portal.prisma, params.endpointId, { type: "operator", id: operator.id });
  return { deleted: params.endpointId };
});
