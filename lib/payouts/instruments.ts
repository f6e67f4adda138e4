import { maskAccount } from "../validation/ru-banking";
import { recordedCall } from "./bank-calls";
import type { PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import type { RecipientInstrument } from "./schemas";
import { verifiedSbpInstrument } from "./sbp";
import type { StartInstrument } from "./start";

/**
 * Bank calls a recipient's page makes before the payout starts: a widget token, the masked card
 * behind a widget hash, and a bank-account token. None of them moves money.
 */

export async function issueWidgetToken(deps: PayoutDeps, payoutRequestId: string, locale: "ru" | "en"): Promise<string> {
  const body = { tokenize_widget: { access: true, locale } };
  // The public token is a credential for the widget: keep it out of the timeline.
  const response = await recordedCall(
    deps.prisma,
    { payoutRequestId, method: "token", body, redactResponse: () => ({ status: "ok", public_token: "[redacted]" }) },
    () => deps.bank.token(body),
  );
  return response.public_token;
}

export interface MaskedCardInfo {
  brand: string | null;
  last4: string | null;
}

/** Asks the bank what card a widget hash stands for; the browser's own claim is never trusted. */
export async function describeCardHash(deps: PayoutDeps, payoutRequestId: string, numberHash: string): Promise<MaskedCardInfo> {
  const body = { type: "card" as const, card: { type: "encrypted_card" as const, encrypted_card: { number_hash: numberHash.toLowerCase() } } };
  const response = await recordedCall(deps.prisma, { payoutRequestId, method: "token/info", body }, () => deps.bank.tokenInfo(body));
  return { brand: response.info.brand ?? null, last4: response.info.last4 ?? null };
}

export interface TokenizedAccount {
  token: string;
  maskedAccount: string;
  bik: string;
}

/**
 * Exchanges BIK + account for a bank token and keeps the token with the bank's mask, bound to this
 * payout request (its link): only such a token can start it. The account number itself is not stored.
 */
export async function tokenizeBankAccount(deps: PayoutDeps, payoutRequestId: string, account: { bik: string; account: string }): Promise<TokenizedAccount> {
  const body = { type: "bank_account_ru" as const, bank_account_ru: { bik: account.bik, account: account.account } };
  const logged = { type: "bank_account_ru", bank_account_ru: { bik: account.bik, account: maskAccount(account.account) } };
  const response = await recordedCall(deps.prisma, { payoutRequestId, method: "tokenize", body: logged }, () => deps.bank.tokenize(body));
  const tokenized = { token: response.token, maskedAccount: response.data?.masked_account ?? maskAccount(account.account), bik: account.bik };
  await deps.prisma.recipientAccountToken.upsert({
    where: { payoutRequestId_token: { payoutRequestId, token: tokenized.token } },
    create: { payoutRequestId, ...tokenized },
    update: { maskedAccount: tokenized.maskedAccount, bik: tokenized.bik },
  });
  return tokenized;
}

/**
 * What the recipient's browser chose, as the portal will use it: a card hash with the bank's own
 * brand/last4, or a bank-account token this link tokenized, with the mask and BIK the bank answered.
 * Masks and BIKs the browser sends are ignored; a token this link did not produce is `instrument_unknown`.
 */
export async function recipientInstrument(deps: PayoutDeps, payoutRequestId: string, chosen: RecipientInstrument): Promise<StartInstrument> {
  if (chosen.kind === "sbp") return verifiedSbpInstrument(deps, await deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: payoutRequestId } }), chosen);
  if (chosen.kind === "card_hash") {
    const card = await describeCardHash(deps, payoutRequestId, chosen.numberHash);
    return { kind: "card_hash", numberHash: chosen.numberHash, brand: card.brand, last4: card.last4 };
  }
  const bound = await deps.prisma.recipientAccountToken.findUnique({ where: { payoutRequestId_token: { payoutRequestId, token: chosen.token } } });
  if (!bound) {
    throw new PayoutError("instrument_unknown", "instrument.token: this account was not tokenized through this payout link; enter the account again", {
      field: "instrument.token",
    });
  }
  return { kind: "bank_account_token", token: bound.token, maskedAccount: bound.maskedAccount, bik: bound.bik };
}
