import type { PaymentSession, Payout } from "../bank131/schemas";
import type { Prisma } from "../generated/prisma/client";
import type { BankPayoutStatus, BankSessionStatus } from "../generated/prisma/enums";
import { BANK, type Actor } from "./audit";
import { nowOf, type PayoutDeps } from "./deps";
import { statusFromBank, type PayoutStatus } from "./state-machine";
import { receiptOf } from "./self-employed";
import { numberedAfter, sqlOf, uuidv7, type Sql, type SqlFragment } from "../db/sql";
import { emitAfterCommit, inTransaction, type AnyPayoutTx } from "./transaction";
import { transition, type TransitionSet } from "./transition";

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
  /**
   * The news's own record, given the effect it had (a webhook's inbox row): an INSERT written in the
   * same statement as the session's update, or alone when the news names no known session.
   */
  record?: (effect: string) => SqlFragment;
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

/** The news's `updated_at` when PostgreSQL can read it as a time, else null (then only the rank orders it). */
function bankTimeOf(session: PaymentSession): string | null {
  const at = session.updated_at;
  return typeof at === "string" && !Number.isNaN(Date.parse(at)) ? at : null;
}

/**
 * Locks the session and payout rows together (to the end of the transaction) and reads them, in one
 * round trip: news about one session is applied one delivery at a time, and every decision below
 * reads what it will change. Rows of other tables are read after this (a statement that waited for a
 * lock still sees only what had committed when it started).
 */
async function lockSession(sql: Sql, bankSessionId: string): Promise<LockedSession | null> {
  const rows = await sql.rows<LockedSession>(
    `SELECT s.id::text AS "id", s.payout_request_id::text AS "payoutRequestId", s.status::text AS "status", p.status::text AS "payoutStatus"
     FROM bank_sessions s JOIN payout_requests p ON p.id = s.payout_request_id
     WHERE s.bank_session_id = $1
     FOR UPDATE OF s, p`,
    [bankSessionId],
  );
  return rows[0] ?? null;
}

interface StoredPayout {
  bankPayoutId: string;
  status: BankPayoutStatus;
  hasAmount: boolean;
  refunded: boolean;
}

/**
 * Plain SQL (lib/db/sql.ts), so the webhook path runs it on the database's own connection and the
 * other paths in their Prisma transactions: one copy either way.
 */
export async function applyBankNewsInTx(tx: AnyPayoutTx, news: BankNews, now: Date, actor: Actor = BANK): Promise<ApplyResult> {
  const sql = sqlOf(tx);
  const { session } = news;
  const payouts = session.payout_list ?? [];
  const row = await lockSession(sql, session.id);
  if (!row) {
    const effect = "ignored:unknown_session";
    if (news.record) {
      const record = news.record(effect);
      await sql.execute(record.text, record.params);
    }
    return { payoutRequestId: null, from: null, to: null, effect };
  }
  const known =
    payouts.length === 0
      ? []
      : await sql.rows<StoredPayout>(
          `SELECT bank_payout_id AS "bankPayoutId", status::text AS "status", (amount_kopecks IS NOT NULL) AS "hasAmount", (refunded_at IS NOT NULL) AS "refunded"
           FROM bank_payouts WHERE bank_payout_id = ANY($1::text[])`,
          [payouts.map((payout) => payout.id)],
        );

  // Bank news is applied as a whole: a refund seen earlier (e.g. payment_refunded delivered before
  // payment_finished) still counts when older news about the same payout arrives later.
  const refundedPayoutIds = new Set<string>();
  const stored = new Map<string, { status: BankPayoutStatus; hasAmount: boolean; refunded: boolean }>(known.map((payout) => [payout.bankPayoutId, payout]));
  // One write per bank payout, sent with the session's update below; a list naming a payout twice
  // folds the later entry into the same write, as a second statement would have changed the row.
  const payoutWrites = new Map<string, PayoutWrite>();
  for (const payout of payouts) {
    const amount = payoutAmount(session, payout);
    const existing = stored.get(payout.id);
    const refundedAt = isRefunded(payout, news.webhookType) ? now : null;
    if (!existing) {
      payoutWrites.set(payout.id, {
        insert: true,
        columns: {
          id: uuidv7(),
          bank_session_row_id: row.id,
          bank_payout_id: payout.id,
          status: payout.status,
          amount_kopecks: amount ? String(amount.amount) : null,
          currency: amount?.currency ?? null,
          error_code: payout.error?.code ?? null,
          error_description: payout.error?.description ?? null,
          finished_at: payout.finished_at ? new Date(payout.finished_at) : null,
          refunded_at: refundedAt,
          updated_at: new Date(),
        },
      });
      stored.set(payout.id, { status: payout.status, hasAmount: amount !== null, refunded: refundedAt !== null });
    } else if (PAYOUT_RANK[payout.status] >= PAYOUT_RANK[existing.status]) {
      const write = payoutWrites.get(payout.id) ?? { insert: false, columns: {} };
      // Fields the news leaves out keep what is stored (undefined leaves the column alone).
      for (const [column, value] of Object.entries({
        status: payout.status,
        updated_at: new Date(),
        ...(amount && !existing.hasAmount ? { amount_kopecks: String(amount.amount), currency: amount.currency } : {}),
        error_code: payout.error?.code,
        error_description: payout.error?.description,
        finished_at: payout.finished_at ? new Date(payout.finished_at) : undefined,
        refunded_at: existing.refunded ? undefined : (refundedAt ?? undefined),
      })) {
        if (value !== undefined) write.columns[column] = value;
      }
      payoutWrites.set(payout.id, write);
    }
    if (existing?.refunded || refundedAt) refundedPayoutIds.add(payout.id);
  }

  // Self-employed: the «Мой налог» receipt, once the bank registered it (kept once; never rewritten).
  const receipt = receiptOf(session);
  if (receipt) {
    const count = await sql.execute(
      "UPDATE payout_requests SET receipt_id = $2, receipt_link = $3, version = version + 1, updated_at = $4::timestamptz WHERE id = $1::uuid AND receipt_link IS NULL",
      [row.payoutRequestId, receipt.id, receipt.link, new Date()],
    );
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
    const set: TransitionSet = {
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
  const result: ApplyResult =
    !target || target === current
      ? { payoutRequestId: row.payoutRequestId, from: current, to: null, effect: target === current ? "unchanged" : "ignored:no_news" }
      : from === null
        ? { payoutRequestId: row.payoutRequestId, from: current, to: null, effect: `ignored:stale(${current}→${target})` }
        : { payoutRequestId: row.payoutRequestId, from, to: target, effect: `transition:${from}→${target}` };

  // Bank news means the row is alive: any back-off of reconciliation's checks starts over.
  // The session's status and next action follow the news of a higher rank, or of the same rank when it
  // is not older than what set them (by the bank's updated_at): the answer to our own start call can
  // be applied after the webhook it caused, and must not wipe that webhook's `next_action: confirm`.
  // The bank payouts' writes and the news's own record ride in the same statement, as CTEs (each runs
  // to completion; they touch other tables): one round trip for all of them.
  const rank = Math.sign(SESSION_RANK[session.status] - SESSION_RANK[row.status]);
  const deadline = from !== null && target === "awaiting_approval" ? new Date(now.getTime() + CONFIRM_WINDOW_MINUTES * 60_000) : null;
  const sessionParams = [row.id, now, new Date(), rank, session.status, session.next_action ?? null, news.confirmInformation ? JSON.stringify(news.confirmInformation) : null, deadline, bankTimeOf(session)];
  const riders = [...[...payoutWrites].map(([bankPayoutId, write]) => payoutWriteSql(bankPayoutId, write)), ...(news.record ? [news.record(result.effect)] : [])];
  const { texts, params } = numberedAfter(sessionParams.length, riders);
  await sql.execute(
    `WITH ${texts.map((text, index) => `rider_${index} AS (${text}), `).join("")}news AS (
       SELECT $4::int > 0 OR ($4::int = 0 AND ($9::timestamptz IS NULL OR s.bank_updated_at IS NULL OR $9::timestamptz >= s.bank_updated_at)) AS moves
       FROM bank_sessions s WHERE s.id = $1::uuid
     )
     UPDATE bank_sessions SET last_synced_at = $2::timestamptz, check_failures = 0, next_check_at = NULL, updated_at = $3::timestamptz,
       status = CASE WHEN news.moves THEN $5::"BankSessionStatus" ELSE status END,
       next_action = CASE WHEN news.moves THEN $6::text ELSE next_action END,
       bank_updated_at = CASE WHEN news.moves THEN COALESCE($9::timestamptz, bank_updated_at) ELSE bank_updated_at END,
       confirm_information = COALESCE($7::jsonb, confirm_information),
       confirm_deadline_at = COALESCE($8::timestamptz, confirm_deadline_at)
     FROM news WHERE id = $1::uuid`,
    [...sessionParams, ...params],
  );
  return result;
}

/** A bank payout's row to insert, or the columns of its stored row to change (named by column). */
interface PayoutWrite {
  insert: boolean;
  columns: Record<string, unknown>;
}

const BANK_PAYOUT_CASTS: Record<string, string> = {
  id: "uuid",
  bank_session_row_id: "uuid",
  status: '"BankPayoutStatus"',
  amount_kopecks: "bigint",
  finished_at: "timestamptz",
  refunded_at: "timestamptz",
  updated_at: "timestamptz",
};

function payoutWriteSql(bankPayoutId: string, write: PayoutWrite): SqlFragment {
  const columns = Object.keys(write.columns);
  const value = (column: string, n: number) => `$${n}${column in BANK_PAYOUT_CASTS ? `::${BANK_PAYOUT_CASTS[column]}` : ""}`;
  if (write.insert) {
    return { text: `INSERT INTO bank_payouts (${columns.join(", ")}) VALUES (${columns.map((column, i) => value(column, i + 1)).join(", ")})`, params: Object.values(write.columns) };
  }
  return {
    text: `UPDATE bank_payouts SET ${columns.map((column, i) => `${column} = ${value(column, i + 2)}`).join(", ")} WHERE bank_payout_id = $1`,
    params: [bankPayoutId, ...Object.values(write.columns)],
  };
}

/** Applies bank news in its own transaction (the change is published after commit). */
export async function applyBankNews(deps: PayoutDeps, news: BankNews, actor: Actor = BANK): Promise<ApplyResult> {
  return inTransaction(deps, (tx) => applyBankNewsInTx(tx, news, nowOf(deps), actor));
}

