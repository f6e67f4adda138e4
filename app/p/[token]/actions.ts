"use server";

import { z } from "zod";
import { env } from "@/lib/env";
import { action } from "@/lib/http/action";
import { describeCardHash, issueWidgetToken, tokenizeBankAccount } from "@/lib/payouts/instruments";
import { requireActiveLink } from "@/lib/payouts/requests";
import { issueSelfEmployedWidgetToken } from "@/lib/payouts/self-employed";
import { checkSelfEmployedFromLink } from "@/lib/server/recipient";
import { getPortal } from "@/lib/server/portal";
import { checkSbpDetails, sbpBanks } from "@/lib/payouts/sbp";
import { accountWithBikSchema, ruPhoneSchema } from "@/lib/validation/ru-banking-schemas";
import { formatMaskedCard } from "@/lib/cards";

const linkToken = z.string().max(64);
const locale = z.enum(["ru", "en"]);

/** A single-use public token for the bank's card widget, plus where to load the widget from. */
export const getWidgetToken = action(z.object({ linkToken, locale }), async ({ linkToken, locale }) => {
  const portal = await getPortal();
  const request = await requireActiveLink(portal, linkToken);
  await portal.rateLimits.consume("linkWidgetTokens", request.id);
  const publicToken = await issueWidgetToken(portal, request.id, locale);
  const { widgetUrl, widgetGlobal, widgetIntegrity } = env().bank131;
  return { publicToken, widgetUrl, widgetGlobal, widgetIntegrity };
});

/** The masked card behind a widget hash, as the bank (not the browser) reports it. */
export const describeCard = action(
  z.object({ linkToken, numberHash: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters"), locale }),
  async ({ linkToken, numberHash, locale }) => {
    const portal = await getPortal();
    const request = await requireActiveLink(portal, linkToken);
    await portal.rateLimits.consume("linkCardChecks", request.id);
    const card = await describeCardHash(portal, request.id, numberHash);
    return { ...card, label: formatMaskedCard({ brand: card.brand, last4: card.last4 }, locale) };
  },
);

/** BIK + account → bank token and masked account; the account number is not stored. */
export const tokenizeAccount = action(z.object({ linkToken, account: accountWithBikSchema }), async ({ linkToken, account }) => {
  const portal = await getPortal();
  const request = await requireActiveLink(portal, linkToken);
  await portal.rateLimits.consume("linkAccountTokenize", request.id);
  return tokenizeBankAccount(portal, request.id, account);
});

/** SBP participants for the bank picker (the bank's list, cached server-side: lib/payouts/sbp.ts). */
export const listSbpBanks = action(z.object({ linkToken }), async ({ linkToken }) => {
  const portal = await getPortal();
  await requireActiveLink(portal, linkToken);
  return sbpBanks(portal);
});

/** Verifies phone + bank with the bank before the payout (a fresh verified answer is reused, no bank call). */
export const checkSbp = action(
  z.object({ linkToken, bankId: z.string().regex(/^\d{1,32}$/, "must be an SBP bank id"), phone: ruPhoneSchema.optional() }),
  async ({ linkToken, bankId, phone }) => {
    const portal = await getPortal();
    const request = await requireActiveLink(portal, linkToken);
    return checkSbpDetails(portal, request, { bankId, phone }, () => portal.rateLimits.consume("linkSbpVerifications", request.id));
  },
);
/** Self-employed payouts: one step of asking the tax service about the recipient's INN; the live view. */
export const checkSelfEmployed = action(z.object({ linkToken }), async ({ linkToken }) => checkSelfEmployedFromLink(linkToken));

/** Self-employed, not linked: a single-use token for the bank's linking widget, and where to load it from. */
export const getSelfEmployedWidgetToken = action(z.object({ linkToken }), async ({ linkToken }) => {
  const portal = await getPortal();
  const request = await requireActiveLink(portal, linkToken);
  await portal.rateLimits.consume("linkWidgetTokens", request.id);
  const { publicToken, taxReference } = await issueSelfEmployedWidgetToken(portal, request);
  return { publicToken, taxReference, widgetUrl: env().bank131.selfEmployedWidgetUrl };
});
