/**
 * Money is integer kopecks end to end (Bank 131 `amount` is in minor units).
 * Nothing here ever turns an amount into a float: parsing is string → BigInt,
 * formatting splits kopecks into rubles and kopecks with integer arithmetic.
 * Runs in the browser and on the server, so no Node-only imports, and no zod (its schemas are in
 * lib/payouts/money-schemas.ts): the recipient page formats amounts without shipping a schema library.
 */
export type Kopecks = number;

type Bilingual = { ru: string; en: string };

export type MoneyParseErrorCode =
  | "empty"
  | "too_long"
  | "negative"
  | "exponent"
  | "invalid_characters"
  | "multiple_separators"
  | "missing_integer_part"
  | "missing_fraction_digits"
  | "invalid_grouping"
  | "too_many_decimals"
  | "too_large";

export type ParseRublesResult =
  | { ok: true; kopecks: number }
  /** `reason` is the Russian sentence (the portal's language); `message` carries both. */
  | { ok: false; reason: string; code: MoneyParseErrorCode; message: Bilingual };

export const MONEY_PARSE_MESSAGES: Record<MoneyParseErrorCode, Bilingual> = {
  empty: { ru: "Введите сумму.", en: "Enter an amount." },
  too_long: { ru: "Слишком длинная строка для суммы.", en: "The amount is too long." },
  negative: { ru: "Сумма не может быть отрицательной.", en: "The amount cannot be negative." },
  exponent: {
    ru: "Введите сумму цифрами, без экспоненциальной записи (например, 1500,50).",
    en: "Type the amount in digits, without exponent notation (e.g. 1500.50).",
  },
  invalid_characters: {
    ru: "Сумма может содержать только цифры, пробелы и запятую или точку перед копейками.",
    en: "The amount may contain only digits, spaces and a comma or dot before the kopecks.",
  },
  multiple_separators: {
    ru: "Используйте один разделитель копеек — запятую или точку.",
    en: "Use a single decimal separator — a comma or a dot.",
  },
  missing_integer_part: {
    ru: "Укажите рубли перед разделителем (например, 0,50).",
    en: "Put the rubles before the separator (e.g. 0.50).",
  },
  missing_fraction_digits: {
    ru: "После разделителя укажите копейки или уберите разделитель.",
    en: "Put the kopecks after the separator or remove the separator.",
  },
  invalid_grouping: {
    ru: "Пробелы допустимы только между группами по три цифры (например, 1 500 000).",
    en: "Spaces are allowed only between groups of three digits (e.g. 1 500 000).",
  },
  too_many_decimals: {
    ru: "Не больше двух знаков после запятой — сумма указывается с точностью до копейки.",
    en: "At most two decimal places — amounts are precise to the kopeck.",
  },
  too_large: { ru: "Сумма слишком большая.", en: "The amount is too large." },
};

/** Largest amount a JS number holds exactly; DB BIGINTs beyond it would silently lose kopecks. */
export const MAX_SAFE_KOPECKS = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_KOPECKS_BIG = BigInt(Number.MAX_SAFE_INTEGER);

// A 16-digit ruble amount plus grouping and a suffix fits easily; the cap keeps BigInt work bounded.
const MAX_INPUT_LENGTH = 64;

// Group separators people (and Intl ru-RU) put between digit triples: space, NBSP, narrow NBSP, thin space.
const GROUP_SPACE = "[ \\u00A0\\u202F\\u2009]";
const SUFFIX_RE = /\s*(?:₽|руб\.?|р\.?)$/iu;
const GROUPED_INT_RE = new RegExp(`^\\d{1,3}(?:${GROUP_SPACE}\\d{3})+$`, "u");
const PLAIN_INT_RE = /^\d+$/;
// Minus, hyphen-minus, en dash and the Unicode minus all read as "negative" to a user.
const NEGATIVE_RE = /^[-\u2212\u2012\u2013]/u;
const EXPONENT_RE = /^[\d.,]+e[+-]?\d+$/iu;
const ALLOWED_CHARS_RE = new RegExp(`^(?:\\d|[.,]|${GROUP_SPACE})+$`, "u");

function fail(code: MoneyParseErrorCode): ParseRublesResult {
  const message = MONEY_PARSE_MESSAGES[code];
  return { ok: false, code, reason: message.ru, message };
}

/**
 * Parses what a Russian user types into a rubles field: `1500`, `1 500`, `1 500,50`, `1500.5`,
 * `1 500 ₽`, `1500 руб`, `1500 р.`. At most two decimals; never negative; the result is a safe integer.
 */
export function parseRublesToKopecks(input: string): ParseRublesResult {
  if (input.length > MAX_INPUT_LENGTH) return fail("too_long");
  let s = input.trim();
  if (s === "") return fail("empty");
  s = s.replace(SUFFIX_RE, "");
  if (s === "") return fail("empty");
  if (NEGATIVE_RE.test(s)) return fail("negative");
  if (EXPONENT_RE.test(s)) return fail("exponent");
  if (!ALLOWED_CHARS_RE.test(s)) return fail("invalid_characters");

  const separators = s.match(/[.,]/g) ?? [];
  if (separators.length > 1) return fail("multiple_separators");

  const sepIndex = s.search(/[.,]/);
  const intPart = sepIndex === -1 ? s : s.slice(0, sepIndex);
  const fracPart = sepIndex === -1 ? "" : s.slice(sepIndex + 1);

  if (intPart === "") return fail("missing_integer_part");
  if (!PLAIN_INT_RE.test(intPart) && !GROUPED_INT_RE.test(intPart)) return fail("invalid_grouping");
  if (sepIndex !== -1) {
    if (fracPart === "") return fail("missing_fraction_digits");
    // Spaces after the separator are not grouping; they are a typo we should not guess around.
    if (!PLAIN_INT_RE.test(fracPart)) return fail("invalid_grouping");
    if (fracPart.length > 2) return fail("too_many_decimals");
  }

  const rubles = BigInt(intPart.replace(/\D/g, ""));
  const kopecks = rubles * 100n + BigInt(fracPart.padEnd(2, "0"));
  if (kopecks > MAX_SAFE_KOPECKS_BIG) return fail("too_large");
  return { ok: true, kopecks: Number(kopecks) };
}

export type KopecksErrorCode = "not_integer" | "negative" | "unsafe";

/** Thrown when a value cannot be an exact kopeck amount (a float, a negative DB value, an overflow). */
export class KopecksRangeError extends RangeError {
  readonly code: KopecksErrorCode;
  /** The offending value as text (BigInt is not JSON-serialisable). */
  readonly value: string;

  constructor(code: KopecksErrorCode, value: bigint | number) {
    const detail: Record<KopecksErrorCode, string> = {
      not_integer: "is not an integer number of kopecks",
      negative: "is negative",
      unsafe: "exceeds Number.MAX_SAFE_INTEGER kopecks",
    };
    super(`Kopecks value ${String(value)} ${detail[code]}`);
    this.name = "KopecksRangeError";
    this.code = code;
    this.value = String(value);
  }
}

/** Converts a DB BIGINT (or a number) to a JS number, refusing anything that is not a non-negative safe integer. */
export function toSafeKopecks(value: bigint | number): number {
  if (typeof value === "bigint") {
    if (value < 0n) throw new KopecksRangeError("negative", value);
    if (value > MAX_SAFE_KOPECKS_BIG) throw new KopecksRangeError("unsafe", value);
    return Number(value);
  }
  if (!Number.isInteger(value)) throw new KopecksRangeError("not_integer", value);
  if (value < 0) throw new KopecksRangeError("negative", value);
  if (!Number.isSafeInteger(value)) throw new KopecksRangeError("unsafe", value);
  return value === 0 ? 0 : value; // normalise -0
}

/** Splits kopecks into sign, whole rubles and the two-digit kopecks string — integers only. */
function splitKopecks(kopecks: number | bigint): { negative: boolean; rubles: bigint; cents: string } {
  let big: bigint;
  if (typeof kopecks === "bigint") {
    big = kopecks;
  } else {
    // A float here means money was computed wrongly somewhere: fail loudly instead of rounding.
    if (!Number.isInteger(kopecks)) throw new KopecksRangeError("not_integer", kopecks);
    if (!Number.isSafeInteger(kopecks)) throw new KopecksRangeError("unsafe", kopecks);
    big = BigInt(kopecks);
  }
  const negative = big < 0n;
  const abs = negative ? -big : big;
  return { negative, rubles: abs / 100n, cents: (abs % 100n).toString().padStart(2, "0") };
}

// Built on first use, not when the module loads: a browser's first ru-RU Intl object costs 40–120 ms
// of CPU (ICU's locale data), and pages import this module without formatting anything at load.
let ruInteger: Intl.NumberFormat | undefined;
const ruIntegerFormat = () => (ruInteger ??= new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 0 }));
// NBSP before the symbol, as Intl ru-RU currency formatting does, so "₽" never wraps onto its own line.
const RUB_SUFFIX = "\u00A0₽";

export type FormatKopecksOptions = { currency?: "rub"; withSymbol?: boolean };

/**
 * ru-RU display of an amount: `1 234,56 ₽` (group separator as Intl ru-RU gives it, comma, always
 * two decimals). Negative amounts get a leading `-`, as Intl ru-RU writes them.
 */
export function formatKopecks(kopecks: number | bigint, options: FormatKopecksOptions = {}): string {
  const { negative, rubles, cents } = splitKopecks(kopecks);
  const body = `${negative ? "-" : ""}${ruIntegerFormat().format(rubles)},${cents}`;
  return options.withSymbol === false ? body : body + RUB_SUFFIX;
}

/** `1 234,56` without the currency symbol, for inputs and CSV cells. */
export function formatKopecksPlain(kopecks: number | bigint): string {
  return formatKopecks(kopecks, { withSymbol: false });
}

/** `1500,50` — no grouping, for prefilling an editable rubles input. */
export function kopecksToRublesInput(kopecks: number | bigint): string {
  const { negative, rubles, cents } = splitKopecks(kopecks);
  return `${negative ? "-" : ""}${rubles.toString()},${cents}`;
}
