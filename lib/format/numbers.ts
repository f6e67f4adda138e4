/** Request numbers and counted nouns: pure, for server and client. */

/** `42` → `PR-000042`: the reference operators and recipients see and the bank gets as metadata. */
export function formatRequestNumber(number: number): string {
  return `PR-${String(number).padStart(6, "0")}`;
}

/** A payout batch's number as operators and partners see it: `PB-000042`. */
export function formatBatchNumber(number: number): string {
  return `PB-${String(number).padStart(6, "0")}`;
}

// Intl objects are built on first use, not at load: a browser's first ru-RU Intl object costs 40–120 ms of CPU.
let ruPlural: Intl.PluralRules | undefined;
const ruPluralRules = () => (ruPlural ??= new Intl.PluralRules("ru-RU"));

/**
 * The Russian noun form for a count: `plural(21, ["повтор", "повтора", "повторов"])` → "повтор".
 * Forms are [one, few, many]; fractions ("other") take the `few` form (1,5 дня).
 */
export function plural(count: number, [one, few, many]: readonly [string, string, string]): string {
  switch (ruPluralRules().select(count)) {
    case "one":
      return one;
    case "many":
      return many;
    default:
      return few;
  }
}

/** An approval fingerprint (SHA-256 hex) → `9A8A 59DA`: its first 8 hex digits, grouped, to compare by eye. */
export function formatFingerprint(fingerprint: string): string {
  const head = fingerprint.slice(0, 8).toUpperCase();
  return `${head.slice(0, 4)} ${head.slice(4)}`;
}

/** `1 из 2 одобрений`, `0 из 1 одобрения`. */
export function formatApprovalProgress(count: number, required: number): string {
  return `${count} из ${required} ${plural(required, ["одобрения", "одобрений", "одобрений"])}`;
}
let ruCount: Intl.NumberFormat | undefined;
const ruCountFormat = () => (ruCount ??= new Intl.NumberFormat("ru-RU"));

/**
 * A row count as operators read it: `12 345`; a capped count (the counting stopped, the true
 * number is at least this) says so: `1 000+`.
 */
export function formatCount(count: number, capped = false): string {
  return capped ? `${ruCountFormat().format(count)}+` : ruCountFormat().format(count);
}

/** The hint on a capped count. */
export const CAPPED_COUNT_HINT = "Подсчёт остановлен: совпадений не меньше показанного. Уточните поиск, чтобы увидеть точное число";

/** Under a chart that shows only the days counted (a name matching too many rows to count them all over the period). */
export const CAPPED_CHART_HINT = "Совпадений слишком много, чтобы посчитать весь период: показаны дни, посчитанные полностью. Уточните поиск, чтобы увидеть весь период";
