import "server-only";
import { env } from "../env";
import { notFound } from "../http/errors";
import type { RecipientInstrument } from "../payouts/schemas";
import { driveStart } from "../payouts/start";
import { startPayoutFromLink } from "../payouts/start-from-link";
import { findByLinkToken, requireActiveLink } from "../payouts/requests";
import { checkTaxpayerStep } from "../payouts/self-employed";
import { recipientView, type RecipientView } from "../payouts/views";
import { getPortal } from "./portal";

/** The recipient's view of their payout behind a link token; unknown tokens are a 404. */
export async function loadRecipientView(token: string): Promise<RecipientView | null> {
  const portal = await getPortal();
  const request = await findByLinkToken(portal, token);
  if (!request) return null;
  const bankSession = await portal.prisma.bankSession.findUnique({ where: { payoutRequestId: request.id }, select: { status: true, lastError: true } });
  return recipientView({ ...request, bankSession }, env().partnerName, new Date());
}

export async function requireRecipientView(token: string): Promise<RecipientView> {
  const view = await loadRecipientView(token);
  if (!view) throw notFound("This payout link does not exist");
  return view;
}

/** "Try again" after a bank timeout: resumes the same start, never a new one. */
export async function retryStart(token: string): Promise<RecipientView> {
  const portal = await getPortal();
  const request = await findByLinkToken(portal, token);
  if (!request) throw notFound("This payout link does not exist");
  // Each retry may be a bank call and a stored row: a link holder gets a handful, not unlimited.
  await portal.rateLimits.consume("linkRetries", request.id);
  const session = await portal.prisma.bankSession.findUnique({ where: { payoutRequestId: request.id } });
  if (session) await driveStart(portal, session);
  return requireRecipientView(token);
}

/** The recipient confirms: start the payout (once, whatever the repeats), then show its status. */
export async function startFromLink(token: string, instrument: RecipientInstrument): Promise<RecipientView> {
  await startPayoutFromLink(await getPortal(), token, instrument);
  return requireRecipientView(token);
}

/** Self-employed payouts: one step of the INN check (see checkTaxpayerStep), then the recipient's view. */
export async function checkSelfEmployedFromLink(token: string): Promise<RecipientView> {
  const portal = await getPortal();
  // Only an open link asks the tax service (a used, revoked or expired one answers its own code).
  const request = await requireActiveLink(portal, token);
  await checkTaxpayerStep(portal, request.id);
  return requireRecipientView(token);
}
