import { z } from "zod";
import { PARTNER_INTERNAL_ERROR_MESSAGE } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { partnerEndpoint, partnerJson, readPartnerJson } from "@/lib/partner-api/http";
import { authenticatePartnerWithinLimits } from "@/lib/partner-api/service";
import { clientAddress } from "@/lib/auth/throttle";
import { deleteEndpoint, getEndpoint, updateEndpoint, UpdateEndpointSchema } from "@/lib/payouts/partner-webhooks/endpoints";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ endpointId: z.string().max(64) });

/** Partner API: one webhook endpoint. */
export const GET = partnerEndpoint(
  route({ auth: "public", internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE, params }, async ({ request, params }) => {
    const portal = await getPortal();
    await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    return partnerJson({ endpoint: await getEndpoint(portal.prisma, params.endpointId) });
  }),
);

/** Partner API: change `url`, `event_types`, `description`, or pause/resume with `paused`. */
export const PATCH = partnerEndpoint(
  route({ auth: "public", allowCrossSite: true, internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE, params }, async ({ request, params }) => {
    const portal = await getPortal();
    const principal = await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    const patch = await readPartnerJson(request, UpdateEndpointSchema);
    const endpoint = await updateEndpoint(portal.prisma, portal.partnerWebhookEndpoints, params.endpointId, patch, { type: "partner_api", id: principal.apiKeyId });
    return partnerJson({ endpoint });
  }),
);

/** Partner API: delete the endpoint (its undelivered events are dropped). */
export const DELETE = partnerEndpoint(
  route({ auth: "public", allowCrossSite: true, internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE, params }, async ({ request, params }) => {
    const portal = await getPortal();
    const principal = await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    await deleteEndpoint(portal.prisma, params.endpointId, { type: "partner_api", id: principal.apiKeyId });
    return partnerJson({ deleted: params.endpointId });
  }),
);
