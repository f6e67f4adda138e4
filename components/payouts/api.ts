/** JSON calls from operator pages to the portal's own routes; errors keep the `{ error: { code, message, field? } }` shape. */

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

export async function apiJson<T>(url: string, init: { method?: "GET" | "POST"; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: { accept: "application/json", ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
    cache: "no-store",
  });
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === "string" ? error.code : `http_${response.status}`,
      typeof error?.message === "string" ? error.message : response.statusText,
      typeof error?.field === "string" ? error.field : undefined,
    );
  }
  return data as T;
}

/** The banner text for an error that is not about one field. */
export function describeRequestError(error: unknown, action: string): string {
  if (!(error instanceof ApiError)) return `Нет связи с порталом: ${action} не удалось. Проверьте подключение и попробуйте ещё раз.`;
  switch (error.code) {
    case "unauthorized":
      return "Сессия истекла. Войдите снова и повторите.";
    case "forbidden":
      return "У вашей роли нет прав на это действие.";
    case "internal_error":
      return `Сбой на стороне портала: ${action} не удалось. Попробуйте ещё раз через минуту.`;
    case "bank_unavailable":
      return "Банк сейчас не отвечает. Попробуйте ещё раз через минуту.";
    case "payload_too_large":
      return "Слишком большой запрос.";
    default:
      return `${action[0]?.toUpperCase()}${action.slice(1)} не удалось: ${error.message}`;
  }
}
