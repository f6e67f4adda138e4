import { z } from "zod";
import { PARTNER_INTERNAL_ERROR_MESSAGE } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { partnerEndpoint, partnerJson } from "@/lib/partner-api/http";
import { authenticatePartnerWithinLimits, getPayoutRequestForPartner } from "@/lib/partner-api/service";
import { clientAddress } from "@/lib/auth/throttle";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().max(64) });

/** Partner API: one payout request with its status and masked instrument. */
export const GET = partnerEndpoint(
  route({ auth: "public", internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE, params }, async ({ request, params }) => {
    const portal = await getPortal();
    await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    return partnerJson(await getPayoutRequestForPartner(portal, params.id));
  }),
);
