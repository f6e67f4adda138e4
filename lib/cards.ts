/**
 * Card helpers for display and light client-side checks. The portal never handles full card numbers
 * for payouts (Bank 131's widget does); these work on test numbers, BINs and the bank's masked card
 * (`{ brand, last4 }`). No Node-only imports: used in the browser too.
 */

export type CardBrand = "mir" | "visa" | "mastercard";
export type CardLocale = "ru" | "en";

/** Whitespace between digit groups ("4242 4242 …") is how people paste card numbers; it carries no meaning. */
function compact(digits: string): string {
  return digits.replace(/\s+/gu, "");
}

/** Luhn (mod 10) check. Digits only (spaces between groups allowed); empty or non-digit input is invalid. */
export function luhnValid(digits: string): boolean {
  const s = compact(digits);
  if (!/^\d{2,}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    let d = s.charCodeAt(s.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Brand from the leading digits (a full number or just the BIN): Mir 2200–2204, Visa 4,
 * Mastercard 51–55 and 2221–2720. Returns null when unknown or when too few digits to tell.
 */
export function detectCardBrand(digits: string): CardBrand | null {
  const s = compact(digits);
  if (!/^\d+$/.test(s)) return null;
  if (s.startsWith("4")) return "visa";
  const two = Number(s.slice(0, 2));
  if (s.length >= 2 && two >= 51 && two <= 55) return "mastercard";
  if (s.length < 4) return null;
  const four = Number(s.slice(0, 4));
  if (four >= 2200 && four <= 2204) return "mir";
  if (four >= 2221 && four <= 2720) return "mastercard";
  return null;
}

const BRAND_LABELS: Record<CardBrand, Record<CardLocale, string>> = {
  mir: { ru: "МИР", en: "Mir" },
  visa: { ru: "Visa", en: "Visa" },
  mastercard: { ru: "Mastercard", en: "Mastercard" },
};
const UNKNOWN_BRAND_LABEL: Record<CardLocale, string> = { ru: "Карта", en: "Card" };

/** The bank reports `brand` as free text ("mir", maybe "MasterCard"); anything unknown reads as null. */
function toKnownBrand(brand: string | null | undefined): CardBrand | null {
  const key = brand?.trim().toLowerCase();
  return key === "mir" || key === "visa" || key === "mastercard" ? key : null;
}

/** Brand name for display; an unknown or missing brand becomes "Карта"/"Card". */
export function brandLabel(brand: CardBrand | string | null | undefined, locale: CardLocale = "ru"): string {
  const known = toKnownBrand(brand);
  return known ? BRAND_LABELS[known][locale] : UNKNOWN_BRAND_LABEL[locale];
}

/** `МИР •••• 4940` / `Mir •••• 4940` / `Visa •••• 4242`. Without usable last digits, only the label. */
export function formatMaskedCard(
  card: { brand?: CardBrand | string | null; last4?: string | null },
  locale: CardLocale = "ru",
): string {
  const label = brandLabel(card.brand, locale);
  const last4 = (card.last4 ?? "").replace(/\D/g, "").slice(-4);
  return last4.length === 4 ? `${label} •••• ${last4}` : label;
}
