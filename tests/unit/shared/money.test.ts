import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatKopecks,
  formatKopecksPlain,
  KopecksRangeError,
  kopecksToRublesInput,
  MAX_SAFE_KOPECKS,
  parseRublesToKopecks,
  toSafeKopecks,
  type MoneyParseErrorCode,
} from "@/lib/money";
import { kopecksSchema, rublesInputSchema } from "@/lib/payouts/money-schemas";

const NBSP = "\u00A0";
const NNBSP = "\u202F";

/** Deterministic PRNG so property-style loops are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("parseRublesToKopecks — accepted input", () => {
  it.each([
    ["1500", 150_000],
    ["1 500", 150_000],
    [`1${NBSP}500`, 150_000],
    [`1${NNBSP}500`, 150_000],
    ["1 500,50", 150_050],
    ["1500.5", 150_050],
    ["1500,5", 150_050],
    ["1500,05", 150_005],
    ["1500.05", 150_005],
    ["0", 0],
    ["0,01", 1],
    ["0.99", 99],
    ["007", 700],
    ["12 345 678,90", 1_234_567_890],
    ["  1500  ", 150_000],
    ["1500 ₽", 150_000],
    ["1500₽", 150_000],
    [`1${NBSP}500,50${NBSP}₽`, 150_050],
    ["1500 руб", 150_000],
    ["1500 руб.", 150_000],
    ["1500 РУБ", 150_000],
    ["1500 р.", 150_000],
    ["1500р.", 150_000],
    ["1500 р", 150_000],
    ["90 071 992 547 409,91", Number.MAX_SAFE_INTEGER],
  ])("%j → %i kopecks", (input, kopecks) => {
    expect(parseRublesToKopecks(input)).toEqual({ ok: true, kopecks });
  });
});

describe("parseRublesToKopecks — refused input, with the reason the user sees", () => {
  it.each<[string, MoneyParseErrorCode, string]>([
    ["", "empty", "Введите сумму."],
    ["   ", "empty", "Введите сумму."],
    ["₽", "empty", "Введите сумму."],
    ["-1500", "negative", "Сумма не может быть отрицательной."],
    ["\u22121500", "negative", "Сумма не может быть отрицательной."],
    ["-0,50", "negative", "Сумма не может быть отрицательной."],
    ["1e5", "exponent", "Введите сумму цифрами, без экспоненциальной записи (например, 1500,50)."],
    ["1.5E3", "exponent", "Введите сумму цифрами, без экспоненциальной записи (например, 1500,50)."],
    ["1e+5", "exponent", "Введите сумму цифрами, без экспоненциальной записи (например, 1500,50)."],
    ["15OO", "invalid_characters", "Сумма может содержать только цифры, пробелы и запятую или точку перед копейками."],
    ["abc", "invalid_characters", "Сумма может содержать только цифры, пробелы и запятую или точку перед копейками."],
    ["+1500", "invalid_characters", "Сумма может содержать только цифры, пробелы и запятую или точку перед копейками."],
    ["$1500", "invalid_characters", "Сумма может содержать только цифры, пробелы и запятую или точку перед копейками."],
    ["1500 USD", "invalid_characters", "Сумма может содержать только цифры, пробелы и запятую или точку перед копейками."],
    ["１５００", "invalid_characters", "Сумма может содержать только цифры, пробелы и запятую или точку перед копейками."],
    ["1500,5,0", "multiple_separators", "Используйте один разделитель копеек — запятую или точку."],
    ["1500.50.1", "multiple_separators", "Используйте один разделитель копеек — запятую или точку."],
    ["1.500,50", "multiple_separators", "Используйте один разделитель копеек — запятую или точку."],
    ["1,500.50", "multiple_separators", "Используйте один разделитель копеек — запятую или точку."],
    [",50", "missing_integer_part", "Укажите рубли перед разделителем (например, 0,50)."],
    ["1500,", "missing_fraction_digits", "После разделителя укажите копейки или уберите разделитель."],
    ["15 00", "invalid_grouping", "Пробелы допустимы только между группами по три цифры (например, 1 500 000)."],
    ["1  500", "invalid_grouping", "Пробелы допустимы только между группами по три цифры (например, 1 500 000)."],
    ["1500 ,50", "invalid_grouping", "Пробелы допустимы только между группами по три цифры (например, 1 500 000)."],
    ["1500, 50", "invalid_grouping", "Пробелы допустимы только между группами по три цифры (например, 1 500 000)."],
    ["1 5", "invalid_grouping", "Пробелы допустимы только между группами по три цифры (например, 1 500 000)."],
    ["1500,505", "too_many_decimals", "Не больше двух знаков после запятой — сумма указывается с точностью до копейки."],
    ["1.500", "too_many_decimals", "Не больше двух знаков после запятой — сумма указывается с точностью до копейки."],
    ["0,001", "too_many_decimals", "Не больше двух знаков после запятой — сумма указывается с точностью до копейки."],
    ["90 071 992 547 409,92", "too_large", "Сумма слишком большая."],
    ["99999999999999999999", "too_large", "Сумма слишком большая."],
    ["1".repeat(65), "too_long", "Слишком длинная строка для суммы."],
  ])("%j → %s", (input, code, reason) => {
    const result = parseRublesToKopecks(input);
    expect(result).toMatchObject({ ok: false, code, reason });
    if (!result.ok) {
      expect(result.message.ru).toBe(reason);
      expect(result.message.en.length).toBeGreaterThan(0);
    }
  });
});

describe("formatKopecks", () => {
  it.each<[number | bigint, string]>([
    [0, `0,00${NBSP}₽`],
    [1, `0,01${NBSP}₽`],
    [99, `0,99${NBSP}₽`],
    [100, `1,00${NBSP}₽`],
    [150_050, `1${NBSP}500,50${NBSP}₽`],
    [123_456, `1${NBSP}234,56${NBSP}₽`],
    [1_234_567_890, `12${NBSP}345${NBSP}678,90${NBSP}₽`],
    [60_000_000, `600${NBSP}000,00${NBSP}₽`],
    [-150, `-1,50${NBSP}₽`],
    [-5, `-0,05${NBSP}₽`],
    [Number.MAX_SAFE_INTEGER, `90${NBSP}071${NBSP}992${NBSP}547${NBSP}409,91${NBSP}₽`],
    [123_456n, `1${NBSP}234,56${NBSP}₽`],
    // BigInt amounts beyond the safe range still format exactly (no float on the way).
    [12_345_678_901_234_567_891n, `123${NBSP}456${NBSP}789${NBSP}012${NBSP}345${NBSP}678,91${NBSP}₽`],
  ])("%s → %j", (kopecks, text) => {
    expect(formatKopecks(kopecks)).toBe(text);
    expect(formatKopecks(kopecks, { currency: "rub", withSymbol: true })).toBe(text);
  });

  it("matches Intl ru-RU currency formatting for ordinary amounts", () => {
    const intl = new Intl.NumberFormat("ru-RU", { style: "currency", currency: "RUB" });
    expect(formatKopecks(123_456)).toBe(intl.format(1234.56));
    expect(formatKopecks(0)).toBe(intl.format(0));
  });

  it("leaves out the symbol on request and in the plain variant", () => {
    expect(formatKopecks(123_456, { withSymbol: false })).toBe(`1${NBSP}234,56`);
    expect(formatKopecksPlain(123_456)).toBe(`1${NBSP}234,56`);
    expect(formatKopecksPlain(0)).toBe("0,00");
  });

  it.each([1.5, 0.1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])("refuses %s instead of rounding it", (bad) => {
    expect(() => formatKopecks(bad)).toThrow(KopecksRangeError);
    expect(() => kopecksToRublesInput(bad)).toThrow(KopecksRangeError);
  });
});

describe("kopecksToRublesInput", () => {
  it.each<[number | bigint, string]>([
    [0, "0,00"],
    [5, "0,05"],
    [150_050, "1500,50"],
    [150_000, "1500,00"],
    [1_234_567_890, "12345678,90"],
    [150_050n, "1500,50"],
  ])("%s → %j", (kopecks, text) => {
    expect(kopecksToRublesInput(kopecks)).toBe(text);
  });
});

describe("round trips", () => {
  it("every kopeck value 0..100000 survives format → parse in all three text forms", () => {
    for (let k = 0; k <= 100_000; k++) {
      for (const text of [formatKopecks(k), formatKopecksPlain(k), kopecksToRublesInput(k)]) {
        const parsed = parseRublesToKopecks(text);
        if (!parsed.ok || parsed.kopecks !== k) {
          expect.fail(`${k} → ${JSON.stringify(text)} → ${JSON.stringify(parsed)}`);
        }
      }
    }
  });

  it("random amounts across the whole safe range survive format → parse", () => {
    const rand = mulberry32(131);
    for (let i = 0; i < 20_000; i++) {
      // Spread over magnitudes, not just near the top of the range.
      const digits = 1 + Math.floor(rand() * 16);
      const k = Math.min(Math.floor(rand() * 10 ** digits), Number.MAX_SAFE_INTEGER);
      expect(parseRublesToKopecks(formatKopecks(k))).toEqual({ ok: true, kopecks: k });
      expect(parseRublesToKopecks(kopecksToRublesInput(k))).toEqual({ ok: true, kopecks: k });
    }
  });

  it("the classic float traps stay exact", () => {
    // 0.1 + 0.2, 1.005 and 4.35 * 100 go wrong with floats; here they are just strings.
    expect(parseRublesToKopecks("0,30")).toEqual({ ok: true, kopecks: 30 });
    expect(parseRublesToKopecks("1,01")).toEqual({ ok: true, kopecks: 101 });
    expect(parseRublesToKopecks("4,35")).toEqual({ ok: true, kopecks: 435 });
    expect(parseRublesToKopecks("1,15")).toEqual({ ok: true, kopecks: 115 });
    expect(parseRublesToKopecks("9007199254740,99")).toEqual({ ok: true, kopecks: 900_719_925_474_099 });
  });
});

describe("toSafeKopecks", () => {
  it.each<[bigint | number, number]>([
    [0n, 0],
    [150_050n, 150_050],
    [BigInt(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
    [0, 0],
    [-0, 0],
    [150_050, 150_050],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])("%s → %s", (value, expected) => {
    expect(Object.is(toSafeKopecks(value), expected)).toBe(true);
  });

  it.each<[bigint | number, "not_integer" | "negative" | "unsafe"]>([
    [-1n, "negative"],
    [-1, "negative"],
    [BigInt(Number.MAX_SAFE_INTEGER) + 1n, "unsafe"],
    [2 ** 53, "unsafe"],
    [1.5, "not_integer"],
    [Number.NaN, "not_integer"],
    [Number.POSITIVE_INFINITY, "not_integer"],
  ])("refuses %s (%s) with a typed error", (value, code) => {
    let caught: unknown;
    try {
      toSafeKopecks(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KopecksRangeError);
    expect(caught).toBeInstanceOf(RangeError);
    expect(caught).toMatchObject({ name: "KopecksRangeError", code, value: String(value) });
  });

  it("exposes the safe limit", () => {
    expect(MAX_SAFE_KOPECKS).toBe(9_007_199_254_740_991);
  });
});

describe("zod schemas", () => {
  it("kopecksSchema takes positive safe integers only", () => {
    expect(kopecksSchema.parse(1)).toBe(1);
    expect(kopecksSchema.parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    const message = (value: unknown) => kopecksSchema.safeParse(value).error?.issues[0]?.message;
    expect(message(0)).toBe("Сумма должна быть больше нуля.");
    expect(message(-100)).toBe("Сумма должна быть больше нуля.");
    expect(message(1.5)).toBe("Сумма должна быть целым числом копеек.");
    expect(message("100")).toBe("Сумма должна быть целым числом копеек.");
    expect(message(2 ** 53)).toBe("Сумма слишком большая.");
  });

  it("rublesInputSchema turns typed rubles into kopecks and reports the parse reason", () => {
    expect(rublesInputSchema.parse("1 500,50 ₽")).toBe(150_050);
    const failed = rublesInputSchema.safeParse("1500,505");
    expect(failed.success).toBe(false);
    expect(failed.error?.issues).toHaveLength(1);
    expect(failed.error?.issues[0]).toMatchObject({
      message: "Не больше двух знаков после запятой — сумма указывается с точностью до копейки.",
      params: { code: "too_many_decimals" },
    });
    expect(rublesInputSchema.safeParse("0").error?.issues[0]?.message).toBe("Сумма должна быть больше нуля.");
    expect(rublesInputSchema.safeParse("").error?.issues[0]?.message).toBe("Введите сумму.");
  });
});

describe("no floats for money", () => {
  it("lib/money.ts never parses or scales money as a float", () => {
    const source = readFileSync(path.resolve(import.meta.dirname, "../../../lib/money.ts"), "utf8");
    expect(source).not.toMatch(/parseFloat|Number\.parseFloat|toFixed/);
    // Scaling by 100 is done on BigInts only (`100n`).
    expect(source).not.toMatch(/[*/]\s*100(?![\dn_])/);
  });
});
