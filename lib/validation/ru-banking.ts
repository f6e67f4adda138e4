/**
 * Checks for Russian payment details (INN, BIK, bank account, recipient name), shared by client-side
 * form validation and the server. Each check returns a code plus Russian and English sentences, so the
 * UI can show the reason in the user's language and the server can log a stable code.
 * No Node-only imports and no zod (its forms are in ru-banking-schemas.ts): this module is bundled for
 * the browser too.
 */

export type Bilingual = { ru: string; en: string };

export type RuBankingErrorCode =
  | "required"
  | "invalid_characters"
  | "invalid_length"
  | "invalid_checksum"
  | "invalid_value"
  | "invalid_prefix"
  | "invalid_bik"
  | "too_short"
  | "too_long"
  | "too_few_words"
  | "too_many_words"
  | "mixed_script"
  | "invalid_word";

export type CheckResult<T = string> =
  | { ok: true; value: T }
  | { ok: false; code: RuBankingErrorCode; message: Bilingual };

function fail(code: RuBankingErrorCode, ru: string, en: string): CheckResult<never> {
  return { ok: false, code, message: { ru, en } };
}

/** People paste numbers grouped with spaces ("4070 2810 …"); whitespace carries no meaning in these codes. */
export function stripSpaces(value: string): string {
  return value.replace(/\s+/gu, "");
}

function digitsOf(value: string): number[] {
  return Array.from(value, (ch) => ch.charCodeAt(0) - 48);
}

function weightedSum(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((w, i) => {
    sum += (digits[i] ?? 0) * w;
  });
  return sum;
}

// ---------------------------------------------------------------------------------------------------------------
// INN (ИНН)

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

function innControl(digits: readonly number[], weights: readonly number[]): number {
  return (weightedSum(digits, weights) % 11) % 10;
}

/**
 * Completes an INN body with its control digit(s): 9 digits → 10-digit legal-entity INN,
 * 10 digits → 12-digit individual INN. For the sandbox, seeds and tests.
 */
export function withInnControlDigits(body: string): string {
  if (!/^\d{9}$|^\d{10}$/.test(body)) throw new RangeError("INN body must be 9 or 10 digits");
  const digits = digitsOf(body);
  if (digits.length === 9) return body + String(innControl(digits, INN10_WEIGHTS));
  const n11 = innControl(digits, INN12_WEIGHTS_11);
  const n12 = innControl([...digits, n11], INN12_WEIGHTS_12);
  return `${body}${n11}${n12}`;
}

/** Taxpayer number: 10 digits (legal entity) or 12 digits (individual), with the official control digits. */
export function validateInn(value: string): CheckResult {
  const inn = stripSpaces(value);
  if (inn === "") return fail("required", "Укажите ИНН.", "Enter the INN.");
  if (!/^\d+$/.test(inn)) {
    return fail("invalid_characters", "ИНН должен состоять только из цифр.", "The INN must contain digits only.");
  }
  if (inn.length !== 10 && inn.length !== 12) {
    return fail(
      "invalid_length",
      "ИНН должен содержать 10 цифр (организация) или 12 цифр (физическое лицо).",
      "The INN must have 10 digits (legal entity) or 12 digits (individual).",
    );
  }
  // An all-zero INN passes the checksum arithmetic but is never issued.
  if (/^0+$/.test(inn)) return fail("invalid_value", "Такого ИНН не существует.", "This INN does not exist.");
  if (withInnControlDigits(inn.slice(0, inn.length === 10 ? 9 : 10)) !== inn) {
    return fail(
      "invalid_checksum",
      "ИНН введён с ошибкой: не сходится контрольное число.",
      "The INN has a typo: its check digit does not match.",
    );
  }
  return { ok: true, value: inn };
}

// ---------------------------------------------------------------------------------------------------------------
// BIK (БИК)

/** Bank identification code: 9 digits; Russian credit institutions' BIKs start with `04`. */
export function validateBik(value: string): CheckResult {
  const bik = stripSpaces(value);
  if (bik === "") return fail("required", "Укажите БИК банка.", "Enter the bank's BIK.");
  if (!/^\d+$/.test(bik)) {
    return fail("invalid_characters", "БИК должен состоять только из цифр.", "The BIK must contain digits only.");
  }
  if (bik.length !== 9) return fail("invalid_length", "БИК должен содержать 9 цифр.", "The BIK must have 9 digits.");
  if (!bik.startsWith("04")) {
    return fail(
      "invalid_prefix",
      "БИК российского банка начинается с 04.",
      "A Russian bank's BIK starts with 04.",
    );
  }
  return { ok: true, value: bik };
}

// ---------------------------------------------------------------------------------------------------------------
// Bank account (расчётный счёт)

const ACCOUNT_WEIGHTS = [7, 1, 3] as const;
// Position 9 of the account (index 8) sits at index 11 of the 23-digit string, where the weight is 3.
const KEY_INDEX = 8;

/**
 * Control-key sum (Bank of Russia rule): the 3-digit prefix followed by the 20-digit account, weighted
 * 7,1,3 repeating. For accounts in a credit institution the prefix is the BIK's last 3 digits (what this
 * module implements). Accounts opened in an RKC (a Bank of Russia settlement centre, e.g. banks'
 * correspondent accounts) use "0" + BIK digits 5–6 instead; payouts go to clients of credit institutions,
 * so that rule is not applied here.
 */
function accountSum(bik: string, account: string): number {
  const digits = digitsOf(bik.slice(-3) + account);
  let sum = 0;
  digits.forEach((d, i) => {
    sum += d * (ACCOUNT_WEIGHTS[i % 3] ?? 0);
  });
  return sum;
}

/**
 * Returns the 20-digit account with a correct control key (position 9) for `bik`.
 * `accountWithoutKey` is either 19 digits (key omitted; it is inserted) or 20 digits (position 9 is
 * overwritten). For the sandbox, seeds and tests, which need valid account numbers.
 */
export function withAccountControlKey(bik: string, accountWithoutKey: string): string {
  if (!/^\d{9}$/.test(bik)) throw new RangeError("BIK must be 9 digits");
  let base: string;
  if (/^\d{19}$/.test(accountWithoutKey)) {
    base = `${accountWithoutKey.slice(0, KEY_INDEX)}0${accountWithoutKey.slice(KEY_INDEX)}`;
  } else if (/^\d{20}$/.test(accountWithoutKey)) {
    base = `${accountWithoutKey.slice(0, KEY_INDEX)}0${accountWithoutKey.slice(KEY_INDEX + 1)}`;
  } else {
    throw new RangeError("Account must be 19 digits (without the key) or 20 digits");
  }
  // S + 3k ≡ 0 (mod 10)  ⇒  k ≡ 3·S (mod 10), since 3·3 ≡ 9 ≡ −1.
  const key = (accountSum(bik, base) * 3) % 10;
  return `${base.slice(0, KEY_INDEX)}${key}${base.slice(KEY_INDEX + 1)}`;
}

/** 20-digit account whose control key matches `bik`. A bad BIK is reported as `invalid_bik`. */
export function validateAccount(account: string, bik: string): CheckResult {
  const acc = stripSpaces(account);
  if (acc === "") return fail("required", "Укажите номер счёта.", "Enter the account number.");
  if (!/^\d+$/.test(acc)) {
    return fail(
      "invalid_characters",
      "Номер счёта должен состоять только из цифр.",
      "The account number must contain digits only.",
    );
  }
  if (acc.length !== 20) {
    return fail("invalid_length", "Номер счёта должен содержать 20 цифр.", "The account number must have 20 digits.");
  }
  const bikResult = validateBik(bik);
  if (!bikResult.ok) {
    return fail(
      "invalid_bik",
      "Не удалось проверить счёт: сначала исправьте БИК.",
      "The account cannot be checked: fix the BIK first.",
    );
  }
  if (accountSum(bikResult.value, acc) % 10 !== 0) {
    return fail(
      "invalid_checksum",
      "Номер счёта не соответствует БИК: проверьте счёт и БИК на опечатки.",
      "The account number does not match the BIK: check both for typos.",
    );
  }
  return { ok: true, value: acc };
}

/** Bank 131's account mask: first 5 + `***` + last 4 (`40702***0025`). */
export function maskAccount(account: string): string {
  const acc = stripSpaces(account);
  // Too short to keep both ends without revealing most of it: show only the tail.
  if (acc.length < 10) return `***${acc.slice(-4)}`;
  return `${acc.slice(0, 5)}***${acc.slice(-4)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Recipient name (ФИО как в паспорте)

// Russian alphabet and ASCII Latin only: the names as a passport spells them (transliteration is A–Z).
const CYRILLIC_WORD_RE = /^[А-Яа-яЁё]+(?:['-][А-Яа-яЁё]+)*$/u;
const LATIN_WORD_RE = /^[A-Za-z]+(?:['-][A-Za-z]+)*$/u;
const HAS_CYRILLIC_RE = /[А-Яа-яЁё]/u;
const HAS_LATIN_RE = /[A-Za-z]/u;
const ALLOWED_NAME_CHARS_RE = /^[А-Яа-яЁёA-Za-z' -]*$/u;

/**
 * Full name as in the passport: 2–4 words, each all-Cyrillic or all-Latin, letters with optional inner
 * hyphens or apostrophes. Returns the name trimmed, with single spaces and ASCII `'`/`-`.
 */
export function validateRecipientName(value: string): CheckResult {
  const name = value
    .replace(/[\u2019\u02BC`]/gu, "'") // typographic apostrophes from phones/Word mean the same
    .replace(/[\u2010\u2011]/gu, "-") // Unicode hyphens likewise
    .replace(/\s+/gu, " ")
    .trim();
  if (name === "") return fail("required", "Укажите ФИО получателя.", "Enter the recipient's full name.");
  if (!ALLOWED_NAME_CHARS_RE.test(name)) {
    return fail(
      "invalid_characters",
      "ФИО может содержать только буквы, пробелы, дефис и апостроф.",
      "The name may contain only letters, spaces, hyphens and apostrophes.",
    );
  }
  if (name.length < 3) return fail("too_short", "ФИО слишком короткое.", "The name is too short.");
  if (name.length > 100) {
    return fail("too_long", "ФИО не должно быть длиннее 100 символов.", "The name must be at most 100 characters.");
  }
  const words = name.split(" ");
  if (words.length < 2) {
    return fail(
      "too_few_words",
      "Укажите фамилию и имя (и отчество, если есть), как в паспорте.",
      "Enter the surname and given name (and patronymic, if any) as in the passport.",
    );
  }
  if (words.length > 4) {
    return fail("too_many_words", "ФИО должно состоять не более чем из 4 слов.", "The name must have at most 4 words.");
  }
  for (const word of words) {
    if (HAS_CYRILLIC_RE.test(word) && HAS_LATIN_RE.test(word)) {
      return fail(
        "mixed_script",
        `В слове «${word}» смешаны русские и латинские буквы — наберите его одной раскладкой.`,
        `"${word}" mixes Cyrillic and Latin letters — type it in one keyboard layout.`,
      );
    }
    if (!CYRILLIC_WORD_RE.test(word) && !LATIN_WORD_RE.test(word)) {
      return fail(
        "invalid_word",
        `«${word}»: дефис и апостроф допустимы только между буквами.`,
        `"${word}": hyphens and apostrophes are allowed only between letters.`,
      );
    }
  }
  return { ok: true, value: name };
}

/**
 * A Russian phone for SBP → `7XXXXXXXXXX` (the bank's form): "+7 (900) 000-00-01", "8 900 000 00 01",
 * "9000000001" all give 79000000001. Spaces, brackets and dashes are ignored; anything else is refused.
 */
export function validateRuPhone(value: string): CheckResult {
  const compact = value.trim().replace(/[\s()-]/gu, "");
  if (!compact) return fail("required", "Укажите номер телефона.", "Enter a phone number.");
  if (!/^\+?\d+$/u.test(compact)) {
    return fail("invalid_characters", "Номер телефона может содержать только цифры, «+», скобки и дефисы.", "A phone number may contain only digits, +, brackets and dashes.");
  }
  const digits = compact.replace(/^\+/u, "");
  const national = digits.length === 11 && (digits.startsWith("7") || (digits.startsWith("8") && !compact.startsWith("+"))) ? digits.slice(1) : digits.length === 10 ? digits : null;
  if (national === null) {
    return fail("invalid_length", "Номер телефона — 10 цифр после +7 (например, +7 900 000-00-01).", "A phone number is 10 digits after +7 (e.g. +7 900 000-00-01).");
  }
  return { ok: true, value: `7${national}` };
}
