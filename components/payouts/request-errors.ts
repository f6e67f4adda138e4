import { ApiError } from "@/components/api-client";

/** The banner text for an error that is not about one field. */
export function describeRequestError(error: unknown, action: string): string {
  if (!(error instanceof ApiError) || error.status === 0) return `Нет связи с порталом: ${action} не удалось. Проверьте подключение и попробуйте ещё раз.`;
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
