import type { PrismaClient } from "../generated/prisma/client";
import { maskPhone } from "../format/sbp";
import { toSafeKopecks } from "../money";
import { redactSecret } from "./redact";

/**
 * Risk signals shown to approvers (the queue, the payout page) and kept in the audit of an approval.
 * Each one carries the numbers behind it, so it explains itself (wording: lib/format/risk-signals.ts):
 * - `instrument_many_names`: the card/account was paid to different recipient names within a window;
 * - `instrument_first_payout`: nothing was ever paid to this card/account;
 * - `instrument_many_per_day`: several payouts to one card/account within 24 hours of this one;
 * - `amount_above_history`: far above the median of the recipient's earlier paid payouts;
 * - `link_many_addresses`: the recipient link was opened from many client addresses.
 * The instrument and the folded name are generated columns (migration risk_signals) with indexes, and
 * one query answers a whole page of payouts.
 */

export const RISK_SIGNAL_CODES = [
  "instrument_many_names",
  "instrument_first_payout",
  "instrument_many_per_day",
  "amount_above_history",
  "link_many_addresses",
] as const;
export type RiskSignalCode = (typeof RISK_SIGNAL_CODES)[number];

// A type, not an interface: it goes into JSON columns as it is.
export type RiskSignal = {
  code: RiskSignalCode;
  params: Record<string, string | number>;
};

export interface RiskThresholds {
  /** Different names paid to one instrument are counted within this many days of the payout. */
  namesWindowDays: number;
  /** This many payouts to one instrument within 24 hours of the payout (itself included) raise a signal. */
  instrumentPayoutsPerDay: number;
  /** An amount above this many times the median of the recipient's earlier paid payouts… */
  amountMedianMultiplier: number;
  /** …when they have at least this many of them. */
  amountMinHistory: number;
  /** This many distinct client addresses that opened the payout's link raise a signal. */
  linkAddresses: number;
}

export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = {
  namesWindowDays: 30,
  instrumentPayoutsPerDay: 3,
  amountMedianMultiplier: 5,
  amountMinHistory: 3,
  linkAddresses: 5,
};

/** The median is of the recipient's latest paid payouts, at most this many (a bounded read per row). */
export const AMOUNT_HISTORY_LIMIT = 100;
/** Names listed in an `instrument_many_names` signal (the count says how many there are). */
const NAMES_SHOWN = 5;

/** How the instrument is named to a person: never a card number, tokens redacted. */
export type InstrumentParams = { instrumentKind: "card"; last4: string } | { instrumentKind: "card"; hash: string } | { instrumentKind: "token" | "recurrent"; token: string } | { instrumentKind: "account"; account: string; bik: string } | { instrumentKind: "sbp"; phone: string; bank: string };

interface RawRiskRow {
  id: string;
  amount_kopecks: bigint;
  instrument_key: string | null;
  card_last4: string | null;
  card_number_hash: string | null;
  card_token: string | null;
  recurrent_token: string | null;
  masked_account: string | null;
  bik: string | null;
  bank_account_token: string | null;
  sbp_phone: string | null;
  sbp_bank_id: string | null;
  sbp_bank_name: string | null;
  name_count: number | null;
  names: string[] | null;
  day_count: number | null;
  paid_before: boolean | null;
  history_count: number;
  history_median: bigint | null;
  link_addresses: number;
  link_opens: number;
}

function instrumentParams(row: RawRiskRow): InstrumentParams {
  if (row.card_number_hash) return row.card_last4 ? { instrumentKind: "card", last4: row.card_last4 } : { instrumentKind: "card", hash: redactSecret(row.card_number_hash) };
  if (row.card_token) return { instrumentKind: "token", token: redactSecret(row.card_token) };
  if (row.recurrent_token) return { instrumentKind: "recurrent", token: redactSecret(row.recurrent_token) };
  if (row.masked_account && row.bik) return { instrumentKind: "account", account: row.masked_account, bik: row.bik };
  if (row.sbp_phone && row.sbp_bank_id) return { instrumentKind: "sbp", phone: maskPhone(row.sbp_phone), bank: row.sbp_bank_name ?? row.sbp_bank_id };
  return { instrumentKind: "token", token: redactSecret(row.bank_account_token ?? "") };
}

/** Signals per payout id (every asked id is a key; unknown ids get no entry). */
export async function riskSignalsFor(
  db: Pick<PrismaClient, "$queryRaw">,
  payoutIds: string[],
  thresholds: RiskThresholds = DEFAULT_RISK_THRESHOLDS,
): Promise<Map<string, RiskSignal[]>> {
  const result = new Map<string, RiskSignal[]>();
  if (payoutIds.length === 0) return result;
  // Every lateral read walks an index: instrument_key + created_at (names, the day's count, an earlier
  // paid payout), recipient_key + status + created_at + amount (the median, index-only), and the link
  // opens' primary key.
  const rows = await db.$queryRaw<RawRiskRow[]>`
    SELECT t.id::text AS id, t.amount_kopecks, t.instrument_key, t.card_last4, t.card_number_hash, t.card_token, t.recurrent_token,
           t.masked_account, t.bik, t.bank_account_token, t.sbp_phone, t.sbp_bank_id, t.sbp_bank_name,
           names.count AS name_count, names.names, day.count AS day_count, paid.found AS paid_before,
           history.count AS history_count, history.median AS history_median,
           opens.addresses AS link_addresses, opens.opens AS link_opens
    FROM payout_requests t
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS count, (array_agg(n.recipient_name ORDER BY n.first_at))[1:${NAMES_SHOWN}::int] AS names
      FROM (
        SELECT DISTINCT ON (p.recipient_key) p.recipient_key, p.recipient_name, p.created_at AS first_at
        FROM payout_requests p
        WHERE p.instrument_key = t.instrument_key AND p.created_at > t.created_at - make_interval(days => ${thresholds.namesWindowDays}::int)
        ORDER BY p.recipient_key, p.created_at
      ) n
    ) names ON t.instrument_key IS NOT NULL
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS count FROM payout_requests p
      WHERE p.instrument_key = t.instrument_key AND p.created_at BETWEEN t.created_at - interval '24 hours' AND t.created_at + interval '24 hours'
    ) day ON t.instrument_key IS NOT NULL
    LEFT JOIN LATERAL (
      SELECT EXISTS (
        SELECT 1 FROM payout_requests p
        WHERE p.instrument_key = t.instrument_key AND p.id <> t.id AND p.status IN ('paid'::"PayoutRequestStatus", 'refunded'::"PayoutRequestStatus")
      ) AS found
    ) paid ON t.instrument_key IS NOT NULL
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS count, percentile_disc(0.5) WITHIN GROUP (ORDER BY h.amount_kopecks) AS median
      FROM (
        SELECT p.amount_kopecks FROM payout_requests p
        WHERE p.recipient_key = t.recipient_key AND p.status = 'paid'::"PayoutRequestStatus" AND p.created_at < t.created_at
        ORDER BY p.created_at DESC
        LIMIT ${AMOUNT_HISTORY_LIMIT}
      ) h
    ) history ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS addresses, coalesce(sum(o.opens), 0)::int AS opens FROM payout_link_opens o WHERE o.payout_request_id = t.id
    ) opens ON true
    WHERE t.id = ANY(${payoutIds}::uuid[])`;
  for (const row of rows) result.set(row.id, signalsOf(row, thresholds));
  return result;
}

function signalsOf(row: RawRiskRow, thresholds: RiskThresholds): RiskSignal[] {
  const signals: RiskSignal[] = [];
  if (row.instrument_key) {
    const instrument = instrumentParams(row);
    if ((row.name_count ?? 0) > 1) {
      signals.push({
        code: "instrument_many_names",
        params: { ...instrument, names: row.name_count!, days: thresholds.namesWindowDays, sample: (row.names ?? []).join(", ") },
      });
    }
    if (row.paid_before === false) signals.push({ code: "instrument_first_payout", params: { ...instrument } });
    if ((row.day_count ?? 0) >= thresholds.instrumentPayoutsPerDay) {
      signals.push({ code: "instrument_many_per_day", params: { ...instrument, payouts: row.day_count!, threshold: thresholds.instrumentPayoutsPerDay } });
    }
  }
  if (row.history_median !== null && row.history_count >= thresholds.amountMinHistory) {
    const median = toSafeKopecks(row.history_median);
    const amount = toSafeKopecks(row.amount_kopecks);
    // Integer kopecks: amount > N × median, no division.
    if (amount > thresholds.amountMedianMultiplier * median) {
      signals.push({
        code: "amount_above_history",
        params: { amountKopecks: amount, medianKopecks: median, paidPayouts: row.history_count, multiplier: thresholds.amountMedianMultiplier },
      });
    }
  }
  if (row.link_addresses >= thresholds.linkAddresses) {
    signals.push({ code: "link_many_addresses", params: { addresses: row.link_addresses, opens: row.link_opens, threshold: thresholds.linkAddresses } });
  }
  return signals;
}

/** Counts one open of a payout's link from a client address, given as a keyed hash (never the address itself). */
export async function recordLinkOpen(db: Pick<PrismaClient, "$executeRaw">, payoutRequestId: string, addressHash: string, now: Date = new Date()): Promise<void> {
  await db.$executeRaw`
    INSERT INTO payout_link_opens (payout_request_id, address_hash, opens, first_at, last_at)
    VALUES (${payoutRequestId}::uuid, ${addressHash}, 1, ${now}, ${now})
    ON CONFLICT (payout_request_id, address_hash) DO UPDATE SET opens = payout_link_opens.opens + 1, last_at = EXCLUDED.last_at`;
}
