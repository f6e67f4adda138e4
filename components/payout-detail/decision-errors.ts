import { describeBankError } from "@/lib/bank131/messages";
import { ApiError } from "@/components/api-client";

export const ALREADY_DECIDED = "Уже обработано другим оператором";

const ROLE_MESSAGE = "Your role does not allow this action";

/** The approval rules (lib/payouts/rules.ts) speak English; operators read Russian. */
const RULE_SENTENCES: Array<[RegExp, string]> = [
  [/confirmation window has passed/i, "срок подтверждения в банке истёк — банк сам отменит выплату."],
  [/^The escrow transfer is for/i, "сумма перевода с номинального счёта не совпадает с заявкой. Отмените выплату."],
  [/^The bank reports currency/i, "валюта выплаты в банке не совпадает с заявкой. Отмените выплату."],
  [/^The bank reports .* but the request is for/i, "сумма, которую готов выплатить банк, не совпадает с заявкой. Отмените выплату."],
];

function ruleSentence(message: string): string {
  return RULE_SENTENCES.find(([pattern]) => pattern.test(message))?.[1] ?? message;
}

/** A Russian sentence for a failed approve/cancel; `conflict` says the page must be refetched. */
export function decisionErrorMessage(error: unknown, decision: "confirm" | "cancel"): { text: string; conflict: boolean } {
  if (!(error instanceof ApiError)) return { text: "Что-то пошло не так. Обновите страницу и попробуйте ещё раз.", conflict: false };
  const what = decision === "confirm" ? "подтвердить" : "отменить";
  switch (error.status) {
    case 0:
      return { text: "Нет связи с порталом. Проверьте подключение и попробуйте ещё раз.", conflict: false };
    case 401:
      return { text: "Сессия истекла — войдите снова.", conflict: false };
    case 403:
      if (error.message === ROLE_MESSAGE) return { text: "Ваша роль не позволяет согласовывать выплаты.", conflict: false };
      return { text: `Правила согласования не позволяют ${what} выплату: ${ruleSentence(error.message)}`, conflict: true };
    case 404:
      return { text: "Выплата не найдена.", conflict: false };
    case 409:
      return { text: ALREADY_DECIDED, conflict: true };
    case 502: {
      // "The bank refused the confirm: <description> (<code>)"
      const code = /\(([A-Za-z0-9_.-]+)\)\s*$/.exec(error.message)?.[1];
      return { text: `Банк не принял решение: ${code ? describeBankError(code, "ru") : error.message}`, conflict: true };
    }
    case 503:
      return { text: "Банк сейчас недоступен. Попробуйте через минуту.", conflict: true };
    case 400:
      return { text: `Запрос отклонён: ${error.message}`, conflict: false };
    default:
      return { text: `Не удалось ${what} выплату (${error.code}). Попробуйте ещё раз.`, conflict: true };
  }
}
