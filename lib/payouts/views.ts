import { describeBankError } from "../bank131/messages";
import type { PayoutRequest } from "../generated/prisma/client";
import { maskPhone } from "../format/sbp";
import { toSafeKopecks } from "../money";
import { linkStateOf, type LinkState } from "./requests";
import type { NpdStatus } from "./self-employed";
import type { PayoutStatus } from "./state-machine";

/** What a recipient's page shows. No tokens, hashes or internal ids beyond the request id. */
export interface RecipientView {
  id: string;
  number: number;
  /** `needs_attention` is an operator matter: the recipient sees the payout as still with the bank. */
  status: Exclude<PayoutStatus, "needs_attention">;
  linkState: LinkState;
  linkExpiresAt: string;
  amountKopecks: number;
  currency: string;
  recipientName: string;
  purpose: string;
  payerName: string;
  method: PayoutRequest["method"];
  sourceAccount: PayoutRequest["sourceAccount"];
  instrument:
    | { kind: "card"; brand: string | null; last4: string | null }
    | { kind: "bank_account"; maskedAccount: string | null }
    | { kind: "sbp"; bankName: string | null; phone: string | null; verifiedName: string | null }
    | null;
  /** SBP payouts: the phone the payer gave (masked), which the recipient confirms; null = the recipient enters it. */
  sbp?: { payerPhone: string | null };
  failure: { code: string; message: { ru: string; en: string } } | null;
  /**
   * Self-employed (НПД) payouts only: what the tax service says about the recipient's INN (the page
   * links Bank 131 first when not linked; only a linked person reaches the card/account step) and the
   * «Мой налог» receipt once the bank registered it.
   */
  selfEmployed?: { inn: string; npdStatus: NpdStatus; receiptLink: string | null };
  /** The start is waiting for the bank (timeout or outage); the portal retries by itself. */
  bankPending: boolean;
  version: number;
  updatedAt: string;
}

export function recipientView(
  request: PayoutRequest & { bankSession?: { status: string; lastError: string | null } | null },
  payerName: string,
  now: Date,
): RecipientView {
  const instrument: RecipientView["instrument"] = request.sbpBankId
    ? { kind: "sbp", bankName: request.sbpBankName, phone: request.sbpPhone ? maskPhone(request.sbpPhone) : null, verifiedName: request.sbpVerifiedName }
    : request.bankAccountToken
    ? { kind: "bank_account", maskedAccount: request.maskedAccount }
    : request.cardLast4 || request.cardNumberHash || request.cardToken || request.recurrentToken
      ? { kind: "card", brand: request.cardBrand, last4: request.cardLast4 }
      : null;
  const failureCode = request.failureCode;
  return {
    id: request.id,
    number: request.number,
    status: request.status === "needs_attention" ? "submitted" : request.status,
    linkState: linkStateOf(request, now),
    linkExpiresAt: request.linkExpiresAt.toISOString(),
    amountKopecks: toSafeKopecks(request.amountKopecks),
    currency: request.currency,
    recipientName: request.recipientName,
    purpose: request.purpose,
    payerName,
    method: request.method,
    sourceAccount: request.sourceAccount,
    instrument,
    ...(request.method === "sbp" ? { sbp: { payerPhone: request.sbpPhone ? maskPhone(request.sbpPhone) : null } } : {}),
    failure: failureCode && request.status !== "needs_attention" ? { code: failureCode, message: { ru: describeBankError(failureCode, "ru"), en: describeBankError(failureCode, "en") } } : null,
    ...(request.selfEmployedInn
      ? { selfEmployed: { inn: request.selfEmployedInn, npdStatus: (request.npdStatus ?? "checking") as NpdStatus, receiptLink: request.receiptLink } }
      : {}),
    // Claimed but not yet accepted by the bank (create or start unanswered): the portal retries.
    bankPending: (request.bankSession?.status === "starting" || request.bankSession?.status === "created") && request.bankSession.lastError !== null,
    version: request.version,
    updatedAt: request.updatedAt.toISOString(),
  };
}
