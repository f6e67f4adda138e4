import { PARTNER_INTERNAL_ERROR_MESSAGE } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { partnerEndpoint, partnerJson, readPartnerJson } from "@/lib/partner-api/http";
import { authenticatePartnerWithinLimits } from "@/lib/partner-api/service";
import { clientAddress } from "@/lib/auth/throttle";
import { createEndpoint, CreateEndpointSchema, listEndpoints } from "@/lib/payouts/partner-webhooks/endpoints";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Partner API: the webhook endpoints registered for this portal. */
export const GET = partnerEndpoint(
  route({ auth: "public", internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE }, async ({ request }) => {
    const portal = await getPortal();
    await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    return partnerJson({ endpoints: await listEndpoints(portal.prisma) });
  }),
);

/** Partner API: register an endpoint (`{url, event_types, description?}`); the answer carries its signing secret, once. */
export const POST = partnerEndpoint(
  route({ auth: "public", allowCrossSite: true, internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE }, async ({ request }) => {
    const portal = await getPortal();
    const principal = await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    const input = await readPartnerJson(request, CreateEndpointSchema);
    const created = await createEndpoint(portal.prisma, portal.partnerWebhookEndpoints, input, { type: "partner_api", id: principal.apiKeyId });
    return partnerJson({ endpoint: created.endpoint, secret: created.secret }, { status: 201 });
  }),
);
