import { ApiError, apiJson } from "@/components/api-client";
import type { RecipientInstrument } from "@/lib/payouts/schemas";
import type { RecipientView } from "@/lib/payouts/views";

/** The recipient page's HTTP calls: GET/POST under /api/p/<token>. */

const base = (token: string) => `/api/p/${encodeURIComponent(token)}`;

export function fetchRecipientView(token: string, signal?: AbortSignal): Promise<RecipientView> {
  return apiJson<RecipientView>(base(token), { signal });
}

export function startPayout(token: string, instrument: RecipientInstrument): Promise<RecipientView> {
  return apiJson<RecipientView>(`${base(token)}/start`, { method: "POST", body: { instrument } });
}

export function retryStart(token: string): Promise<RecipientView> {
  return apiJson<RecipientView>(`${base(token)}/retry`, { method: "POST" });
}

/** The server's error code, which the recipient's messages are keyed by. */
export function errorCodeOf(error: unknown): string {
  return error instanceof ApiError ? error.code : "internal_error";
}
