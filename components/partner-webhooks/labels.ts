import type { PartnerEventType } from "@/lib/payouts/partner-event-types";

/** What each partner event type means, for the admin's checkboxes and the delivery log. */
export const EVENT_TYPE_LABEL: Record<PartnerEventType, string> = {
  "payout.created": "Заявка создана",
  "payout.submitted": "Получатель ввёл реквизиты",
  "payout.awaiting_approval": "Ждёт одобрения",
  "payout.paid": "Выплачено",
  "payout.failed": "Ошибка выплаты",
  "payout.cancelled": "Отменено",
  "payout.refunded": "Возврат",
  "payout.expired": "Ссылка истекла",
  "batch.completed": "Пакет обработан",
};

export const DELIVERY_STATUS_LABEL: Record<string, string> = {
  pending: "Ожидает отправки",
  delivered: "Доставлено",
  failed: "Не доставлено (попытки исчерпаны)",
};
