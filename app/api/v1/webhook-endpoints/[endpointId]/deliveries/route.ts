import { z } from "zod";
import { PARTNER_INTERNAL_ERROR_MESSAGE } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { partnerEndpoint, partnerJson } from "@/lib/partner-api/http";
import { authenticatePartnerWithinLimits } from "@/lib/partner-api/service";
import { clientAddress } from "@/lib/auth/throttle";
import { listDeliveries } from "@/lib/payouts/partner-webhooks/endpoints";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ endpointId: z.string().max(64) });
const query = z.object({ status: z.enum(["pending", "delivered", "failed"]).optional() });

/** Partner API: the endpoint's delivery log (newest first, with each attempt's status code and answer excerpt). */
export const GET = partnerEndpoint(
  route({ auth: "public", internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE, params, query }, async ({ request, params, query }) => {
    const portal = await getPortal();
    await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    return partnerJson({ deliveries: await listDeliveries(portal.prisma, params.endpointId, query) });
  }),
);
