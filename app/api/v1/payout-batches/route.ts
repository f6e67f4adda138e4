import { PARTNER_INTERNAL_ERROR_MESSAGE } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { logger } from "@/lib/logger";
import { createPayoutBatchForPartner } from "@/lib/partner-api/batches";
import { partnerEndpoint, partnerJson, readRawBody } from "@/lib/partner-api/http";
import { authenticatePartnerWithinLimits } from "@/lib/partner-api/service";
import { clientAddress } from "@/lib/auth/throttle";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** 10 000 rows of JSON. */
const MAX_BATCH_BODY_BYTES = 8 * 1024 * 1024;

/** Partner API: create a payout batch (API key; optional Idempotency-Key). See /api/v1/openapi.json. */
export const POST = partnerEndpoint(
  route({ auth: "public", allowCrossSite: true, internalErrorMessage: PARTNER_INTERNAL_ERROR_MESSAGE }, async ({ request }) => {
    const portal = await getPortal();
    const principal = await authenticatePartnerWithinLimits(portal.prisma, request.headers, portal.rateLimits, clientAddress(request.headers));
    const result = await createPayoutBatchForPartner(
      portal,
      principal,
      { rawBody: await readRawBody(request, MAX_BATCH_BODY_BYTES), idempotencyKey: request.headers.get("idempotency-key") },
      { onStoreError: (error) => logger.error({ err: error, apiKeyId: principal.apiKeyId }, "could not store an idempotent answer") },
    );
    if (!result.replayed) portal.batches.runNow().catch((error: unknown) => logger.error({ err: error }, "batch pass failed"));
    return partnerJson(result.body, { status: result.status, replayed: result.replayed });
  }),
);
