import { formatRequestNumber } from "../format/numbers";
import { Bank131ApiError, Bank131NetworkError, Bank131ProtocolError } from "../bank131/errors";
import type { PaymentSession, PayoutDetailsRequest } from "../bank131/schemas";
import type { BankSession, PayoutRequest, Prisma } from "../generated/prisma/client";
import { applyBankNews } from "./apply";
import type { Actor } from "./audit";
import { recordedCall } from "./bank-calls";
import { isUniqueViolation } from "../db/errors";
import { nowOf, type PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import { inTransaction } from "./transaction";
import { transition, type TransitionSet } from "./transition";
import { fiscalizationDetailsFor, reserveAnnualIncome, type NpdPayer } from "./self-employed";
import { toSafeKopecks } from "../money";

/**
 * Starting a payout at the bank, exactly once per payout request whatever the double clicks,
 * reloads, tabs or retries:
 *  1. one transaction claims the request: a bank-session row (unique per request) holding the
 *     exact bodies to send and an idempotency key derived from the request id;
 *  2. the calls are then made with those bodies and keys; a retry after a timeout replays the same
 *     calls, so the bank answers with the same session instead of opening a second one;
 *  3. a timeout or 5xx leaves the row `starting` for the next retry or reconciliation to resume.
 */

export type StartInstrument =
  | { kind: "card_hash"; numberHash: string; brand?: string | null; last4?: string | null }
  | { kind: "card_token"; token: string }
  | { kind: "recurrent"; token: string }
  | { kind: "bank_account_token"; token: string; maskedAccount?: string; bik?: string }
  /** SBP details with a verified answer from the bank (lib/payouts/sbp.ts). */
  | { kind: "sbp"; phone: string; bankId: string; bankName: string; verifiedName: string | null };

export type StartFlow = "create_start" | "init" | "nominal" | "rko";

/** The bodies a start sends; `start` gets `session_id` added once the session exists. */
interface StartPlan {
  create?: Record<string, unknown>;
  start: Record<string, unknown>;
}

export interface StartOutcome {
  payoutRequestId: string;
  /** The bank accepted the start; false while the outcome is unknown (timeout, bank down). */
  started: boolean;
  /** A definitive refusal from the bank. */
  rejected?: { code: string; description: string };
  /** Why the start is still pending, for the recipient's "we will retry" notice. */
  pendingReason?: string;
}

export function idempotencyKeyFor(payoutRequestId: string): string {
  return `payout-request-${payoutRequestId}`;
}

function payoutDetailsFor(instrument: StartInstrument, request: PayoutRequest): PayoutDetailsRequest {
  switch (instrument.kind) {
    case "card_hash":
      return { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: instrument.numberHash.toLowerCase() } } };
    case "card_token":
      return { type: "card", card: { type: "tokenized_card", tokenized_card: { token: instrument.token } } };
    case "recurrent":
      return { type: "recurrent", recurrent: { token: instrument.token } };
    case "bank_account_token":
      return {
        type: "bank_account",
        bank_account: { system_type: "ru", ru: { token: instrument.token, full_name: request.recipientName, description: request.purpose } },
      };
    case "sbp":
      // The purpose is at most 140 characters for SBP (rule sbp_purpose_too_long at creation).
      return {
        type: "bank_account",
        bank_account: { system_type: "faster_payment_system", faster_payment_system: { phone: instrument.phone, bank_id: instrument.bankId, description: request.purpose } },
      };
  }
}

export function planStart(request: PayoutRequest, instrument: StartInstrument, npdPayer?: NpdPayer): { flow: StartFlow; plan: StartPlan } {
  const payout_details = payoutDetailsFor(instrument, request);
  // Self-employed: the same flows, with the receipt's details; driveStart then calls the
  // …/payout/fiscalization variant of the method.
  const fiscal = request.selfEmployedInn && npdPayer ? { fiscalization_details: fiscalizationDetailsFor(request, npdPayer) } : {};
  const amount_details = { amount: Number(request.amountKopecks), currency: request.currency };
  const metadata = formatRequestNumber(request.number);
  const recipient = { full_name: request.recipientName };
  const customer = { reference: request.reference ?? metadata };

  if (request.sourceAccount === "escrow") {
    return {
      flow: "nominal",
      plan: {
        create: { metadata },
        start: {
          payment_details: {
            type: "internal_transfer",
            internal_transfer: { type: "transfer_from_nominal_account", transfer_from_nominal_account: { description: request.purpose } },
          },
          payout_details,
          participant_details: { sender: { full_name: request.beneficiaryName, beneficiary_id: request.beneficiaryInn }, recipient },
          amount_details,
          customer,
          metadata,
        },
      },
    };
  }
  if (request.sourceAccount === "settlement") {
    return {
      flow: "rko",
      plan: {
        start: {
          payment_details: {
            type: "internal_transfer",
            internal_transfer: { type: "transfer_from_bank_account", transfer_from_bank_account: { description: request.purpose } },
          },
          payout_details,
          participant_details: { recipient },
          amount_details,
          customer,
          metadata,
        },
      },
    };
  }
  if (instrument.kind === "bank_account_token" || instrument.kind === "sbp") {
    // Single-request payout (the scenario the bank documents for accounts and SBP).
    return { flow: "init", plan: { start: { payout_details, participant_details: { recipient }, amount_details, ...fiscal, customer, metadata } } };
  }
  return {
    flow: "create_start",
    plan: { create: { metadata }, start: { payout_details, participant_details: { recipient }, amount_details, ...fiscal, customer, metadata } },
  };
}

function instrumentColumns(instrument: StartInstrument): TransitionSet {
  switch (instrument.kind) {
    case "card_hash":
      return { cardNumberHash: instrument.numberHash.toLowerCase(), cardBrand: instrument.brand ?? null, cardLast4: instrument.last4 ?? null };
    case "card_token":
      return { cardToken: instrument.token };
    case "recurrent":
      return { recurrentToken: instrument.token };
    case "bank_account_token":
      return { bankAccountToken: instrument.token, maskedAccount: instrument.maskedAccount ?? null, bik: instrument.bik ?? null };
    case "sbp":
      return { sbpPhone: instrument.phone, sbpBankId: instrument.bankId, sbpBankName: instrument.bankName, sbpVerifiedName: instrument.verifiedName };
  }
}

/**
 * Claims the request and starts it at the bank. Calling it again for an already-claimed request
 * does not start anything new: it resumes the same bank calls (or reports the existing state).
 */
export async function startPayout(
  deps: PayoutDeps,
  input: { payoutRequestId: string; instrument: StartInstrument; actor: Actor; viaLinkToken?: boolean },
): Promise<StartOutcome> {
  const now = nowOf(deps);
  const claimed = await inTransaction(deps, async (tx) => {
    const request = await tx.payoutRequest.findUnique({ where: { id: input.payoutRequestId }, include: { bankSession: true } });
    if (!request) throw new PayoutError("not_found", "Payout request not found");
    if (request.bankSession) return request.bankSession;
    if (request.status !== "awaiting_recipient") {
      throw new PayoutError("invalid_state", `The payout is ${request.status} and cannot be started`, { params: { status: request.status } });
    }
    if (input.viaLinkToken) {
      if (request.linkRevokedAt) throw new PayoutError("link_revoked", "This payout link was revoked");
      if (request.linkExpiresAt <= now) throw new PayoutError("link_expired", "This payout link has expired");
    }
    let npdIncomeYear: number | undefined;
    if (request.selfEmployedInn) {
      // Only a person the tax service reports as self-employed and linked can get a receipt; the
      // recipient page checks first (a saved instrument starts at creation: the bank checks then).
      if (input.viaLinkToken && request.npdStatus !== "linked") {
        throw new PayoutError("npd_not_linked", "The recipient is not a self-employed person linked to Bank 131 yet", { params: { npdStatus: request.npdStatus ?? "checking" } });
      }
      if (!deps.settings.npdPayer) throw new PayoutError("invalid_state", "PARTNER_INN is not configured: self-employed payouts cannot start");
      // Before any bank call, under the INN's lock: the year's income with this payout stays within the limit.
      npdIncomeYear = await reserveAnnualIncome(tx, request.selfEmployedInn, toSafeKopecks(request.amountKopecks), now);
    }
    const { flow, plan } = planStart(request, input.instrument, deps.settings.npdPayer);
    const session = await tx.bankSession.create({
      data: {
        payoutRequestId: request.id,
        idempotencyKey: idempotencyKeyFor(request.id),
        flow,
        startPlan: plan as unknown as Prisma.InputJsonValue,
        status: "starting",
      },
    });
    const moved = await transition(tx, request.id, "submitted", input.actor, {
      action: "payout.submitted",
      data: { flow, instrument: input.instrument.kind },
      set: { ...instrumentColumns(input.instrument), linkUsedAt: input.viaLinkToken ? now : undefined, npdIncomeYear },
      from: ["awaiting_recipient"],
    });
    if (!moved) throw new PayoutError("invalid_state", "The payout was changed by someone else; reload and try again");
    return session;
  }).catch((error: unknown) => {
    // Two tabs or a double click: the unique request id lost the race; report the winner's state.
    if (isUniqueViolation(error)) return null;
    throw error;
  });

  if (claimed === null) {
    const session = await deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: input.payoutRequestId } });
    return driveStart(deps, session);
  }
  return driveStart(deps, claimed);
}

function isRetriable(error: unknown): boolean {
  if (error instanceof Bank131NetworkError) return true;
  if (error instanceof Bank131ProtocolError) return (error.httpStatus ?? 500) >= 500;
  if (error instanceof Bank131ApiError) return error.code === "internal_error" || (error.httpStatus ?? 0) >= 500;
  return false;
}

/**
 * Makes (or replays) the bank calls of a claimed start. Safe to run concurrently and repeatedly:
 * the same bodies under the same idempotency keys give the same bank session.
 */
export async function driveStart(deps: PayoutDeps, row: BankSession): Promise<StartOutcome> {
  const outcome: StartOutcome = { payoutRequestId: row.payoutRequestId, started: false };
  if (row.status !== "starting" && row.status !== "created") return { ...outcome, started: true };

  const plan = row.startPlan as unknown as StartPlan;
  const fiscal = plan.start.fiscalization_details !== undefined;
  const key = row.idempotencyKey;
  const prisma = deps.prisma;
  const claimed = await prisma.bankSession.update({
    where: { id: row.id },
    data: { startAttempts: { increment: 1 } },
    select: { startAttempts: true, lastError: true, payoutRequest: { select: { status: true } } },
  });
  // An operator investigates; replaying would only meet the same refusal.
  if (claimed.payoutRequest.status === "needs_attention") return { ...outcome, pendingReason: "needs_attention" };
  // A bank session may exist when this is not the first attempt or an earlier outcome was unknown.
  const replayed = claimed.startAttempts > 1 || row.lastError !== null || claimed.lastError !== null;
  const call = <T>(method: string, body: Record<string, unknown>, idempotencyKey: string, send: () => Promise<T>) =>
    recordedCall(prisma, { payoutRequestId: row.payoutRequestId, method, idempotencyKey, body }, send);

  let sessionId = row.bankSessionId;
  try {
    let session: PaymentSession;
    if (row.flow === "create_start" || row.flow === "nominal") {
      if (!sessionId) {
        const createKey = `${key}:create`;
        const created =
          row.flow === "nominal"
            ? await call("session/multi/create/nominal", plan.create ?? {}, createKey, () => deps.bank.multiCreateNominal(plan.create ?? {}, { idempotencyKey: createKey }))
            : await call("session/create", plan.create ?? {}, createKey, () => deps.bank.sessionCreate(plan.create ?? {}, { idempotencyKey: createKey }));
        sessionId = created.session.id;
        await prisma.bankSession.update({ where: { id: row.id }, data: { bankSessionId: sessionId, status: "created", lastError: null } });
      }
      const body = { session_id: sessionId, ...plan.start };
      const startKey = `${key}:start`;
      const started =
        row.flow === "nominal"
          ? await call("session/multi/start/payment/nominal", body, startKey, () =>
              deps.bank.multiStartPaymentNominal(body as Parameters<typeof deps.bank.multiStartPaymentNominal>[0], { idempotencyKey: startKey }),
            )
          : fiscal
            ? await call("session/start/payout/fiscalization", body, startKey, () =>
                deps.bank.startPayoutFiscalization(body as Parameters<typeof deps.bank.startPayoutFiscalization>[0], { idempotencyKey: startKey }),
              )
            : await call("session/start/payout", body, startKey, () => deps.bank.startPayout(body as Parameters<typeof deps.bank.startPayout>[0], { idempotencyKey: startKey }));
      session = started.session;
    } else {
      const initKey = `${key}:init`;
      const body = plan.start;
      const started =
        row.flow === "rko"
          ? await call("session/init/payout/rko", body, initKey, () => deps.bank.initPayoutRko(body as Parameters<typeof deps.bank.initPayoutRko>[0], { idempotencyKey: initKey }))
          : fiscal
            ? await call("session/init/payout/fiscalization", body, initKey, () =>
                deps.bank.initPayoutFiscalization(body as Parameters<typeof deps.bank.initPayoutFiscalization>[0], { idempotencyKey: initKey }),
              )
            : await call("session/init/payout", body, initKey, () => deps.bank.initPayout(body as Parameters<typeof deps.bank.initPayout>[0], { idempotencyKey: initKey }));
      session = started.session;
      if (!sessionId) {
        await prisma.bankSession.update({ where: { id: row.id }, data: { bankSessionId: session.id, status: "created", lastError: null } });
      }
    }
    await applyBankNews(deps, { session, source: "start" });
    return { ...outcome, started: true };
  } catch (error) {
    if (isRetriable(error)) {
      const reason = error instanceof Bank131NetworkError && error.timedOut ? "bank_timeout" : "bank_unavailable";
      await prisma.bankSession.update({ where: { id: row.id }, data: { lastError: `${reason}: ${(error as Error).message}`.slice(0, 500) } });
      return { ...outcome, pendingReason: reason };
    }
    if (error instanceof Bank131ApiError) {
      if (sessionId) return settleRefusalFromStatus(deps, row, sessionId, error, replayed);
      if (replayed) {
        await needsAttention(deps, row, error);
        return { ...outcome, pendingReason: "needs_attention" };
      }
      await rejectStart(deps, row, error);
      return { ...outcome, rejected: { code: error.code, description: error.description } };
    }
    throw error;
  }
}

/**
 * A refusal while a bank session exists is settled by the bank's own view (`session/status`), never by
 * guessing: a replayed start refused as `session_wrong_state` or `idempotency_key_already_exists` may
 * belong to a session that is running and will pay. Only a session the bank shows as still `created`
 * (nothing started) after a refusal of our first attempt is failed.
 */
async function settleRefusalFromStatus(deps: PayoutDeps, row: BankSession, sessionId: string, refusal: Bank131ApiError, replayed: boolean): Promise<StartOutcome> {
  const outcome: StartOutcome = { payoutRequestId: row.payoutRequestId, started: false };
  let status: Awaited<ReturnType<PayoutDeps["bank"]["status"]>>;
  try {
    status = await recordedCall(deps.prisma, { payoutRequestId: row.payoutRequestId, method: "session/status", body: { session_id: sessionId } }, () => deps.bank.status(sessionId));
  } catch (error) {
    if (!isRetriable(error)) throw error;
    await deps.prisma.bankSession.update({ where: { id: row.id }, data: { lastError: `start refused (${refusal.code}); status unknown: ${(error as Error).message}`.slice(0, 500) } });
    return { ...outcome, pendingReason: "bank_unavailable" };
  }
  if (status.session.status !== "created") {
    await applyBankNews(deps, { session: status.session, source: "start" });
    return { ...outcome, started: true };
  }
  await (replayed ? needsAttention(deps, row, refusal) : rejectStart(deps, row, refusal));
  return replayed ? { ...outcome, pendingReason: "needs_attention" } : { ...outcome, rejected: { code: refusal.code, description: refusal.description } };
}

/** The bank refused a replay and cannot be asked (session id never learned): an operator decides. */
async function needsAttention(deps: PayoutDeps, row: BankSession, error: Bank131ApiError): Promise<void> {
  const reason = row.bankSessionId ? "start_refused_session_created" : "start_refused_session_unknown";
  await inTransaction(deps, async (tx) => {
    await tx.bankSession.update({ where: { id: row.id }, data: { lastError: `${error.code}: ${error.description}`.slice(0, 500) } });
    await transition(tx, row.payoutRequestId, "needs_attention", { type: "bank" }, {
      action: "bank.start_refused_unresolved",
      data: { code: error.code, description: error.description, reason },
      set: { attentionReason: reason, failureCode: error.code, failureMessage: error.description },
    });
  });
}

async function rejectStart(deps: PayoutDeps, row: BankSession, error: Bank131ApiError): Promise<void> {
  await inTransaction(deps, async (tx) => {
    await tx.bankSession.update({ where: { id: row.id }, data: { status: "error", lastError: `${error.code}: ${error.description}`.slice(0, 500) } });
    await transition(tx, row.payoutRequestId, "failed", { type: "bank" }, {
      action: "bank.start_rejected",
      data: { code: error.code, description: error.description },
      set: { failureCode: error.code, failureMessage: error.description },
    });
  });
}
