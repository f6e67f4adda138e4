import { readBodyLimited } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/route";
import { SIGNATURE_HEADER } from "@/lib/bank131/signature";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import { getPortal } from "@/lib/server/portal";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Bank 131 webhooks. Not wrapped in route(): the body must stay raw bytes until the signature is
 * verified, and the answer codes follow the bank's retry semantics (200 = stored, retry otherwise).
 */
export async function POST(request: Request): Promise<Response> {
  try {
    // The exact bytes, read with a running count: the signature is verified over them.
    const rawBody = await readBodyLimited(request, MAX_BODY_BYTES);
    const portal = await getPortal();
    const outcome = await ingestWebhook(portal, { rawBody, signature: request.headers.get(SIGNATURE_HEADER) });
    if (!outcome.accepted) {
      logger.warn({ reason: outcome.reason }, "bank131 webhook rejected");
      return Response.json({ error: { code: "invalid_signature", message: outcome.reason } }, { status: 401 });
    }
    logger.info({ effect: outcome.effect, duplicate: outcome.duplicate, payoutRequestId: outcome.payoutRequestId }, "bank131 webhook stored");
    return Response.json({ status: "ok", duplicate: outcome.duplicate, effect: outcome.effect });
  } catch (error) {
    return errorResponse(error);
  }
}
