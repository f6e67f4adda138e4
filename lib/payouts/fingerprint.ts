import { createHash } from "node:crypto";
import { formatMaskedCard } from "../cards";
import type { BankSession, PayoutRequest } from "../generated/prisma/client";
import { canonicalJson } from "./audit";

/**
 * The fingerprint of what a confirm will pay: an approval is bound to it, and it is recomputed from
 * the rows about to be sent right before `session/confirm`. The fields are kept with the approval, so
 * a mismatch can name what changed.
 */
export interface FingerprintFields {
  /** Decimal string of integer kopecks (canonical JSON has no BigInt). */
  amountKopecks: string;
  currency: string;
  recipientName: string;
  /** What the bank pays to: the reference it holds (hash/token) and the mask people read. */
  instrument: {
    method: string;
    cardNumberHash: string | null;
    cardToken: string | null;
    recurrentToken: string | null;
    bankAccountToken: string | null;
    masked: string | null;
    /** SBP only (absent for other methods, so their fingerprints are what they were before SBP). */
    sbp?: { phone: string | null; bankId: string | null; verifiedName: string | null };
  };
  sourceAccount: { kind: string; beneficiaryInn: string | null };
  /** Escrow: the exact confirm_information the confirm echoes; null otherwise. */
  confirmInformation: unknown;
}

export type FingerprintField = keyof FingerprintFields;

type FingerprintSource = {
  request: Pick<
    PayoutRequest,
    | "amountKopecks"
    | "currency"
    | "recipientName"
    | "method"
    | "cardNumberHash"
    | "cardToken"
    | "recurrentToken"
    | "bankAccountToken"
    | "cardBrand"
    | "cardBin"
    | "cardLast4"
    | "maskedAccount"
    | "bik"
    | "sbpPhone"
    | "sbpBankId"
    | "sbpVerifiedName"
    | "sourceAccount"
    | "beneficiaryInn"
  >;
  session: Pick<BankSession, "confirmInformation">;
};

function maskedInstrument(request: FingerprintSource["request"]): string | null {
  if (request.bankAccountToken) return request.maskedAccount ? `${request.maskedAccount} ${request.bik ?? ""}`.trim() : null;
  if (request.cardLast4) return `${formatMaskedCard({ brand: request.cardBrand, last4: request.cardLast4 })}${request.cardBin ? ` (${request.cardBin})` : ""}`;
  return null;
}

export function fingerprintFields({ request, session }: FingerprintSource): FingerprintFields {
  return {
    amountKopecks: request.amountKopecks.toString(),
    currency: request.currency,
    recipientName: request.recipientName,
    instrument: {
      method: request.method,
      cardNumberHash: request.cardNumberHash,
      cardToken: request.cardToken,
      recurrentToken: request.recurrentToken,
      bankAccountToken: request.bankAccountToken,
      masked: maskedInstrument(request),
      ...(request.method === "sbp" ? { sbp: { phone: request.sbpPhone, bankId: request.sbpBankId, verifiedName: request.sbpVerifiedName } } : {}),
    },
    sourceAccount: { kind: request.sourceAccount, beneficiaryInn: request.beneficiaryInn },
    confirmInformation: request.sourceAccount === "escrow" ? (session.confirmInformation ?? null) : null,
  };
}

/** SHA-256 (hex) over the canonical JSON of the fields. */
export function fingerprintOf(fields: FingerprintFields): string {
  return createHash("sha256").update(canonicalJson(fields)).digest("hex");
}

/** The names of the fields that differ (canonical comparison, so key order never counts). */
export function changedFields(approved: FingerprintFields, current: FingerprintFields): FingerprintField[] {
  return (Object.keys(current) as FingerprintField[]).filter((field) => canonicalJson(approved[field] ?? null) !== canonicalJson(current[field] ?? null));
}
