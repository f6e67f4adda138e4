/**
 * The shape of every string of the recipient's payout-link page (/p/<token>) — the Russian and English
 * texts themselves are recipient-ru.ts and recipient-en.ts — plus the language choice: the
 * `recipient_locale` cookie (set by the page's RU/EN switch) wins, then the browser's Accept-Language,
 * then Russian. Pure module: used by server components and client islands.
 * Error sentences are not here: the page passes the recipient's wording of every code from the
 * catalogue (lib/i18n/errors.ts `recipientErrorSentences`), so the browser ships no catalogue.
 */

import type { PayoutStatus } from "../payouts/state-machine";

export const RECIPIENT_LOCALES = ["ru", "en"] as const;
export type RecipientLocale = (typeof RECIPIENT_LOCALES)[number];
export const DEFAULT_RECIPIENT_LOCALE: RecipientLocale = "ru";
export const RECIPIENT_LOCALE_COOKIE = "recipient_locale";
/** A year; the cookie only remembers a language. */
export const RECIPIENT_LOCALE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

export function isRecipientLocale(value: unknown): value is RecipientLocale {
  return value === "ru" || value === "en";
}

/**
 * `Accept-Language` → "ru" | "en" by quality value (`en-US,en;q=0.9,ru;q=0.8` → en). A header naming
 * neither language gives null, so the caller falls back to Russian, the product's main language.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): RecipientLocale | null {
  if (!header) return null;
  let best: RecipientLocale | null = null;
  let bestQ = 0;
  for (const part of header.slice(0, 512).split(",")) {
    const [tag = "", ...params] = part.trim().split(";");
    const primary = tag.trim().toLowerCase().split("-")[0];
    if (!isRecipientLocale(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    // Ties keep the earlier entry: the header's order is the browser's order of preference.
    if (Number.isFinite(q) && q > bestQ) {
      best = primary;
      bestQ = q;
    }
  }
  return best;
}

export function negotiateRecipientLocale(input: { cookie?: string | null; acceptLanguage?: string | null }): RecipientLocale {
  if (isRecipientLocale(input.cookie)) return input.cookie;
  return localeFromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_RECIPIENT_LOCALE;
}


interface StatusText {
  title: string;
  /** One or two sentences under the title; `payer` is who pays, `to` the card or account label. */
  body: (args: { payer: string; to: string | null; kind: "card" | "bank_account" | "sbp" | null }) => string;
}

export interface RecipientDictionary {
  htmlLang: string;
  brand: string;
  bankName: string;
  titleSuffix: string;
  language: { group: string; ru: string; en: string; switching: string };
  summary: {
    sends: (payer: string) => string;
    amount: string;
    recipient: string;
    purpose: string;
    payoutNumber: string;
    validUntil: (date: string) => string;
  };
  footer: { secure: string; questions: (payer: string) => string };
  pageTitle: { active: string; expired: string; revoked: string; notFound: string };
  card: {
    heading: string;
    intro: string;
    widgetLoading: string;
    widgetFailed: string;
    reloadForm: string;
    tokenSpent: string;
    checking: string;
    frameTitleHint: string;
  };
  account: {
    heading: string;
    intro: string;
    bikLabel: string;
    bikHint: string;
    accountLabel: string;
    accountHint: string;
    submit: string;
    checking: string;
    maskedAccount: (masked: string) => string;
    bikValue: (bik: string) => string;
  };
  confirm: {
    heading: string;
    intro: string;
    recipient: string;
    card: string;
    to: string;
    amount: string;
    payer: string;
    submit: string;
    submitting: string;
    otherCard: string;
    editAccount: string;
    note: string;
  };
  status: {
    heading: string;
    progress: string;
    steps: { submitted: string; approval: string; paid: string; failed: string; cancelled: string; refunded: string };
    stepState: { done: string; current: string; upcoming: string; failed: string };
    to: string;
    card: (label: string) => string;
    account: (masked: string) => string;
    autoUpdate: string;
    updateFailed: string;
    bankPendingTitle: string;
    bankPending: string;
    bankPendingRetry: string;
    bankPendingRetrying: string;
    byStatus: Record<PayoutStatus, StatusText>;
  };
  link: {
    expiredTitle: string;
    expiredBody: (payer: string) => string;
    revokedTitle: string;
    revokedBody: (payer: string) => string;
    notFoundTitle: string;
    notFoundBody: string;
  };
  /** Buttons next to an error; the sentences are in the error catalogue (lib/i18n/errors.ts). */
  errors: { retry: string; dismiss: string };
  validation: { fixFields: string };
  /** Self-employed (НПД) payouts: the INN check, linking Bank 131 in «Мой налог», the receipt. */
  selfEmployed: {
    checkingTitle: string;
    checkingBody: (inn: string) => string;
    notLinkedTitle: string;
    notLinkedBody: string;
    waitingForLink: string;
    widgetLoading: string;
    widgetFailed: string;
    notSelfEmployedTitle: string;
    notSelfEmployedBody: (inn: string, payer: string) => string;
    linked: string;
    receipt: string;
    receiptLink: string;
  };
  /** SBP payouts: the bank picker, the phone, the bank's verification (SbpTexts below). */
  sbp: SbpTexts;
}

// Each language is its own module (recipient-ru.ts, recipient-en.ts) that registers itself here when
// loaded: the browser loads only the page's language (components/recipient/texts.tsx), the server both
// (recipient-texts.ts).
const DICTIONARIES: Partial<Record<RecipientLocale, RecipientDictionary>> = {};

export function provideRecipientDictionary(locale: RecipientLocale, dictionary: RecipientDictionary): void {
  DICTIONARIES[locale] = dictionary;
}

export function hasRecipientDictionary(locale: RecipientLocale): boolean {
  return DICTIONARIES[locale] !== undefined;
}

export function recipientDictionary(locale: RecipientLocale): RecipientDictionary {
  const dictionary = DICTIONARIES[locale];
  if (!dictionary) {
    throw new Error(`the recipient page's "${locale}" texts are not loaded: render inside <RecipientTexts> (browser) or import lib/i18n/recipient-texts.ts (server)`);
  }
  return dictionary;
}

/** What the page is showing, reduced to what decides its `<title>`. */
export type RecipientPageState =
  | { kind: "active" }
  | { kind: "expired" }
  | { kind: "revoked" }
  | { kind: "status"; status: PayoutStatus };

export function pageStateOf(view: { status: PayoutStatus; linkState: "active" | "used" | "expired" | "revoked"; method: string }): RecipientPageState {
  if (view.linkState === "revoked") return { kind: "revoked" };
  if (view.linkState === "expired" || view.status === "expired") return { kind: "expired" };
  if (view.linkState === "active" && (view.method === "card_widget" || view.method === "bank_account" || view.method === "sbp")) return { kind: "active" };
  return { kind: "status", status: view.status };
}

export function pageTitle(locale: RecipientLocale, state: RecipientPageState | { kind: "not_found" }): string {
  const t = recipientDictionary(locale);
  const base =
    state.kind === "active"
      ? t.pageTitle.active
      : state.kind === "expired"
        ? t.pageTitle.expired
        : state.kind === "revoked"
          ? t.pageTitle.revoked
          : state.kind === "not_found"
            ? t.pageTitle.notFound
            : t.status.byStatus[state.status].title;
  return base + t.titleSuffix;
}

// ---------------------------------------------------------------------------------------------------------------
// SBP (faster payments by phone): the bank picker, the phone and the bank's verification (components/recipient/sbp-*).

export interface SbpTexts {
  heading: string;
  intro: string;
  bankLabel: string;
  bankPlaceholder: string;
  bankHint: string;
  bankOptions: (count: number) => string;
  noBankMatch: string;
  banksLoading: string;
  banksFailed: string;
  phoneLabel: string;
  phoneHint: string;
  payerPhone: (masked: string) => string;
  submit: string;
  checking: string;
  stillChecking: string;
  verifiedTitle: string;
  verifiedName: string;
  to: (bank: string, phone: string) => string;
  otherDetails: string;
  /** Why the bank did not verify (its code), and what to do; `payer` pays. */
  failed: (code: string | null, payer: string) => string;
  /** Problems with the request itself, by error code; others fall back to `generic`. */
  errors: Record<"sbp_bank_unknown" | "sbp_phone_fixed" | "sbp_not_verified" | "rate_limited" | "bank_unavailable" | "network" | "validation" | "choose_bank", string>;
  generic: string;
  retry: string;
}

export function sbpTexts(locale: RecipientLocale): SbpTexts {
  return recipientDictionary(locale).sbp;
}

/** A recipient-facing sentence for an SBP error code (request problems; the bank's verdicts are `failed`). */
export function sbpErrorText(locale: RecipientLocale, code: string): string {
  const t = sbpTexts(locale);
  return Object.hasOwn(t.errors, code) ? t.errors[code as keyof SbpTexts["errors"]] : t.generic;
}
