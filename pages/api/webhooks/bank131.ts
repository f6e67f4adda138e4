import type { NextApiRequest, NextApiResponse } from "next";
import { closeUnreadRequest, readStreamLimited } from "@/lib/http/body";
import { logUnexpected, toErrorAnswer, type ErrorAnswer } from "@/lib/http/errors";
import { SIGNATURE_HEADER } from "@/lib/bank131/signature";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import { getPortal } from "@/lib/server/portal";
import { logger } from "@/lib/logger";
import { clientAddress } from "@/lib/auth/throttle";
import { env } from "@/lib/env";

/** What this route answers; any other method gets 405 (tests/e2e/security.spec.ts reads this list). */
export const ALLOWED_METHODS = ["POST"] as const;

const MAX_BODY_BYTES = 1024 * 1024;

// The raw bytes are read here (the signature is over them), never parsed by Next.
export const config = { api: { bodyParser: false } };

/**
 * Bank 131 webhooks: the portal's busiest route, and its one Pages API route. Next serves a Pages API
 * route from Node's own request and response, where an App Router route handler builds a web
 * Request and Response around them: about 1 ms of CPU less per webhook on this machine (0.9–1.4 ms,
 * `npm run bench:webhooks` prints both; README → Performance).
 * Not wrapped in route(): the body must stay raw bytes until the signature is verified, and the
 * answer codes follow the bank's retry semantics (200 = stored, retry otherwise).
 */
export default async function bank131Webhook(request: NextApiRequest, response: NextApiResponse): Promise<void> {
  if (request.method !== "POST") {
    response.setHeader("Allow", ALLOWED_METHODS.join(", "));
    response.status(405).json({ error: { code: "method_not_allowed", message: "Use POST" } });
    return;
  }
  try {
    // The exact bytes, read with a running count: the signature is verified over them.
    const rawBody = await readStreamLimited(request, MAX_BODY_BYTES);
    const portal = await getPortal();
    const address = clientAddress(request.headers);
    const signature = request.headers[SIGNATURE_HEADER];
    // Signatures are checked first, so the bank is never refused for a forger behind its address;
    // only rejections count against the sender, and one over its limit gets 429 and stores nothing.
    const outcome = await ingestWebhook(
      portal,
      { rawBody, signature: typeof signature === "string" ? signature : null, address },
      { samplesPerMinute: env().webhookRejectionSamplesPerMinute, beforeSample: () => portal.rateLimits.consume("webhookRejectionsPerAddress", address) },
    );
    if (!outcome.accepted) {
      logger.warn({ reason: outcome.reason, address, bytes: rawBody.byteLength, sampled: outcome.sampled }, "bank131 webhook rejected");
      response.status(401).json({ error: { code: "invalid_signature", message: outcome.reason } });
      return;
    }
    logger.info({ effect: outcome.effect, duplicate: outcome.duplicate, payoutRequestId: outcome.payoutRequestId }, "bank131 webhook stored");
    response.status(200).json({ status: "ok", duplicate: outcome.duplicate, effect: outcome.effect });
  } catch (error) {
    const answer: ErrorAnswer = toErrorAnswer(error);
    logUnexpected(error, answer, "route");
    for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
    closeUnreadRequest(request, response);
    response.status(answer.status).json(answer.body);
  }
}
