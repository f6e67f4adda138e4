import { describe, expect, it } from "vitest";
import { brandLabel, detectCardBrand, formatMaskedCard, luhnValid, type CardBrand } from "@/lib/cards";

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Appends the Luhn check digit to `body`. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) {
    if (luhnValid(body + String(d))) return body + String(d);
  }
  throw new Error("unreachable");
}

describe("luhnValid", () => {
  it.each([
    "4242424242424242", // sandbox / D-PCI Visa test card
    "4242 4242 4242 4242",
    "5555555555554444", // Mastercard test card
    "2200000000000004", // Mir range
    "79927398713", // the textbook Luhn example
    "18",
  ])("accepts %j", (digits) => {
    expect(luhnValid(digits)).toBe(true);
  });

  it.each(["4242424242424241", "79927398710", "", "   ", "4242-4242-4242-4242", "424242424242424x", "0", "4"])(
    "refuses %j",
    (digits) => {
      expect(luhnValid(digits)).toBe(false);
    },
  );

  it("catches every single-digit typo in random card numbers", () => {
    const rand = mulberry32(2200);
    for (let i = 0; i < 2_000; i++) {
      let body = "";
      for (let j = 0; j < 15; j++) body += String(Math.floor(rand() * 10));
      const card = withLuhn(body);
      expect(luhnValid(card)).toBe(true);
      const pos = Math.floor(rand() * 16);
      const delta = 1 + Math.floor(rand() * 9);
      const typo = card.slice(0, pos) + String((Number(card[pos]) + delta) % 10) + card.slice(pos + 1);
      expect(luhnValid(typo)).toBe(false);
    }
  });
});

describe("detectCardBrand", () => {
  it.each<[string, CardBrand | null]>([
    ["4242424242424242", "visa"],
    ["4", "visa"],
    ["2200000000000004", "mir"],
    ["220024", "mir"], // SEED-1 bin
    ["2204", "mir"],
    ["2205", null],
    ["2199", null],
    ["5536913751548371", "mastercard"], // SEED-4 style
    ["51", "mastercard"],
    ["55", "mastercard"],
    ["50", null],
    ["56", null],
    ["2221", "mastercard"],
    ["2720", "mastercard"],
    ["2220", null],
    ["2721", null],
    ["2", null], // too few digits to tell
    ["22", null],
    ["5", null],
    ["3782822463", null], // Amex is not supported
    ["6011", null],
    ["2200 0000 0000 0004", "mir"],
    ["", null],
    ["abcd", null],
  ])("%j → %s", (digits, brand) => {
    expect(detectCardBrand(digits)).toBe(brand);
  });

  it("covers the whole four-digit prefix space exactly as specified", () => {
    for (let p = 1000; p <= 9999; p++) {
      const expected: CardBrand | null =
        p >= 4000 && p <= 4999
          ? "visa"
          : p >= 5100 && p <= 5599
            ? "mastercard"
            : p >= 2200 && p <= 2204
              ? "mir"
              : p >= 2221 && p <= 2720
                ? "mastercard"
                : null;
      expect(detectCardBrand(`${p}000000000000`)).toBe(expected);
    }
  });
});

describe("brandLabel", () => {
  it.each<[string | null | undefined, "ru" | "en", string]>([
    ["mir", "ru", "МИР"],
    ["mir", "en", "Mir"],
    ["visa", "ru", "Visa"],
    ["visa", "en", "Visa"],
    ["mastercard", "ru", "Mastercard"],
    ["mastercard", "en", "Mastercard"],
    ["MasterCard", "en", "Mastercard"], // the bank's brand is free text
    [" MIR ", "ru", "МИР"],
    ["unionpay", "ru", "Карта"],
    [null, "ru", "Карта"],
    [undefined, "en", "Card"],
  ])("%j in %s → %j", (brand, locale, label) => {
    expect(brandLabel(brand, locale)).toBe(label);
  });

  it("defaults to Russian", () => {
    expect(brandLabel("mir")).toBe("МИР");
  });
});

describe("formatMaskedCard", () => {
  it.each<[{ brand?: string | null; last4?: string | null }, "ru" | "en", string]>([
    [{ brand: "mir", last4: "4940" }, "ru", "МИР •••• 4940"],
    [{ brand: "mir", last4: "4940" }, "en", "Mir •••• 4940"],
    [{ brand: "visa", last4: "4242" }, "ru", "Visa •••• 4242"],
    [{ brand: "visa", last4: "4242" }, "en", "Visa •••• 4242"],
    [{ brand: "mastercard", last4: "8371" }, "ru", "Mastercard •••• 8371"],
    [{ brand: "mastercard", last4: "8371" }, "en", "Mastercard •••• 8371"],
    [{ brand: null, last4: "1234" }, "ru", "Карта •••• 1234"],
    [{ last4: "1234" }, "en", "Card •••• 1234"],
    // Only the last four digits are ever shown, even if more is passed in.
    [{ brand: "mir", last4: "2200********4940" }, "ru", "МИР •••• 4940"],
    [{ brand: "visa", last4: "12" }, "en", "Visa"],
    [{ brand: "visa", last4: null }, "en", "Visa"],
  ])("%j in %s → %j", (card, locale, text) => {
    expect(formatMaskedCard(card, locale)).toBe(text);
  });

  it("defaults to Russian", () => {
    expect(formatMaskedCard({ brand: "mir", last4: "4940" })).toBe("МИР •••• 4940");
  });
});
