import { Bank131ApiError, isBank131Error } from "../bank131/errors";
import { NPD_ANNUAL_INCOME_LIMIT_KOPECKS, type FiscalizationDetailsRequest, type PaymentSession } from "../bank131/schemas";
import type { PayoutRequest, Prisma } from "../generated/prisma/client";
import { toSafeKopecks } from "../money";
import { audit, RECIPIENT } from "./audit";
import { recordedCall } from "./bank-calls";
import { nowOf, type PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import type { SelfEmployedService } from "./schemas";
import type { PayoutStatus } from "./state-machine";
import { inTransaction } from "./transaction";

/**
 * Payouts to the self-employed (НПД): whether the tax service knows the INN as self-employed and
 * linked to Bank 131 (npd/check → npd/request/status), the fiscalization details sent with the payout,
 * the receipt the bank registers, and the portal's own annual income limit per INN.
 */

export const NPD_STATUSES = ["checking", "not_linked", "linked", "not_self_employed"] as const;
export type NpdStatus = (typeof NPD_STATUSES)[number];

export { NPD_ANNUAL_INCOME_LIMIT_KOPECKS };

/** Who pays, as the receipt names them: the partner (a company, payer_type legal). */
export interface NpdPayer {
  inn: string;
  name: string;
}

/** A not-linked INN is asked again at most this often (the recipient may be linking it right now). */
export const NPD_RECHECK_MIN_MS = 2_000;

/**
 * Payouts that count towards an INN's income: started and not (yet) failed, cancelled or refunded.
 * In-flight ones count too, so two payouts cannot both pass the limit before either is paid.
 */
const COUNTED_STATUSES: PayoutStatus[] = ["submitted", "awaiting_approval", "confirming", "cancelling", "paid", "bank_error", "needs_attention"];

/** Moscow has no daylight saving: UTC+3 all year. */
export function moscowYear(now: Date): number {
  return new Date(now.getTime() + 3 * 3_600_000).getUTCFullYear();
}

export function servicesOf(request: Pick<PayoutRequest, "selfEmployedServices">): SelfEmployedService[] {
  return Array.isArray(request.selfEmployedServices) ? (request.selfEmployedServices as unknown as SelfEmployedService[]) : [];
}

/** The INN's income this Moscow year: payouts started (and not failed/cancelled/refunded) plus paid ones. */
export async function incomeThisYear(tx: Prisma.TransactionClient, inn: string, year: number): Promise<number> {
  const total = await tx.payoutRequest.aggregate({
    where: { selfEmployedInn: inn, npdIncomeYear: year, status: { in: COUNTED_STATUSES } },
    _sum: { amountKopecks: true },
  });
  return toSafeKopecks(total._sum.amountKopecks ?? 0n);
}

function limitError(used: number, amount: number): PayoutError {
  const limit = NPD_ANNUAL_INCOME_LIMIT_KOPECKS;
  return new PayoutError("npd_annual_limit", `The self-employed person's income this year would pass ${limit} kopecks: ${used} counted, this payout ${amount}`, {
    field: "selfEmployed.inn",
    params: { limit, used, amount, left: Math.max(0, limit - used) },
  });
}

/** At creation: refuse what is already evident (the INN's counted income plus this amount passes the limit). */
export async function assertAnnualLimitAtCreation(deps: Pick<PayoutDeps, "prisma" | "now">, inn: string, amount: number): Promise<void> {
  const used = await incomeThisYear(deps.prisma, inn, moscowYear(nowOf(deps)));
  if (used + amount > NPD_ANNUAL_INCOME_LIMIT_KOPECKS) throw limitError(used, amount);
}

/**
 * At start, inside the claiming transaction and before any bank call: the INN's transactions are
 * serialized by an advisory lock held to commit, so of two concurrent payouts that together pass the
 * limit the second sees the first as counted. Returns the year the payout counts towards.
 */
export async function reserveAnnualIncome(tx: Prisma.TransactionClient, inn: string, amount: number, now: Date): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`npd-income:${inn}`}, 0))`;
  const year = moscowYear(now);
  const used = await incomeThisYear(tx, inn, year);
  if (used + amount > NPD_ANNUAL_INCOME_LIMIT_KOPECKS) throw limitError(used, amount);
  return year;
}

/** fiscalization_details of the payout: the receipt's seller (the recipient's INN), payer and services. */
export function fiscalizationDetailsFor(request: PayoutRequest, payer: NpdPayer): FiscalizationDetailsRequest {
  return {
    professional_income_taxpayer: {
      tax_reference: request.selfEmployedInn!,
      payer_type: "legal",
      payer_tax_number: payer.inn,
      payer_name: payer.name,
      services: servicesOf(request).map((service) => ({
        name: service.name,
        amount_details: { amount: service.amountKopecks, currency: request.currency },
        quantity: service.quantity,
      })),
    },
  };
}

/** The «Мой налог» receipt of a session's payout, once the bank registered it. */
export function receiptOf(session: PaymentSession): { id: string; link: string } | null {
  for (const payout of session.payout_list ?? []) {
    const receipt = payout.fiscalization_details?.professional_income_taxpayer?.receipt;
    if (receipt) return { id: receipt.id, link: receipt.link };
  }
  return null;
}

function statusFromAnswer(answer: { is_professional_income_taxpayer?: boolean; is_linked?: boolean }): NpdStatus {
  if (!answer.is_professional_income_taxpayer) return "not_self_employed";
  return answer.is_linked ? "linked" : "not_linked";
}

/**
 * One step of asking the tax service about a self-employed payout's INN (the recipient page calls it
 * while it waits): an outstanding request is polled with npd/request/status; otherwise (first time, or
 * not linked yet — the person may be linking right now) a new npd/check is sent, at most every
 * NPD_RECHECK_MIN_MS. A linked or not-self-employed answer is final for the payout. Bank failures leave
 * the status as it was (the next step tries again). Returns the status now known.
 */
export async function checkTaxpayerStep(deps: PayoutDeps, payoutRequestId: string): Promise<NpdStatus | null> {
  const request = await deps.prisma.payoutRequest.findUnique({ where: { id: payoutRequestId } });
  if (!request?.selfEmployedInn) return null;
  const current = (request.npdStatus ?? "checking") as NpdStatus;
  if (current === "linked" || current === "not_self_employed" || request.status !== "awaiting_recipient") return current;
  const now = nowOf(deps);
  let requestId = request.npdRequestId;
  try {
    if (!requestId) {
      if (request.npdCheckedAt && now.getTime() - request.npdCheckedAt.getTime() < NPD_RECHECK_MIN_MS) return current;
      const body = { tax_reference: request.selfEmployedInn };
      const check = await recordedCall(deps.prisma, { payoutRequestId, method: "npd/check", body }, () => deps.bank.npdCheck(body));
      requestId = check.request_id;
      await deps.prisma.payoutRequest.update({ where: { id: payoutRequestId }, data: { npdRequestId: requestId, npdCheckedAt: now, npdStatus: current } });
    }
    const body = { request_id: requestId };
    const answer = await recordedCall(deps.prisma, { payoutRequestId, method: "npd/request/status", body }, () => deps.bank.npdRequestStatus(body));
    if (answer.status !== "ok") return current;
    const next = statusFromAnswer(answer);
    await inTransaction(deps, async (tx, emit) => {
      const { count } = await tx.payoutRequest.updateMany({
        where: { id: payoutRequestId, npdRequestId: requestId },
        data: { npdStatus: next, npdRequestId: null, npdCheckedAt: now, ...(next !== current ? { version: { increment: 1 } } : {}) },
      });
      if (count !== 1 || next === current) return;
      await audit(tx, { actor: RECIPIENT, action: `npd.${next}`, payoutRequestId, data: { from: current, to: next } });
      emit({ type: "payout.updated", payoutRequestId, status: request.status });
    });
    return next;
  } catch (error) {
    // An unknown request (the bank keeps no state of it for long) is asked afresh next time.
    if (error instanceof Bank131ApiError && error.code === "invalid_request" && requestId) {
      await deps.prisma.payoutRequest.updateMany({ where: { id: payoutRequestId, npdRequestId: requestId }, data: { npdRequestId: null } });
      return current;
    }
    if (isBank131Error(error)) return current;
    throw error;
  }
}

/** A single-use public token for the bank's linking widget, bound to this payout's INN. */
export async function issueSelfEmployedWidgetToken(deps: PayoutDeps, request: PayoutRequest): Promise<{ publicToken: string; taxReference: string }> {
  if (!request.selfEmployedInn) throw new PayoutError("invalid_state", "This payout is not to a self-employed person");
  if (request.npdStatus !== "not_linked") {
    throw new PayoutError("invalid_state", "Linking is offered only to a self-employed person who is not linked yet", { params: { status: request.npdStatus ?? "checking" } });
  }
  const body = { self_employed_widget: { tax_reference: request.selfEmployedInn } };
  const answer = await recordedCall(
    deps.prisma,
    { payoutRequestId: request.id, method: "token", body, redactResponse: () => ({ status: "ok", public_token: "[redacted]" }) },
    () => deps.bank.token(body),
  );
  return { publicToken: answer.public_token, taxReference: request.selfEmployedInn };
}
