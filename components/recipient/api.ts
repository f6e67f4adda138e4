import type { RecipientView } from "@/lib/payouts/views";
import type { RecipientInstrument } from "@/lib/payouts/schemas";

/** The recipient page's HTTP calls: GET/POST under /api/p/<token>. Errors carry the server's code. */

export class RecipientApiError extends Error {
  override name = "RecipientApiError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

async function call(url: string, init: RequestInit = {}): Promise<RecipientView> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      cache: "no-store",
      credentials: "same-origin",
      headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) },
    });
  } catch {
    throw new RecipientApiError("network", "network error", 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
    const code = typeof error?.code === "string" ? error.code : response.status >= 500 ? "internal_error" : "invalid_request";
    throw new RecipientApiError(code, typeof error?.message === "string" ? error.message : response.statusText, response.status, typeof error?.field === "string" ? error.field : undefined);
  }
  if (!body || typeof body !== "object") throw new RecipientApiError("internal_error", "empty answer", response.status);
  return body as RecipientView;
}

const base = (token: string) => `/api/p/${encodeURIComponent(token)}`;

export function fetchRecipientView(token: string, signal?: AbortSignal): Promise<RecipientView> {
  return call(base(token), { signal });
}

export function startPayout(token: string, instrument: RecipientInstrument): Promise<RecipientView> {
  return call(`${base(token)}/start`, { method: "POST", body: JSON.stringify({ instrument }) });
}

export function retryStart(token: string): Promise<RecipientView> {
  return call(`${base(token)}/retry`, { method: "POST" });
}

export function errorCodeOf(error: unknown): string {
  return error instanceof RecipientApiError ? error.code : "internal_error";
}
