import type { PayoutRequest } from "../generated/prisma/client";
import { formatRequestNumber } from "../format/numbers";
import { toSafeKopecks } from "../money";
import { recipientView } from "../payouts/views";
import type { WireCreated, WirePayoutRequest } from "./wire";

/** Domain rows → the partner API's snake_case JSON. */

export function serializeCreated(request: PayoutRequest, link: { url: string; expiresAt: Date }): WireCreated {
  return {
    id: request.id,
    number: formatRequestNumber(request.number),
    status: request.status,
    amount_kopecks: toSafeKopecks(request.amountKopecks),
    currency: request.currency,
    recipient_link: link.url,
    link_expires_at: link.expiresAt.toISOString(),
    created_at: request.createdAt.toISOString(),
  };
}

export function serializePayoutRequest(request: PayoutRequest, now: Date): WirePayoutRequest {
  // The recipient view already knows how to mask the instrument and word the failure.
  const view = recipientView(request, "", now);
  const instrument: WirePayoutRequest["instrument"] =
    view.instrument === null
      ? null
      : view.instrument.kind === "card"
        ? { kind: "card", brand: view.instrument.brand, last4: view.instrument.last4 }
        : view.instrument.kind === "sbp"
          ? { kind: "sbp", bank_name: view.instrument.bankName, masked_phone: view.instrument.phone, verified_name: view.instrument.verifiedName }
          : { kind: "bank_account", masked_account: view.instrument.maskedAccount };
  return {
    id: request.id,
    number: formatRequestNumber(request.number),
    status: request.status,
    amount_kopecks: view.amountKopecks,
    currency: request.currency,
    recipient_name: request.recipientName,
    reference: request.reference,
    method: request.method,
    source_account: request.sourceAccount,
    instrument,
    failure: view.failure ? { code: view.failure.code, message: view.failure.message.en } : null,
    self_employed: view.selfEmployed ? { inn: view.selfEmployed.inn, npd_status: view.selfEmployed.npdStatus, receipt_link: view.selfEmployed.receiptLink } : null,
    created_at: request.createdAt.toISOString(),
    updated_at: request.updatedAt.toISOString(),
  };
}
