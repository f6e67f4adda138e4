import { describe, expect, it } from "vitest";
import { errorMessage, fieldErrorMessage } from "@/lib/i18n/errors";
import { moscowYear } from "@/lib/payouts/self-employed";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";

/** The request rules of a self-employed payout and how refusals are worded (RU/EN). */

const base = { amountKopecks: 300_000, recipientName: "Иванов Иван", purpose: "Оплата услуг", method: "card_widget" };
const services = [
  { name: "Доставка", amountKopecks: 100_000, quantity: 2 },
  { name: "Упаковка", amountKopecks: 100_000, quantity: 1 },
];

function issues(input: object) {
  const parsed = CreatePayoutRequestSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join("."), rule: (issue as { params?: { rule?: string } }).params?.rule }));
}

describe("self-employed request rules", () => {
  it("accepts services that add up to the amount", () => {
    expect(CreatePayoutRequestSchema.parse({ ...base, selfEmployed: { inn: "770713100139", services } }).selfEmployed).toEqual({ inn: "770713100139", services });
  });

  it("refuses services that do not add up, by rule name", () => {
    expect(issues({ ...base, selfEmployed: { inn: "770713100139", services: services.slice(0, 1) } })).toEqual([{ path: "selfEmployed.services", rule: "services_sum_mismatch" }]);
  });

  it("refuses a company's 10-digit INN, a bad checksum, 0 or 7 services, the recurrent method and the escrow account", () => {
    expect(issues({ ...base, selfEmployed: { inn: "7701001319", services } })[0]?.path).toBe("selfEmployed.inn");
    expect(issues({ ...base, selfEmployed: { inn: "770713100130", services } })[0]?.path).toBe("selfEmployed.inn");
    expect(issues({ ...base, selfEmployed: { inn: "770713100139", services: [] } })[0]?.path).toBe("selfEmployed.services");
    const seven = Array.from({ length: 7 }, () => ({ name: "x", amountKopecks: 1, quantity: 1 }));
    expect(issues({ ...base, amountKopecks: 7, selfEmployed: { inn: "770713100139", services: seven } })[0]?.path).toBe("selfEmployed.services");
    expect(issues({ ...base, method: "recurrent", savedInstrument: { kind: "recurrent", token: "a".repeat(20) }, selfEmployed: { inn: "770713100139", services } })).toContainEqual({
      path: "method",
      rule: "self_employed_method",
    });
    expect(issues({ ...base, sourceAccount: "settlement", selfEmployed: { inn: "770713100139", services } })).toContainEqual({ path: "sourceAccount", rule: "self_employed_regular_only" });
  });

  it("words the rules and the annual limit in Russian and English", () => {
    expect(fieldErrorMessage({ code: "validation", params: { rule: "services_sum_mismatch" } })).toBe("Сумма услуг (цена × количество) должна быть равна сумме выплаты.");
    const limit = { code: "npd_annual_limit", params: { limit: 240_000_000, used: 239_000_000, amount: 2_000_000, left: 1_000_000 } };
    expect(errorMessage(limit, "ru")).toMatch(/2\s400\s000,00\s₽/u);
    expect(errorMessage(limit, "ru")).toMatch(/2\s390\s000,00\s₽/u);
    expect(errorMessage(limit, "en")).toMatch(/20\s000,00\s₽/u);
    expect(errorMessage(limit, "en")).toMatch(/annual limit/);
  });

  it("counts a year in Moscow time (UTC+3)", () => {
    expect(moscowYear(new Date("2026-12-31T20:59:59Z"))).toBe(2026);
    expect(moscowYear(new Date("2026-12-31T21:00:00Z"))).toBe(2027);
  });
});
