import { readBodyLimited } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/route";
import { SIGNATURE_HEADER } from "@/lib/bank131/signature";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import { getPortal } from "@/lib/server/portal";
import { logger } from "@/lib/logger";
import { clientAddress } from "@/lib/auth/throttle";
import { env } from "@/lib/env";

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
    const address = clientAddress(request.headers);
    // Signatures are checked first, so the bank is never refused for a forger behind its address;
    // only rejections count against the sender, and one over its limit gets 429 and stores nothing.
    const outcome = await ingestWebhook(
      portal,
      { rawBody, signature: request.headers.get(SIGNATURE_HEADER), address },
      { samplesPerMinute: env().webhookRejectionSamplesPerMinute, beforeSample: () => portal.rateLimits.consume("webhookRejectionsPerAddress", address) },
    );
    if (!outcome.accepted) {
      logger.warn({ reason: outcome.reason, address, bytes: rawBody.byteLength, sampled: outcome.sampled }, "bank131 webhook rejected");
      return Response.json({ error: { code: "invalid_signature", message: outcome.reason } }, { status: 401 });
    }
    logger.info({ effect: outcome.effect, duplicate: outcome.duplicate, payoutRequestId: outcome.payoutRequestId }, "bank131 webhook stored");
    return Response.json({ status: "ok", duplicate: outcome.duplicate, effect: outcome.effect });
  } catch (error) {
    return errorResponse(error);
  }
}
