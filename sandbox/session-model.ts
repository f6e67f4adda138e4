import type { BankPaymentStatus } from "@/lib/bank131/schemas";
import { sessionToWire, webhookToWire, type ApiVersion } from "@/lib/bank131/wire";
import type { Behaviour } from "./test-instruments";

/**
 * Stored shape of a sandbox session (canonical v2 names) and its rendering to the wire. Only what the Bank
 * would show leaves the sandbox: masked cards, never hashes; internal fields (behaviour, history) stay here.
 */

/** `verification`: an fps/customer_verification session (no money moves, no confirm). */
export type SessionKind = "payout" | "nominal" | "rko" | "verification";
export type SessionStatus = "created" | "in_progress" | "accepted" | "cancelled" | "error";

export interface ErrorObject {
  code: string;
  description: string;
}

export interface AmountDetails {
  amount: number;
  currency: string;
}

export interface RefundRec {
  id: string;
  status: "in_progress" | "accepted" | "declined" | "error";
  created_at: string;
  finished_at?: string;
  amount_details: AmountDetails;
  is_chargeback: boolean;
}

export interface PayoutRec {
  id: string;
  status: BankPaymentStatus;
  created_at: string;
  finished_at?: string;
  customer?: unknown;
  /** Output form of the instrument (masked card, echoed account, …). */
  payout_details: Record<string, unknown>;
  participant_details?: unknown;
  /** Absent only on verification sessions. */
  amount_details?: AmountDetails;
  fiscalization_details?: unknown;
  transaction_info?: Record<string, string>;
  refunds?: RefundRec[];
  metadata?: unknown;
  error?: ErrorObject;
}

/** Escrow / settlement internal transfer paired with the payout (`pm_…` in payment_list). */
export interface PaymentRec {
  id: string;
  status: BankPaymentStatus;
  created_at: string;
  finished_at?: string;
  customer?: unknown;
  payment_details: Record<string, unknown>;
  amount_details: AmountDetails;
  participant_details?: unknown;
  metadata?: unknown;
  error?: ErrorObject;
}

/** Values from session/create that the start call may omit. */
export interface SessionDraft {
  payout_details?: unknown;
  payment_details?: unknown;
  amount_details?: AmountDetails;
  participant_details?: unknown;
  customer?: unknown;
  fiscalization_details?: unknown;
  metadata?: unknown;
}

export interface SessionRec {
  id: string;
  kind: SessionKind;
  /** Version of the call that created the session; webhooks use its spelling. */
  api_version: ApiVersion;
  project: string;
  status: SessionStatus;
  created_at: string;
  updated_at: string;
  finished_at?: string;
  next_action?: "confirm";
  error?: ErrorObject;
  draft: SessionDraft;
  payout?: PayoutRec;
  payment?: PaymentRec;
  /** Canonical (v2) confirm_information sent in ready_to_confirm; escrow only. */
  confirm_information?: Record<string, unknown>;
  behaviour?: Behaviour;
  /** Started by a …/fiscalization method: the payout registers income and carries a receipt. */
  fiscalized?: boolean;
  /** Human label of the instrument for the `/` page, e.g. "mir 220024••4940". */
  instrument_label?: string;
  history: { at: string; event: string }[];
}

function strip<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

function renderPayout(p: PayoutRec, kind: SessionKind): Record<string, unknown> {
  return strip({
    id: p.id,
    status: p.status,
    created_at: p.created_at,
    finished_at: p.finished_at,
    customer: p.customer,
    payout_details: p.payout_details,
    participant_details: p.participant_details,
    // Seed 004: escrow payouts carry no amount_details; the amount is on the paired payment.
    amount_details: kind === "nominal" ? undefined : p.amount_details,
    fiscalization_details: p.fiscalization_details,
    transaction_info: p.transaction_info,
    refunds: p.refunds && p.refunds.length > 0 ? p.refunds : undefined,
    metadata: p.metadata,
    error: p.error,
  });
}

function renderPayment(p: PaymentRec): Record<string, unknown> {
  return strip({
    id: p.id,
    status: p.status,
    created_at: p.created_at,
    finished_at: p.finished_at,
    customer: p.customer,
    payment_details: p.payment_details,
    amount_details: p.amount_details,
    participant_details: p.participant_details,
    metadata: p.metadata,
    error: p.error,
  });
}

/** Canonical (v2-named) session object as the Bank shows it. */
export function renderSessionCanonical(s: SessionRec): Record<string, unknown> {
  return strip({
    id: s.id,
    status: s.status,
    created_at: s.created_at,
    updated_at: s.updated_at,
    finished_at: s.finished_at,
    next_action: s.next_action,
    payout_list: s.payout ? [renderPayout(s.payout, s.kind)] : undefined,
    payment_list: s.payment ? [renderPayment(s.payment)] : undefined,
    error: s.error,
  });
}

export function renderSession(s: SessionRec, version: ApiVersion): Record<string, unknown> {
  return sessionToWire(renderSessionCanonical(s), version);
}

/** Exact webhook body text; fixed when the event happens and signed as-is on every attempt. */
export function renderWebhookBody(type: string, s: SessionRec): string {
  const body: Record<string, unknown> = { type, session: renderSessionCanonical(s) };
  if (type === "ready_to_confirm" && s.confirm_information) body.confirm_information = s.confirm_information;
  return JSON.stringify(webhookToWire(body, s.api_version));
}
