import type { PaymentSession, Payout } from "../bank131/schemas";
import type { Prisma } from "../generated/prisma/client";
import type { BankPayoutStatus, BankSessionStatus } from "../generated/prisma/enums";
import { BANK, type Actor } from "./audit";
import { nowOf, type PayoutDeps } from "./deps";
import { statusFromBank, type PayoutStatus } from "./state-machine";
import { receiptOf } from "./self-employed";
import { emitAfterCommit, inTransaction, type PayoutTx } from "./transaction";
import { transition } from "./transition";

/**
 * The one way bank news changes a payout: webhooks, the answers to our own calls and
 * reconciliation polls all come through here, so the same news twice is one transition and
 * older news never overwrites newer.
 */

export type BankNewsSource = "webhook" | "start" | "confirm" | "cancel" | "reconcile";

export interface BankNews {
  session: PaymentSession;
  source: BankNewsSource;
  webhookType?: string;
  /**
   * Escrow `confirm_information` exactly as the bank sent it (the subtree of the delivery's raw JSON,
   * unknown keys included): it is echoed byte-for-byte in confirm/cancel, never a parsed copy.
   */
  confirmInformation?: Prisma.InputJsonValue;
}

export interface ApplyResult {
  payoutRequestId: string | null;
  from: PayoutStatus | null;
  to: PayoutStatus | null;
  /** Short machine-readable description for the inbox and timeline. */
  effect: string;
}

const SESSION_RANK: Record<BankSessionStatus, number> = { starting: 0, created: 1, in_progress: 2, error: 2, accepted: 3, cancelled: 3 };
const PAYOUT_RANK: Record<BankPayoutStatus, number> = { in_progress: 0, pending: 1, succeeded: 2, failed: 2 };

/** The confirmation window Bank 131 gives is unconfirmed; Smart Glocal documents 240 minutes. */
export const CONFIRM_WINDOW_MINUTES = 240;

export function payoutAmount(session: PaymentSession, payout: Payout): { amount: number; currency: string } | null {
  // Escrow payouts in ready_to_confirm carry no amount_details: it is on the paired internal transfer.
  const details = payout.amount_details ?? session.payment_list?.[0]?.amount_details;
  return details ? { amount: details.amount, currency: details.currency.toLowerCase() } : null;
}

function isRefunded(payout: Payout | undefined, webhookType: string | undefined): boolean {
  if (!payout || payout.status !== "succeeded") return false;
  return webhookType === "payment_refunded" || (payout.refunds ?? []).some((refund) => refund.status === "accepted");
}

function maskedCardOf(payout: Payout | undefined): { brand?: string; last4?: string; bin?: string } {
  const details = payout?.payout_details;
  if (details?.type !== "card") return {};
  const card = details.card as { brand?: string; last4?: string; bin?: string };
  return { brand: card.brand, last4: card.last4, bin: card.bin };
}

export async function applyBankNewsInTx(tx: PayoutTx, news: BankNews, now: Date, actor: Actor = BANK): Promise<ApplyResult> {
  const { session } = news;
  const row = await tx.bankSession.findUnique({ where: { bankSessionId: session.id }, include: { payoutRequest: { select: { id: true, status: true } } } });
  if (!row) return { payoutRequestId: null, from: null, to: null, effect: "ignored:unknown_session" };

  // Bank news means the row is alive: any back-off of reconciliation's checks starts over.
  const sessionUpdate: Prisma.BankSessionUpdateInput = { lastSyncedAt: now, checkFailures: 0, nextCheckAt: null };
  if (SESSION_RANK[session.status] >= SESSION_RANK[row.status]) {
    sessionUpdate.status = session.status;
    sessionUpdate.nextAction = session.next_action ?? null;
  }
  if (news.confirmInformation) sessionUpdate.confirmInformation = news.confirmInformation;
  await tx.bankSession.update({ where: { id: row.id }, data: sessionUpdate });

  // Bank news is applied as a whole: a refund seen earlier (e.g. payment_refunded delivered before
  // payment_finished) still counts when older news about the same payout arrives later.
  const refundedPayoutIds = new Set<string>();
  for (const payout of session.payout_list ?? []) {
    const amount = payoutAmount(session, payout);
    const existing = await tx.bankPayout.findUnique({ where: { bankPayoutId: payout.id } });
    const refundedAt = isRefunded(payout, news.webhookType) ? now : null;
    if (!existing) {
      await tx.bankPayout.create({
        data: {
          bankSessionRowId: row.id,
          bankPayoutId: payout.id,
          status: payout.status,
          amountKopecks: amount ? BigInt(amount.amount) : null,
          currency: amount?.currency ?? null,
          errorCode: payout.error?.code ?? null,
          errorDescription: payout.error?.description ?? null,
          finishedAt: payout.finished_at ? new Date(payout.finished_at) : null,
          refundedAt,
        },
      });
    } else if (PAYOUT_RANK[payout.status] >= PAYOUT_RANK[existing.status]) {
      await tx.bankPayout.update({
        where: { id: existing.id },
        data: {
          status: payout.status,
          ...(amount && existing.amountKopecks === null ? { amountKopecks: BigInt(amount.amount), currency: amount.currency } : {}),
          errorCode: payout.error?.code ?? existing.errorCode,
          errorDescription: payout.error?.description ?? existing.errorDescription,
          finishedAt: payout.finished_at ? new Date(payout.finished_at) : existing.finishedAt,
          refundedAt: existing.refundedAt ?? refundedAt,
        },
      });
    }
    if (existing?.refundedAt || refundedAt) refundedPayoutIds.add(payout.id);
  }

  // Self-employed: the «Мой налог» receipt, once the bank registered it (kept once; never rewritten).
  const receipt = receiptOf(session);
  if (receipt) {
    const { count } = await tx.payoutRequest.updateMany({
      where: { id: row.payoutRequestId, receiptLink: null },
      data: { receiptId: receipt.id, receiptLink: receipt.link, version: { increment: 1 } },
    });
    if (count === 1) emitAfterCommit(tx, { type: "payout.updated", payoutRequestId: row.payoutRequestId, status: row.payoutRequest.status });
  }

  const primary = session.payout_list?.[0];
  const current = row.payoutRequest.status as PayoutStatus;
  const target = statusFromBank(
    {
      sessionStatus: session.status,
      nextAction: session.next_action,
      payoutStatus: primary?.status ?? null,
      payoutErrorCode: primary?.error?.code ?? null,
      refunded: primary ? refundedPayoutIds.has(primary.id) : false,
    },
    current,
  );
  if (!target || target === current) {
    return { payoutRequestId: row.payoutRequestId, from: current, to: null, effect: target === current ? "unchanged" : "ignored:no_news" };
  }

  const masked = maskedCardOf(primary);
  const set: Prisma.PayoutRequestUpdateManyMutationInput = {
    ...(masked.last4 ? { cardLast4: masked.last4 } : {}),
    ...(masked.brand ? { cardBrand: masked.brand } : {}),
    ...(masked.bin ? { cardBin: masked.bin } : {}),
  };
  if (target === "failed" || target === "bank_error") {
    const error = primary?.error ?? session.error;
    set.failureCode = error?.code ?? null;
    set.failureMessage = error?.description ?? null;
  }
  const from = await transition(tx, row.payoutRequestId, target, actor, {
    action: `bank.${news.source}${news.webhookType ? `.${news.webhookType}` : ""}`,
    data: { bankSessionId: session.id, sessionStatus: session.status, payoutStatus: primary?.status ?? null, errorCode: primary?.error?.code ?? null },
    set,
  });
  if (from === null) {
    return { payoutRequestId: row.payoutRequestId, from: current, to: null, effect: `ignored:stale(${current}→${target})` };
  }
  if (target === "awaiting_approval") {
    await tx.bankSession.update({ where: { id: row.id }, data: { confirmDeadlineAt: new Date(now.getTime() + CONFIRM_WINDOW_MINUTES * 60_000) } });
  }
  return { payoutRequestId: row.payoutRequestId, from, to: target, effect: `transition:${from}→${target}` };
}

/** Applies bank news in its own transaction (the change is published after commit). */
export async function applyBankNews(deps: PayoutDeps, news: BankNews, actor: Actor = BANK): Promise<ApplyResult> {
  return inTransaction(deps, (tx) => applyBankNewsInTx(tx, news, nowOf(deps), actor));
}

