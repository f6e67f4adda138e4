import type { PayoutDetail } from "@/lib/payouts/detail";

/** Browser calls for the payout detail page. Errors carry the portal's `{error:{code,message,field?}}`. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? "http_error", error?.message ?? `HTTP ${response.status}`, error?.field);
  }
  return body as T;
}

async function send<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: "same-origin", cache: "no-store" });
  } catch {
    throw new ApiError(0, "network", "Network error");
  }
  return parse<T>(response);
}

export function payoutQueryKey(id: string) {
  return ["payout", id] as const;
}

export function fetchPayoutDetail(id: string, signal?: AbortSignal): Promise<PayoutDetail> {
  return send<PayoutDetail>(`/api/payouts/${encodeURIComponent(id)}`, { signal });
}

export interface DecisionResult {
  payoutRequestId: string;
  status: string;
  outcomeUnknown?: boolean;
}

export function postDecision(id: string, decision: "confirm" | "cancel", reason?: string): Promise<DecisionResult> {
  return send<DecisionResult>(`/api/payouts/${encodeURIComponent(id)}/${decision}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(decision === "cancel" ? { reason } : {}),
  });
}
