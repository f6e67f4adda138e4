import { ApiError } from "@/components/api-client";
import { errorMessage, fieldErrorMessage } from "@/lib/i18n/errors";

/** The Russian sentence for a failed administration or password request, by its code (lib/i18n/errors.ts). */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return errorMessage({ code: "network" });
  return error.field ? `${FIELD[error.field] ?? error.field}: ${fieldErrorMessage(error)}` : errorMessage(error);
}

const FIELD: Record<string, string> = { email: "Email", name: "Имя", role: "Роль", password: "Новый пароль", newPassword: "Новый пароль", currentPassword: "Текущий пароль", url: "URL", event_types: "События", description: "Описание" };
