import { z } from "zod";
import { PARTNER_INTERNAL_ERROR_MESSAGE } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { getPayoutBatchForPartner } from "@/lib/partner-api/batches";
import { partnerEndpoint, partnerJson } from "@/lib/partner-api/http";
import { authenticatePartnerWithinLimits } from "@/lib/partner-api/service";
import { clientAddress } from "@/lib/auth/throttle";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().max(64) });

/** Partner API: a payout batch with its rows' payout requests, statuses and usable recipient links. */
export const GET = partnerEndpoint(
  route({ auth: "public", internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE, params }, async ({ request, params }) => {
    const portal = await getPortal();
    const principal = await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    return partnerJson(await getPayoutBatchForPartner(portal, principal, params.id));
  }),
);
