import { describe, expect, it } from "vitest";
import type { BankPayout, BankSession, PayoutRequest } from "@/lib/generated/prisma/client";
import { parseEnv } from "@/lib/env";
import { claimAuditLabel, claimHolderLabel } from "@/lib/format/claims";
import { errorMessage } from "@/lib/i18n/errors";
import type { LiveClaim } from "@/lib/payouts/claims";
import { isUrgent } from "@/lib/payouts/queue";
import { checkApprovalRules, notClaimedByOther, type ApprovalContext } from "@/lib/payouts/rules";

const NOW = new Date("2026-11-30T10:00:00Z");
const ANNA = "0190f1a2-0000-7000-8000-000000000001";
const BORIS = "0190f1a2-0000-7000-8000-000000000002";
const claimBy = (holderId: string, expiresAt: string): LiveClaim => ({ holderId, holderName: "Анна Смирнова", claimedAt: new Date("2026-11-30T09:55:00Z"), expiresAt: new Date(expiresAt) });

function context(overrides: Partial<ApprovalContext>): ApprovalContext {
  return {
    request: { amountKopecks: 100_000n, currency: "rub", sourceAccount: "regular" } as PayoutRequest,
    session: { confirmDeadlineAt: new Date("2026-11-30T12:00:00Z"), confirmInformation: null } as BankSession,
    payouts: [{ amountKopecks: 100_000n, currency: "rub" } as BankPayout],
    actor: { type: "operator", id: BORIS },
    now: NOW,
    approver: { dailyLimitKopecks: null, payoutLimitKopecks: null, approvedTodayKopecks: 0 },
    approvals: [],
    fingerprint: { amountKopecks: "100000", currency: "rub", recipientName: "Получатель", instrument: null, sourceAccount: "regular", confirmInformation: null } as unknown as ApprovalContext["fingerprint"],
    ...overrides,
  };
}

describe("the claimed_by_other approval rule", () => {
  it("refuses someone else while the claim is in force, naming the holder and the end", () => {
    expect(checkApprovalRules(context({ claim: claimBy(ANNA, "2026-11-30T10:05:00Z") }))).toEqual({
      code: "claimed_by_other",
      message: expect.any(String),
      params: { by: "Анна Смирнова", until: "2026-11-30T10:05:00.000Z" },
    });
  });

  it("lets the holder through, and everyone once the claim has run out or when there is none", () => {
    expect(checkApprovalRules(context({ actor: { type: "operator", id: ANNA }, claim: claimBy(ANNA, "2026-11-30T10:05:00Z") }))).toBeNull();
    expect(checkApprovalRules(context({ claim: claimBy(ANNA, "2026-11-30T10:00:00Z") }))).toBeNull();
    expect(checkApprovalRules(context({ claim: null }))).toBeNull();
    expect(notClaimedByOther({ actor: { type: "operator", id: BORIS }, now: NOW })).toBeNull();
  });

  it("comes after the money rules: a wrong amount is reported first", () => {
    const violation = checkApprovalRules(context({ payouts: [{ amountKopecks: 999n, currency: "rub" } as BankPayout], claim: claimBy(ANNA, "2026-11-30T10:05:00Z") }));
    expect(violation?.rule).toBe("amount_mismatch");
  });
});

describe("claim wording", () => {
  it("says who holds the payout and until when, in Moscow time", () => {
    const claim = { holderId: ANNA, holderName: "Анна Смирнова", expiresAt: "2026-11-30T10:05:00.000Z" };
    expect(claimHolderLabel(claim, BORIS)).toBe("В работе: Анна Смирнова, до 13:05 МСК");
    expect(claimHolderLabel(claim, ANNA)).toBe("В работе у вас до 13:05 МСК");
    expect(errorMessage({ code: "claimed_by_other", params: { by: "Анна Смирнова", until: "2026-11-30T10:05:00.000Z" } }, "ru")).toBe(
      "Выплата в работе у другого оператора: Анна Смирнова, до 13:05 МСК. До этого времени решение за ним; снять захват может администратор.",
    );
  });

  it("labels every claim event of the timeline, the admin's reason included", () => {
    const data = { holderName: "Борис Котов", expiresAt: "2026-11-30T10:05:00.000Z", reason: "В отпуске" };
    expect(claimAuditLabel("claim.taken", data)).toBe("Взято в работу: Борис Котов до 13:05 МСК");
    expect(claimAuditLabel("claim.broken", data)).toBe("Захват Борис Котов снят администратором: «В отпуске»");
    expect(claimAuditLabel("claim.released", { ...data, settled: "paid" })).toBe("Работа завершена (выплата закрыта): Борис Котов");
    for (const action of ["claim.extended", "claim.released", "claim.expired"]) expect(claimAuditLabel(action, data)).toMatch(/Борис Котов/);
    expect(claimAuditLabel("operator.approved", data)).toBeNull();
  });
});

describe("CLAIM_TTL_MINUTES", () => {
  it("defaults to 10 minutes and takes a positive whole number", () => {
    expect(parseEnv({ NODE_ENV: "development" }).payouts.claimTtlMinutes).toBe(10);
    expect(parseEnv({ NODE_ENV: "development", CLAIM_TTL_MINUTES: "25" }).payouts.claimTtlMinutes).toBe(25);
    expect(() => parseEnv({ NODE_ENV: "development", CLAIM_TTL_MINUTES: "0" })).toThrow(/CLAIM_TTL_MINUTES/);
  });
});

describe("the queue's highlight", () => {
  it("marks a payout with under 30 minutes before the bank's deadline, or past it; not one without a known deadline", () => {
    const now = NOW.getTime();
    expect(isUrgent("2026-11-30T10:29:59.000Z", now)).toBe(true);
    expect(isUrgent("2026-11-30T09:59:00.000Z", now)).toBe(true);
    expect(isUrgent("2026-11-30T10:30:00.000Z", now)).toBe(false);
    expect(isUrgent(null, now)).toBe(false);
  });
});
