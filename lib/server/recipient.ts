import "server-only";
import { createHmac } from "node:crypto";
import { env } from "../env";
import { notFound } from "../http/errors";
import type { RecipientInstrument } from "../payouts/schemas";
import { driveStart } from "../payouts/start";
import { startPayoutFromLink } from "../payouts/start-from-link";
import { recordLinkOpen } from "../payouts/risk-signals";
import { findByLinkToken, requireActiveLink } from "../payouts/requests";
import { checkTaxpayerStep } from "../payouts/self-employed";
import { recipientView, type RecipientView } from "../payouts/views";
import { getPortal } from "./portal";

/**
 * A client address as stored for the risk signal «ссылку открывали с N адресов»: an HMAC under the
 * portal's secret, truncated — opens from one address match, but the address cannot be recovered
 * (an unkeyed hash of an IPv4 address is reversed by trying them all).
 */
function linkOpenAddressHash(address: string): string {
  return createHmac("sha256", env().auth.secret ?? "").update(`link-open:${address}`).digest("hex").slice(0, 32);
}

/**
 * The recipient's view of their payout behind a link token; unknown tokens are a 404. `openedFrom` (the
 * client address of a page or GET request) counts an open of the link for the risk signals.
 */
export async function loadRecipientView(token: string, openedFrom?: string): Promise<RecipientView | null> {
  const portal = await getPortal();
  const request = await findByLinkToken(portal, token);
  if (!request) return null;
  if (openedFrom !== undefined) await recordLinkOpen(portal.prisma, request.id, linkOpenAddressHash(openedFrom));
  const bankSession = await portal.prisma.bankSession.findUnique({ where: { payoutRequestId: request.id }, select: { status: true, lastError: true } });
  return recipientView({ ...request, bankSession }, env().partnerName, new Date());
}

export async function requireRecipientView(token: string, openedFrom?: string): Promise<RecipientView> {
  const view = await loadRecipientView(token, openedFrom);
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
