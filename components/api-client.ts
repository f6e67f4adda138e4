import type { ErrorParams } from "@/lib/payouts/errors";

/**
 * JSON calls from the portal's pages to its own routes. Every route answers errors as
 * `{ error: { code, message, field?, params? } }` (lib/http/errors.ts); this turns them back into an
 * ApiError, which pages word by `code` and `params` (lib/i18n/errors.ts), never by `message`.
 * A request that never got an answer is an ApiError with status 0 and code "network"; an error without
 * that body (a proxy's page) gets "internal_error" for 5xx and "invalid_request" otherwise.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiRequest {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
}

function paramsOf(value: unknown): ErrorParams | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const params: ErrorParams = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === null || typeof inner === "string" || typeof inner === "number" || typeof inner === "boolean") params[key] = inner;
  }
  return params;
}

export async function apiJson<T>(url: string, request: ApiRequest = {}): Promise<T> {
  let response: Response;
  try {
    const method = request.method ?? "GET";
    response = await fetch(url, {
      method,
      // Every state change is declared JSON, body or not: the server refuses any other (lib/http/csrf.ts).
      headers: { accept: "application/json", ...(method === "GET" ? {} : { "content-type": "application/json" }) },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (error) {
    // An abort is React Query cancelling a stale request, not a network failure.
    if (request.signal?.aborted) throw error;
    throw new ApiError(0, "network", "Network error");
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data as { error?: { code?: unknown; message?: unknown; field?: unknown; params?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === "string" ? error.code : response.status >= 500 ? "internal_error" : "invalid_request",
      typeof error?.message === "string" ? error.message : `HTTP ${response.status}`,
      typeof error?.field === "string" ? error.field : undefined,
      paramsOf(error?.params),
    );
  }
  return data as T;
}
