import { RECIPIENT } from "./audit";
import type { PayoutDeps } from "./deps";
import { isPayoutError } from "./errors";
import { recipientInstrument } from "./instruments";
import { requireActiveLink } from "./requests";
import type { RecipientInstrument } from "./schemas";
import { startPayout } from "./start";

/**
 * The recipient confirms on their link page: start the payout at the bank. Double clicks, two tabs
 * and retries all land on the same bank session (see ./start.ts); a used link whose payout already
 * started is not an error either — the caller answers with the payout's status, so a double submit
 * is harmless. Expired, revoked and unknown links are refused.
 */
export async function startPayoutFromLink(deps: PayoutDeps, token: string, chosen: RecipientInstrument): Promise<void> {
  const request = await requireActiveLink(deps, token).catch((error: unknown) => {
    if (isPayoutError(error) && error.code === "link_used") return null;
    throw error;
  });
  if (!request) return;
  const instrument = await recipientInstrument(deps, request.id, chosen);
  await startPayout(deps, { payoutRequestId: request.id, instrument, actor: RECIPIENT, viaLinkToken: true });
}
