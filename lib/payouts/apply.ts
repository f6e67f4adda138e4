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

interface LockedSession {
  id: string;
  payoutRequestId: string;
  status: BankSessionStatus;
  payoutStatus: PayoutStatus;
}

/**
 * Locks the session and payout rows together (to the end of the transaction) and reads them, in one
 * round trip: news about one session is applied one delivery at a time, and every decision below
 * reads what it will change. Rows of other tables are read after this (a statement that waited for a
 * lock still sees only what had committed when it started).
 */
async function lockSession(tx: PayoutTx, bankSessionId: string): Promise<LockedSession | null> {
  const rows = await tx.$queryRaw<LockedSession[]>`
    SELECT s.id::text AS "id", s.payout_request_id::text AS "payoutRequestId", s.status::text AS "status", p.status::text AS "payoutStatus"
    FROM bank_sessions s JOIN payout_requests p ON p.id = s.payout_request_id
    WHERE s.bank_session_id = ${bankSessionId}
    FOR UPDATE OF s, p`;
  return rows[0] ?? null;
}

export async function applyBankNewsInTx(tx: PayoutTx, news: BankNews, now: Date, actor: Actor = BANK): Promise<ApplyResult> {
  const { session } = news;
  const payouts = session.payout_list ?? [];
  const row = await lockSession(tx, session.id);
  if (!row) return { payoutRequestId: null, from: null, to: null, effect: "ignored:unknown_session" };
  const known =
    payouts.length === 0
      ? []
      : await tx.bankPayout.findMany({ where: { bankPayoutId: { in: payouts.map((payout) => payout.id) } }, select: { bankPayoutId: true, status: true, amountKopecks: true, refundedAt: true } });

  // Bank news is applied as a whole: a refund seen earlier (e.g. payment_refunded delivered before
  // payment_finished) still counts when older news about the same payout arrives later.
  const refundedPayoutIds = new Set<string>();
  const stored = new Map<string, { status: BankPayoutStatus; hasAmount: boolean; refunded: boolean }>(
    known.map((payout) => [payout.bankPayoutId, { status: payout.status, hasAmount: payout.amountKopecks !== null, refunded: payout.refundedAt !== null }]),
  );
  for (const payout of payouts) {
    const amount = payoutAmount(session, payout);
    const existing = stored.get(payout.id);
    const refundedAt = isRefunded(payout, news.webhookType) ? now : null;
    if (!existing) {
      await tx.bankPayout.createMany({
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
      // A later entry of the same list naming this payout again updates the row just written.
      stored.set(payout.id, { status: payout.status, hasAmount: amount !== null, refunded: refundedAt !== null });
    } else if (PAYOUT_RANK[payout.status] >= PAYOUT_RANK[existing.status]) {
      // Fields the news leaves out keep what is stored (undefined: Prisma leaves the column alone).
      await tx.bankPayout.updateMany({
        where: { bankPayoutId: payout.id },
        data: {
          status: payout.status,
          ...(amount && !existing.hasAmount ? { amountKopecks: BigInt(amount.amount), currency: amount.currency } : {}),
          errorCode: payout.error?.code ?? undefined,
          errorDescription: payout.error?.description ?? undefined,
          finishedAt: payout.finished_at ? new Date(payout.finished_at) : undefined,
          refundedAt: existing.refunded ? undefined : (refundedAt ?? undefined),
        },
      });
    }
    if (existing?.refunded || refundedAt) refundedPayoutIds.add(payout.id);
  }

  // Self-employed: the «Мой налог» receipt, once the bank registered it (kept once; never rewritten).
  const receipt = receiptOf(session);
  if (receipt) {
    const { count } = await tx.payoutRequest.updateMany({
      where: { id: row.payoutRequestId, receiptLink: null },
      data: { receiptId: receipt.id, receiptLink: receipt.link, version: { increment: 1 } },
    });
    if (count === 1) emitAfterCommit(tx, { type: "payout.updated", payoutRequestId: row.payoutRequestId, status: row.payoutStatus });
  }

  const primary = payouts[0];
  const current = row.payoutStatus;
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

  let from: PayoutStatus | null = null;
  if (target && target !== current) {
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
    from = await transition(tx, row.payoutRequestId, target, actor, {
      action: `bank.${news.source}${news.webhookType ? `.${news.webhookType}` : ""}`,
      data: { bankSessionId: session.id, sessionStatus: session.status, payoutStatus: primary?.status ?? null, errorCode: primary?.error?.code ?? null },
      set,
      current,
    });
  }

  // Bank news means the row is alive: any back-off of reconciliation's checks starts over.
  const sessionUpdate: Prisma.BankSessionUpdateManyMutationInput = { lastSyncedAt: now, checkFailures: 0, nextCheckAt: null };
  if (SESSION_RANK[session.status] >= SESSION_RANK[row.status]) {
    sessionUpdate.status = session.status;
    sessionUpdate.nextAction = session.next_action ?? null;
  }
  if (news.confirmInformation) sessionUpdate.confirmInformation = news.confirmInformation;
  if (from !== null && target === "awaiting_approval") sessionUpdate.confirmDeadlineAt = new Date(now.getTime() + CONFIRM_WINDOW_MINUTES * 60_000);
  await tx.bankSession.updateMany({ where: { id: row.id }, data: sessionUpdate });

  if (!target || target === current) {
    return { payoutRequestId: row.payoutRequestId, from: current, to: null, effect: target === current ? "unchanged" : "ignored:no_news" };
  }
  if (from === null) {
    return { payoutRequestId: row.payoutRequestId, from: current, to: null, effect: `ignored:stale(${current}→${target})` };
  }
  return { payoutRequestId: row.payoutRequestId, from, to: target, effect: `transition:${from}→${target}` };
}

/** Applies bank news in its own transaction (the change is published after commit). */
export async function applyBankNews(deps: PayoutDeps, news: BankNews, actor: Actor = BANK): Promise<ApplyResult> {
  return inTransaction(deps, (tx) => applyBankNewsInTx(tx, news, nowOf(deps), actor));
}

