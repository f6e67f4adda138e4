import { apiJson } from "@/components/api-client";
import type { PayoutDetail } from "@/lib/payouts/detail";

/** Browser calls for the payout detail page. */

export function payoutQueryKey(id: string) {
  return ["payout", id] as const;
}

export function fetchPayoutDetail(id: string, signal?: AbortSignal): Promise<PayoutDetail> {
  return apiJson<PayoutDetail>(`/api/payouts/${encodeURIComponent(id)}`, { signal });
}

export interface DecisionResult {
  payoutRequestId: string;
  status: string;
  outcomeUnknown?: boolean;
  /** An approval: how many count now and how many the payout needs. */
  approvals?: { count: number; required: number };
}

export function postDecision(id: string, decision: "confirm" | "cancel", reason?: string): Promise<DecisionResult> {
  return apiJson<DecisionResult>(`/api/payouts/${encodeURIComponent(id)}/${decision}`, {
    method: "POST",
    body: decision === "cancel" ? { reason } : {},
  });
}

export type ClaimAction = "take" | "release" | "break";

const CLAIM_PATH: Record<ClaimAction, string> = { take: "claim", release: "claim/release", break: "claim/break" };

/** Take (or extend) the claim, release one's own, or (admin) break anyone's with a reason. */
export function postClaim(id: string, action: ClaimAction, reason?: string): Promise<unknown> {
  return apiJson(`/api/payouts/${encodeURIComponent(id)}/${CLAIM_PATH[action]}`, { method: "POST", body: action === "break" ? { reason } : {} });
}
