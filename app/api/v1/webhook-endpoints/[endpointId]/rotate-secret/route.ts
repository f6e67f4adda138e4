import { z } from "zod";
import { PARTNER_INTERNAL_ERROR_MESSAGE } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { partnerEndpoint, partnerJson } from "@/lib/partner-api/http";
import { authenticatePartnerWithinLimits } from "@/lib/partner-api/service";
import { clientAddress } from "@/lib/auth/throttle";
import { rotateEndpointSecret } from "@/lib/payouts/partner-webhooks/endpoints";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ endpointId: z.string().max(64) });

/** Partner API: a new signing secret (in this answer only); the previous one keeps signing during the overlap. */
export const POST = partnerEndpoint(
  route({ auth: "public", allowCrossSite: true, internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE, params }, async ({ request, params }) => {
    const portal = await getPortal();
    const principal = await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    return partnerJson(await rotateEndpointSecret(portal.prisma, portal.partnerWebhookEndpoints, params.endpointId, { type: "partner_api", id: principal.apiKeyId }));
  }),
);
