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
