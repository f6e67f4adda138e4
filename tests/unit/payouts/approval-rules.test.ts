import { describe, expect, it } from "vitest";
import type { BankSession, PayoutRequest } from "@/lib/generated/prisma/client";
import { formatApprovalProgress, formatFingerprint } from "@/lib/format/numbers";
import { errorMessage } from "@/lib/i18n/errors";
import { formatKopecks } from "@/lib/money";
import { requiredApprovals } from "@/lib/payouts/approvals";
import { changedFields, fingerprintFields, fingerprintOf } from "@/lib/payouts/fingerprint";
import { checkApprovalRules, type ApprovalContext } from "@/lib/payouts/rules";

const request = {
  amountKopecks: 250_000n,
  currency: "rub",
  recipientName: "Петрова Анна Сергеевна",
  method: "card_widget",
  cardNumberHash: "a".repeat(64),
  cardToken: null,
  recurrentToken: null,
  bankAccountToken: null,
  cardBrand: "mir",
  cardBin: "220024",
  cardLast4: "4940",
  maskedAccount: null,
  bik: null,
  sourceAccount: "regular",
  beneficiaryInn: null,
  createdById: "maker",
} as unknown as PayoutRequest;
const session = { confirmInformation: null, confirmDeadlineAt: null } as unknown as BankSession;
const fields = fingerprintFields({ request, session });

const context = (overrides: Partial<ApprovalContext> = {}): ApprovalContext => ({
  request,
  session,
  payouts: [],
  actor: { type: "operator", id: "checker" },
  now: new Date("2026-11-30T10:00:00Z"),
  approver: { dailyLimitKopecks: null, payoutLimitKopecks: null, approvedTodayKopecks: 0 },
  approvals: [],
  fingerprint: fields,
  ...overrides,
});

describe("approval rules", () => {
  it("passes another approver with no limits", () => {
    expect(checkApprovalRules(context())).toBeNull();
  });

  it("refuses the maker (four_eyes) but not when the request has no maker (partner API)", () => {
    expect(checkApprovalRules(context({ actor: { type: "operator", id: "maker" } }))?.code).toBe("four_eyes");
    expect(checkApprovalRules(context({ actor: { type: "operator", id: "maker" }, request: { ...request, createdById: null } }))).toBeNull();
  });

  it("refuses a second approval by the same operator", () => {
    expect(checkApprovalRules(context({ approvals: [{ operatorId: "checker", fields }] }))?.code).toBe("already_approved");
  });

  it("names the per-payout limit and the amount; an amount equal to the limit passes", () => {
    expect(checkApprovalRules(context({ approver: { dailyLimitKopecks: null, payoutLimitKopecks: 100_000, approvedTodayKopecks: 0 } }))).toMatchObject({
      code: "approval_limit_payout",
      params: { limit: 100_000, amount: 250_000 },
    });
    expect(checkApprovalRules(context({ approver: { dailyLimitKopecks: null, payoutLimitKopecks: 250_000, approvedTodayKopecks: 0 } }))).toBeNull();
  });

  it("names the daily limit, what was used and what is left", () => {
    expect(checkApprovalRules(context({ approver: { dailyLimitKopecks: 400_000, payoutLimitKopecks: null, approvedTodayKopecks: 250_000 } }))).toMatchObject({
      code: "approval_limit_daily",
      params: { limit: 400_000, used: 250_000, left: 150_000 },
    });
    expect(checkApprovalRules(context({ approver: { dailyLimitKopecks: 500_000, payoutLimitKopecks: null, approvedTodayKopecks: 250_000 } }))).toBeNull();
  });

  it("refuses when what will be paid differs from an earlier approval, naming the fields", () => {
    const changed = fingerprintFields({ request: { ...request, amountKopecks: 250_100n, cardNumberHash: "b".repeat(64) }, session });
    expect(checkApprovalRules(context({ approvals: [{ operatorId: "first", fields }], fingerprint: changed }))).toMatchObject({
      code: "approval_changed",
      params: { changed: ["amountKopecks", "instrument"] },
    });
  });
});

describe("approval fingerprint", () => {
  it("is SHA-256 over canonical JSON: the same payout gives the same fingerprint, any paid field changes it", () => {
    expect(fingerprintOf(fields)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(fingerprintFields({ request: { ...request }, session }))).toBe(fingerprintOf(fields));
    expect(fingerprintOf(fingerprintFields({ request: { ...request, recipientName: "Петрова Анна" }, session }))).not.toBe(fingerprintOf(fields));
    expect(changedFields(fields, fingerprintFields({ request: { ...request, recipientName: "Петрова Анна" }, session }))).toEqual(["recipientName"]);
  });

  it("binds escrow approvals to the exact confirm_information, whatever its key order", () => {
    const escrow = { ...request, sourceAccount: "escrow", beneficiaryInn: "7707083893" } as PayoutRequest;
    const info = (amount: number) => ({ transfer_details: { amount: { amount, currency: "rub" } } });
    const approved = fingerprintFields({ request: escrow, session: { confirmInformation: info(250_000) } });
    const reordered = fingerprintFields({ request: escrow, session: { confirmInformation: { transfer_details: { amount: { currency: "rub", amount: 250_000 } } } } });
    expect(fingerprintOf(reordered)).toBe(fingerprintOf(approved));
    expect(changedFields(approved, fingerprintFields({ request: escrow, session: { confirmInformation: info(250_001) } }))).toEqual(["confirmInformation"]);
  });

  it("reads as 8 grouped hex digits, and the approval count in Russian", () => {
    expect(formatFingerprint("9a8a59da" + "0".repeat(56))).toBe("9A8A 59DA");
    expect(formatApprovalProgress(1, 2)).toBe("1 из 2 одобрений");
    expect(formatApprovalProgress(0, 1)).toBe("0 из 1 одобрения");
  });

  it("needs two approvers at or above the threshold", () => {
    expect(requiredApprovals(9_999_999n, 10_000_000)).toBe(1);
    expect(requiredApprovals(10_000_000n, 10_000_000)).toBe(2);
  });

  it("words the refusals in Russian with their numbers", () => {
    expect(errorMessage({ code: "approval_limit_daily", params: { limit: 400_000, used: 250_000, left: 150_000 } })).toContain(
      `сегодня одобрено ${formatKopecks(250_000)}, осталось ${formatKopecks(150_000)}`,
    );
    expect(errorMessage({ code: "approval_changed", params: { changed: ["amountKopecks", "instrument"] } })).toContain("сумма, карта или счёт получателя");
  });
});
