import { randomBytes } from "node:crypto";
import { NPD_ANNUAL_INCOME_LIMIT_KOPECKS } from "@/lib/bank131/schemas";
import type { Store } from "./store";
import { DEFAULT_TAXPAYER, findTestTaxpayer, type TaxpayerProfile } from "./test-instruments";
import { isoMicro, nextId } from "./util";

/**
 * The sandbox's tax service for the self-employed (НПД): who is self-employed, who has linked Bank 131 in
 * «Мой налог», the year's registered income, npd/check requests, linking requests from the widget and the
 * receipts of registered income. Everything is stored, so it survives restarts like sessions do.
 */

export interface TaxpayerRec extends TaxpayerProfile {
  tax_reference: string;
  /** Registered income per Moscow calendar year ("2026" → kopecks). */
  income_by_year: Record<string, number>;
  linked_at?: string;
}

export interface NpdCheckRec {
  id: string;
  project: string;
  tax_reference: string;
  created_at_ms: number;
  /** Fixed when first answered "ok": the bank keeps no live state, a later change needs a new check. */
  result?: { is_professional_income_taxpayer: boolean; is_linked: boolean };
}

export type BindingState = "request_sent" | "confirmed" | "rejected";

/** A linking request from the widget, waiting for the person's answer in «Мой налог». One per INN. */
export interface BindingRec {
  tax_reference: string;
  state: BindingState;
  created_at: string;
  updated_at: string;
}

export interface FiscalService {
  name: string;
  amount_details: { amount: number; currency: string };
  quantity: number;
}

export interface ProfessionalIncomeTaxpayer {
  tax_reference: string;
  payer_type: string;
  payer_tax_number?: string;
  payer_name?: string;
  services: FiscalService[];
}

export interface ReceiptRec {
  id: string;
  link: string;
  tax_reference: string;
  created_at: string;
  session_id: string;
  payout_id?: string;
  amount: number;
  details: ProfessionalIncomeTaxpayer;
}

export type NpdStatusAnswer =
  | { status: "pending"; request_id: string }
  | { status: "ok"; request_id: string; is_professional_income_taxpayer: boolean; is_linked: boolean };

/** The year of a moment in Moscow (UTC+3, no DST): the tax year of the income. */
export function moscowYear(ms: number = Date.now()): string {
  return String(new Date(ms + 3 * 60 * 60 * 1000).getUTCFullYear());
}

/** Sum of the services: the receipt's total. */
export function servicesTotal(services: readonly FiscalService[]): number {
  return services.reduce((sum, s) => sum + s.amount_details.amount * s.quantity, 0);
}

export class SelfEmployed {
  constructor(
    private readonly store: Store,
    private readonly options: { checkDelayMs: number; publicUrl: string },
  ) {}

  taxpayer(taxReference: string): TaxpayerRec {
    const stored = this.store.get<TaxpayerRec>("taxpayers", taxReference);
    if (stored) return stored;
    const profile: TaxpayerProfile = findTestTaxpayer(taxReference) ?? DEFAULT_TAXPAYER;
    return {
      self_employed: profile.self_employed,
      linked: profile.linked,
      ...(profile.stays_pending ? { stays_pending: true } : {}),
      tax_reference: taxReference,
      // A test person's earlier income counts in the year the sandbox first sees them.
      income_by_year: profile.income_kopecks ? { [moscowYear()]: profile.income_kopecks } : {},
    };
  }

  private saveTaxpayer(t: TaxpayerRec): void {
    this.store.put("taxpayers", t.tax_reference, t);
  }

  incomeThisYear(taxReference: string): number {
    return this.taxpayer(taxReference).income_by_year[moscowYear()] ?? 0;
  }

  // ---- npd/check, npd/request/status -------------------------------------------------------------

  check(project: string, taxReference: string): NpdCheckRec {
    const rec: NpdCheckRec = { id: nextId(this.store, "npd"), project, tax_reference: taxReference, created_at_ms: Date.now() };
    this.store.put("npd_checks", rec.id, rec);
    return rec;
  }

  /** undefined: no such request for this project. */
  requestStatus(project: string, requestId: string): NpdStatusAnswer | undefined {
    const rec = this.store.get<NpdCheckRec>("npd_checks", requestId);
    if (!rec || rec.project !== project) return undefined;
    if (!rec.result) {
      const t = this.taxpayer(rec.tax_reference);
      if (t.stays_pending || Date.now() < rec.created_at_ms + this.options.checkDelayMs) return { status: "pending", request_id: rec.id };
      rec.result = { is_professional_income_taxpayer: t.self_employed, is_linked: t.self_employed && t.linked };
      this.store.put("npd_checks", rec.id, rec);
    }
    return { status: "ok", request_id: rec.id, ...rec.result };
  }

  // ---- payouts -----------------------------------------------------------------------------------

  /** Why a fiscalized payout of `amount` to this INN cannot go ahead (an error code), or null. */
  payoutProblem(taxReference: string, amount: number): string | null {
    const t = this.taxpayer(taxReference);
    if (t.stays_pending) return "npd_service_internal_error";
    if (!t.self_employed) return "taxpayer_unknown";
    if (!t.linked) return "taxpayer_not_bound";
    if (this.incomeThisYear(taxReference) + amount > NPD_ANNUAL_INCOME_LIMIT_KOPECKS) return "taxpayer_income_exceeds_amount_limit";
    return null;
  }

  /** Registers the income and its receipt; re-checks, since another payout may have used the limit. */
  registerIncome(details: ProfessionalIncomeTaxpayer, amount: number, ref: { session_id: string; payout_id?: string }): ReceiptRec | { error: string } {
    const problem = this.payoutProblem(details.tax_reference, amount);
    if (problem) return { error: problem };
    const t = this.taxpayer(details.tax_reference);
    const year = moscowYear();
    t.income_by_year = { ...t.income_by_year, [year]: (t.income_by_year[year] ?? 0) + amount };
    this.saveTaxpayer(t);
    // «Мой налог» receipt ids are short base-36 strings.
    const id = randomBytes(8).readBigUInt64BE().toString(36).slice(0, 10);
    const receipt: ReceiptRec = {
      id,
      link: `${this.options.publicUrl}/npd/receipts/${details.tax_reference}/${id}`,
      tax_reference: details.tax_reference,
      created_at: isoMicro(),
      ...ref,
      amount,
      details,
    };
    this.store.put("receipts", id, receipt);
    return receipt;
  }

  receipt(id: string): ReceiptRec | undefined {
    return this.store.get<ReceiptRec>("receipts", id);
  }

  // ---- linking (widget + «Мой налог») ------------------------------------------------------------

  binding(taxReference: string): BindingRec | undefined {
    return this.store.get<BindingRec>("npd_bindings", taxReference);
  }

  /** The widget's "send request": an error code, or the (new or existing) linking request. */
  requestBinding(taxReference: string): BindingRec | { error: "taxpayer_unknown" | "npd_service_internal_error" } {
    const t = this.taxpayer(taxReference);
    if (t.stays_pending) return { error: "npd_service_internal_error" };
    if (!t.self_employed) return { error: "taxpayer_unknown" };
    const now = isoMicro();
    const state: BindingState = t.linked ? "confirmed" : "request_sent";
    const existing = this.binding(taxReference);
    const rec: BindingRec = { tax_reference: taxReference, state, created_at: existing && existing.state === state ? existing.created_at : now, updated_at: now };
    this.store.put("npd_bindings", taxReference, rec);
    return rec;
  }

  /** The person's answer in «Мой налог» (simulated): only an open request can be decided. */
  decideBinding(taxReference: string, confirm: boolean): BindingRec | undefined {
    const rec = this.binding(taxReference);
    if (!rec || rec.state !== "request_sent") return undefined;
    rec.state = confirm ? "confirmed" : "rejected";
    rec.updated_at = isoMicro();
    this.store.put("npd_bindings", taxReference, rec);
    if (confirm) {
      const t = this.taxpayer(taxReference);
      t.linked = true;
      t.linked_at = rec.updated_at;
      this.saveTaxpayer(t);
    }
    return rec;
  }
}
