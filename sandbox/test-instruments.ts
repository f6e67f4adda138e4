/**
 * Test instruments of the sandbox. Real Bank 131 test cards are not public (api-reference §9), so these are
 * the sandbox's own: valid Luhn card numbers and RU bank accounts with a valid control key, each mapped to a
 * behaviour. Any other valid card or account behaves like a success instrument.
 */

export type CardBrand = "mir" | "visa" | "mastercard";

export type FailureStage = "checks" | "execution";

export type Behaviour =
  | { kind: "success" }
  /** Payout ends failed with this code; "checks" fails before ready_to_confirm, "execution" after confirm. */
  | { kind: "fail"; code: string; stage: FailureStage }
  /** After confirm the session goes to status "error" (not final) and later resolves to success. */
  | { kind: "error" }
  /** ready_to_confirm only after SANDBOX_SLOW_READY_DELAY_MS, then success. */
  | { kind: "slow" }
  /** Bank-account payout succeeds, then is returned by the recipient bank (payment_refunded). */
  | { kind: "refund" };

export interface TestCard {
  id: string;
  number: string;
  brand: CardBrand;
  country_iso3: string;
  behaviour: Behaviour;
  description: string;
}

export interface TestBankAccount {
  id: string;
  bik: string;
  account: string;
  behaviour: Behaviour;
  description: string;
}

export const ERROR_DESCRIPTIONS: Record<string, string> = {
  declined_by_issuer_bank: "The issuer bank declined the operation",
  insufficient_funds: "Insufficient funds",
  card_number_does_not_exist: "The card number does not exist",
  provider_timeout: "The provider did not answer in time",
  bank_card_expired: "The bank card has expired",
  operation_rejected: "The operation was rejected by the security service",
  account_not_found: "The recipient account was not found",
  confirm_timeout: "The session was not confirmed in time",
  session_cancelled_by_partner: "The session was cancelled by the partner",
  provider_internal_error: "Unexpected provider error; the outcome is not known yet",
  taxpayer_unknown: "The INN is not registered as self-employed (НПД)",
  taxpayer_not_bound: "The self-employed person has not linked Bank 131 in «Мой налог»",
  taxpayer_income_exceeds_amount_limit: "The self-employed person's income this year would exceed 2 400 000 ₽",
  npd_service_internal_error: "The tax service did not answer",
  recipient_data_mismatch: "The SBP account at this bank belongs to a person with another name",
};

export const TEST_CARDS: readonly TestCard[] = [
  { id: "mir_success", number: "2200240000014940", brand: "mir", country_iso3: "RUS", behaviour: { kind: "success" }, description: "Mir, payout succeeds" },
  { id: "visa_success", number: "4276000000000017", brand: "visa", country_iso3: "RUS", behaviour: { kind: "success" }, description: "Visa, payout succeeds" },
  { id: "mastercard_success", number: "5536910000068371", brand: "mastercard", country_iso3: "RUS", behaviour: { kind: "success" }, description: "Mastercard, payout succeeds" },
  {
    id: "declined_by_issuer_bank",
    number: "4111110000030002",
    brand: "visa",
    country_iso3: "RUS",
    behaviour: { kind: "fail", code: "declined_by_issuer_bank", stage: "execution" },
    description: "fails after confirm: declined_by_issuer_bank",
  },
  {
    id: "insufficient_funds",
    number: "5100000000060051",
    brand: "mastercard",
    country_iso3: "RUS",
    behaviour: { kind: "fail", code: "insufficient_funds", stage: "execution" },
    description: "fails after confirm: insufficient_funds",
  },
  {
    id: "card_number_does_not_exist",
    number: "2200700000000058",
    brand: "mir",
    country_iso3: "RUS",
    behaviour: { kind: "fail", code: "card_number_does_not_exist", stage: "execution" },
    description: "fails after confirm: card_number_does_not_exist",
  },
  {
    id: "provider_timeout",
    number: "2200700000000066",
    brand: "mir",
    country_iso3: "RUS",
    behaviour: { kind: "fail", code: "provider_timeout", stage: "execution" },
    description: "fails after confirm: provider_timeout",
  },
  {
    id: "bank_card_expired",
    number: "4000000000000069",
    brand: "visa",
    country_iso3: "RUS",
    behaviour: { kind: "fail", code: "bank_card_expired", stage: "execution" },
    description: "fails after confirm: bank_card_expired",
  },
  {
    id: "operation_rejected",
    number: "5555550000084444",
    brand: "mastercard",
    country_iso3: "RUS",
    behaviour: { kind: "fail", code: "operation_rejected", stage: "checks" },
    description: "rejected by the bank's checks: no ready_to_confirm, payment_finished with operation_rejected",
  },
  {
    id: "session_error",
    number: "2200700000000090",
    brand: "mir",
    country_iso3: "RUS",
    behaviour: { kind: "error" },
    description: "after confirm the session is in status error (not final); it resolves to success later",
  },
  {
    id: "slow",
    number: "2200700000000009",
    brand: "mir",
    country_iso3: "RUS",
    behaviour: { kind: "slow" },
    description: "ready_to_confirm only after SANDBOX_SLOW_READY_DELAY_MS, then succeeds",
  },
];

/** BIK of Bank 131 (seed 002); every test account uses it. */
export const TEST_BIK = "049205131";

export const TEST_BANK_ACCOUNTS: readonly TestBankAccount[] = [
  { id: "account_success", bik: TEST_BIK, account: "40817810500000000131", behaviour: { kind: "success" }, description: "payout succeeds" },
  {
    id: "account_not_found",
    bik: TEST_BIK,
    account: "40817810800000000404",
    behaviour: { kind: "fail", code: "account_not_found", stage: "execution" },
    description: "fails after confirm: account_not_found",
  },
  {
    id: "account_refunded",
    bik: TEST_BIK,
    account: "40817810100000000777",
    behaviour: { kind: "refund" },
    description: "succeeds, then is returned after SANDBOX_REFUND_DELAY_MS: payment_refunded + refunds[]",
  },
  { id: "seed_account", bik: TEST_BIK, account: "40702810200000000025", behaviour: { kind: "success" }, description: "account from seed 002, succeeds" },
];

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Mir 2200–2204, Visa 4, Mastercard 51–55 and 2221–2720. */
export function detectBrand(digits: string): CardBrand | null {
  if (digits.startsWith("4")) return "visa";
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits.length >= 4 && four >= 2200 && four <= 2204) return "mir";
  if (two >= 51 && two <= 55) return "mastercard";
  if (digits.length >= 4 && four >= 2221 && four <= 2720) return "mastercard";
  return null;
}

export type CardNumberProblem = "format" | "luhn" | "brand";

/** Validates a PAN the way the widget does; digits only, 13–19 long. */
export function checkCardNumber(raw: string): { ok: true; digits: string; brand: CardBrand } | { ok: false; problem: CardNumberProblem } {
  const digits = raw.replace(/[\s-]/g, "");
  if (!/^\d{13,19}$/.test(digits)) return { ok: false, problem: "format" };
  if (!luhnValid(digits)) return { ok: false, problem: "luhn" };
  const brand = detectBrand(digits);
  if (!brand) return { ok: false, problem: "brand" };
  return { ok: true, digits, brand };
}

/**
 * Russian account control key (Bank of Russia rules): the last three BIK digits followed by the 20-digit
 * account, weighted 7,1,3 repeating; the sum of the last digits of the products must end in 0.
 * Cash-settlement centres (BIK ending 000–002) use "0" + BIK digits 5–6 instead.
 */
export function ruAccountValid(bik: string, account: string): boolean {
  if (!/^\d{9}$/.test(bik) || !/^\d{20}$/.test(account)) return false;
  const tail = bik.slice(6);
  const prefix = Number(tail) <= 2 ? "0" + bik.slice(4, 6) : tail;
  const digits = prefix + account;
  const weights = [7, 1, 3];
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += ((digits.charCodeAt(i) - 48) * (weights[i % 3] ?? 0)) % 10;
  return sum % 10 === 0;
}

export function findTestCard(digits: string): TestCard | undefined {
  return TEST_CARDS.find((card) => card.number === digits);
}

export function findTestAccount(bik: string, account: string): TestBankAccount | undefined {
  return TEST_BANK_ACCOUNTS.find((a) => a.bik === bik && a.account === account);
}

/** 40702***0025: first 5 + *** + last 4 (seed 002). */
export function maskAccount(account: string): string {
  return `${account.slice(0, 5)}***${account.slice(-4)}`;
}

// ---- self-employed (НПД) and SBP ------------------------------------------------------------------

/** What the sandbox's tax service knows about an INN. */
export interface TaxpayerProfile {
  self_employed: boolean;
  linked: boolean;
  /** The tax service never answers: npd/request/status stays "pending", payouts fail npd_service_internal_error. */
  stays_pending?: boolean;
  /** Income already registered this (Moscow) calendar year, kopecks. */
  income_kopecks?: number;
}

export interface TestTaxpayer extends TaxpayerProfile {
  id: string;
  tax_reference: string;
  description: string;
}

/** 12-digit INNs with valid check digits. Any other 12-digit INN is a self-employed person not yet linked. */
export const TEST_TAXPAYERS: readonly TestTaxpayer[] = [
  { id: "npd_linked", tax_reference: "770713100139", self_employed: true, linked: true, description: "self-employed, linked to Bank 131: fiscalized payouts succeed with a receipt" },
  {
    id: "npd_not_linked",
    tax_reference: "770713100202",
    self_employed: true,
    linked: false,
    description: "self-employed, not linked: payouts fail taxpayer_not_bound until the linking widget is confirmed in «Мой налог»",
  },
  {
    id: "npd_not_self_employed",
    tax_reference: "770713100386",
    self_employed: false,
    linked: false,
    description: "not self-employed: payouts fail taxpayer_unknown; the widget cannot link it",
  },
  {
    id: "npd_pending",
    tax_reference: "770713100450",
    self_employed: true,
    linked: false,
    stays_pending: true,
    description: "the tax service never answers: npd/request/status stays pending; payouts fail npd_service_internal_error",
  },
  {
    id: "npd_income_limit",
    tax_reference: "770713100523",
    self_employed: true,
    linked: true,
    income_kopecks: 239_000_000,
    description: "linked, 2 390 000 ₽ earned this year: a payout above 10 000 ₽ fails taxpayer_income_exceeds_amount_limit",
  },
];

/** Default for INNs not in the list. */
export const DEFAULT_TAXPAYER: TaxpayerProfile = { self_employed: true, linked: false };

export function findTestTaxpayer(taxReference: string): TestTaxpayer | undefined {
  return TEST_TAXPAYERS.find((t) => t.tax_reference === taxReference);
}

/** `fps/banks`: SBP participant ids. 100000000069 is the docs' example; the others are sandbox choices. */
export const FPS_BANKS: readonly { id: string; eng_name: string; ru_name: string }[] = [
  { id: "100000000069", eng_name: "Docs example bank", ru_name: "Банк из примера документации" },
  { id: "100000000111", eng_name: "Sberbank", ru_name: "Сбербанк" },
  { id: "100000000004", eng_name: "T-Bank", ru_name: "Т-Банк" },
  { id: "100000000008", eng_name: "Alfa-Bank", ru_name: "Альфа-Банк" },
  { id: "100000000005", eng_name: "VTB", ru_name: "ВТБ" },
];

export type FpsPhoneBehaviour = "verified" | "unknown" | "name_mismatch";

export interface TestFpsPhone {
  id: string;
  phone: string;
  behaviour: FpsPhoneBehaviour;
  description: string;
}

/** Any other phone verifies and receives payouts. */
export const TEST_FPS_PHONES: readonly TestFpsPhone[] = [
  { id: "fps_verified", phone: "79000000001", behaviour: "verified", description: "customer_verification succeeds for any name; payouts succeed" },
  {
    id: "fps_unknown",
    phone: "79000000002",
    behaviour: "unknown",
    description: "no SBP account at any bank: customer_verification fails account_not_found; payouts fail account_not_found after confirm",
  },
  {
    id: "fps_name_mismatch",
    phone: "79000000003",
    behaviour: "name_mismatch",
    description: "belongs to someone else: customer_verification fails recipient_data_mismatch; a payout still succeeds (to that someone)",
  },
];

export function fpsPhoneBehaviour(phone: string): FpsPhoneBehaviour {
  return TEST_FPS_PHONES.find((p) => p.phone === phone)?.behaviour ?? "verified";
}

/** 79000000001 → +7 900 ***-**-01, for labels. */
export function maskPhone(phone: string): string {
  return `+7 ${phone.slice(1, 4)} ***-**-${phone.slice(-2)}`;
}
