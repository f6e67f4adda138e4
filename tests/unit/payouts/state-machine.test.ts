import { describe, expect, it } from "vitest";
import { PAYOUT_STATUSES, canTransition, predecessorsOf, statusFromBank, type BankView, type PayoutStatus } from "@/lib/payouts/state-machine";

/** Applies bank views in order the way the webhook handler does: only allowed transitions. */
function replay(start: PayoutStatus, views: BankView[]): PayoutStatus {
  return views.reduce<PayoutStatus>((current, view) => {
    const target = statusFromBank(view, current);
    return target && canTransition(current, target) ? target : current;
  }, start);
}

const inProgress: BankView = { sessionStatus: "in_progress", payoutStatus: "in_progress" };
const ready: BankView = { sessionStatus: "in_progress", nextAction: "confirm", payoutStatus: "pending" };
const succeeded: BankView = { sessionStatus: "accepted", payoutStatus: "succeeded" };
const declined: BankView = { sessionStatus: "cancelled", payoutStatus: "failed", payoutErrorCode: "declined_by_issuer_bank" };
const refunded: BankView = { sessionStatus: "accepted", payoutStatus: "succeeded", refunded: true };

describe("payout state machine", () => {
  it("follows the happy path", () => {
    expect(replay("submitted", [inProgress, ready])).toBe("awaiting_approval");
    expect(replay("confirming", [succeeded])).toBe("paid");
  });

  it("never moves backwards when webhooks arrive late or twice", () => {
    expect(replay("submitted", [ready, succeeded, ready, inProgress])).toBe("paid");
    expect(replay("submitted", [succeeded, ready])).toBe("paid"); // payment_finished before ready_to_confirm
    expect(replay("confirming", [ready, ready])).toBe("confirming");
    expect(replay("cancelling", [ready, inProgress])).toBe("cancelling");
    expect(replay("failed", [ready, succeeded])).toBe("failed");
  });

  it("records a decline as failed and a partner cancel as cancelled", () => {
    expect(replay("confirming", [declined])).toBe("failed");
    expect(replay("cancelling", [{ sessionStatus: "cancelled", payoutStatus: "failed", payoutErrorCode: "session_cancelled_by_partner" }])).toBe("cancelled");
    expect(replay("cancelling", [{ sessionStatus: "cancelled" }])).toBe("cancelled");
  });

  it("keeps a bank error open until the bank knows more", () => {
    expect(replay("confirming", [{ sessionStatus: "error" }])).toBe("bank_error");
    expect(replay("bank_error", [inProgress])).toBe("bank_error");
    expect(replay("bank_error", [succeeded])).toBe("paid");
  });

  it("lets a paid bank-account payout come back as refunded, and nothing after that", () => {
    expect(replay("paid", [refunded])).toBe("refunded");
    expect(replay("refunded", [succeeded, ready])).toBe("refunded");
  });

  it("ends refunded whatever order the refund and the finish arrive in (issue 9.1)", () => {
    for (const start of ["submitted", "awaiting_approval", "confirming", "cancelling", "bank_error"] as const) {
      expect(replay(start, [refunded, succeeded])).toBe("refunded");
      expect(replay(start, [succeeded, refunded])).toBe("refunded");
    }
    expect(canTransition("refunded", "paid")).toBe(false);
  });

  it("needs_attention is left only on bank news or an operator's cancel, never back to submitted", () => {
    expect(canTransition("submitted", "needs_attention")).toBe(true);
    expect(replay("needs_attention", [ready, succeeded])).toBe("paid");
    expect(canTransition("needs_attention", "cancelled")).toBe(true);
    expect(canTransition("needs_attention", "submitted")).toBe(false);
    expect(predecessorsOf("needs_attention")).toEqual(["submitted"]);
  });

  it("has no way out of final statuses and predecessors match the table", () => {
    for (const final of ["failed", "cancelled", "refunded", "expired"] as const) {
      for (const to of PAYOUT_STATUSES) expect(canTransition(final, to)).toBe(false);
    }
    expect(predecessorsOf("confirming").sort()).toEqual(["awaiting_approval", "bank_error", "submitted"]);
    expect(predecessorsOf("submitted")).toEqual(["awaiting_recipient"]);
  });
});
