import { ApiError } from "@/components/api-client";

// Russian wording of the administration codes; to move into the shared catalogue (lib/i18n/errors.ts).
const TEXT: Record<string, string> = {
  operator_exists: "Оператор с таким email уже есть.",
  last_admin: "Это последний активный администратор: сначала назначьте администратором кого-то ещё.",
  wrong_password: "Текущий пароль указан неверно.",
  invite_invalid: "Ссылка недействительна. Попросите администратора прислать новую.",
  invite_used: "По этой ссылке пароль уже задан. Войдите с ним или попросите новую ссылку.",
  invite_expired: "Срок действия ссылки истёк. Попросите администратора прислать новую.",
  rate_limited: "Слишком много попыток. Подождите несколько минут и повторите.",
  forbidden: "Недостаточно прав для этого действия.",
  unauthorized: "Сессия закончилась — войдите снова.",
  invalid_request: "Проверьте заполнение полей.",
  network: "Нет связи с сервером. Проверьте подключение и повторите.",
};

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "invalid_request" && error.field) return `Проверьте поле «${FIELD[error.field] ?? error.field}».`;
    return TEXT[error.code] ?? "Не удалось выполнить действие. Повторите попытку.";
  }
  return "Не удалось выполнить действие. Повторите попытку.";
}

const FIELD: Record<string, string> = { email: "Email", name: "Имя", role: "Роль", password: "Новый пароль", newPassword: "Новый пароль", currentPassword: "Текущий пароль" };

export const ROLE_LABEL = { admin: "Администратор", approver: "Согласующий", viewer: "Наблюдатель" } as const;
