import { PARTNER_INTERNAL_ERROR_MESSAGE } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { logger } from "@/lib/logger";
import { partnerEndpoint, partnerJson, readRawBody } from "@/lib/partner-api/http";
import { authenticatePartnerWithinLimits, createPayoutRequestForPartner } from "@/lib/partner-api/service";
import { clientAddress } from "@/lib/auth/throttle";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Partner API: create a payout request (API key; optional Idempotency-Key). See /api/v1/openapi.json. */
export const POST = partnerEndpoint(
  route({ auth: "public", allowCrossSite: true, internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE }, async ({ request }) => {
    const portal = await getPortal();
    const principal = await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    const result = await createPayoutRequestForPartner(
      portal,
      principal,
      { rawBody: await readRawBody(request), idempotencyKey: request.headers.get("idempotency-key") },
      { onStoreError: (error) => logger.error({ err: error, apiKeyId: principal.apiKeyId }, "could not store an idempotent answer") },
    );
    return partnerJson(result.body, { status: result.status, replayed: result.replayed });
  }),
);
