import type { PayoutMethod, SourceAccount } from "../generated/prisma/enums";
import type { PayoutStatus } from "../payouts/state-machine";

/**
 * The operators' words for payout statuses, methods and source accounts: one wording and one tone
 * per status for the dashboard, the payout page, the creation result and the CSV export. Pure
 * (type-only imports), so client components can use it.
 */

/** A payout (выплата) is feminine: "Выплачена", "Отменена". */
export const STATUS_LABEL: Record<PayoutStatus, string> = {
  awaiting_recipient: "Ждёт получателя",
  submitted: "Отправлена в банк",
  awaiting_approval: "Ждёт согласования",
  confirming: "Подтверждается",
  cancelling: "Отменяется",
  // The bank's session reported `error`: the outcome is unknown, not failed (reconciliation finds out).
  bank_error: "Банк уточняет результат",
  paid: "Выплачена",
  failed: "Отклонена",
  cancelled: "Отменена",
  refunded: "Возвращена",
  expired: "Ссылка истекла",
  // The bank could not be asked what happened (a start whose session id was never learned): a person must find out.
  needs_attention: "Требует внимания",
};

/** Plural headings for a group of payouts in one status (the dashboard's tabs). */
export const STATUS_GROUP_LABEL: Record<PayoutStatus, string> = {
  awaiting_recipient: "Ждут получателя",
  submitted: "Отправлены",
  awaiting_approval: "Ждут согласования",
  confirming: "Подтверждаются",
  cancelling: "Отменяются",
  bank_error: "Уточняются в банке",
  paid: "Выплачены",
  failed: "Отклонены",
  cancelled: "Отменены",
  refunded: "Возвращены",
  expired: "Истекли",
  needs_attention: "Требуют внимания",
};

/** What a status means to an operator, which decides its colour. */
export type StatusTone = "waiting" | "progress" | "attention" | "unknown" | "investigate" | "success" | "danger" | "returned" | "closed";

export const STATUS_TONE: Record<PayoutStatus, StatusTone> = {
  awaiting_recipient: "waiting",
  submitted: "progress",
  awaiting_approval: "attention",
  confirming: "progress",
  cancelling: "progress",
  bank_error: "unknown",
  paid: "success",
  failed: "danger",
  cancelled: "closed",
  refunded: "returned",
  expired: "closed",
  needs_attention: "investigate",
};

/** Badge classes per tone (Tailwind; text colours chosen for AA contrast on their backgrounds). */
export const TONE_BADGE_CLASS: Record<StatusTone, string> = {
  waiting: "bg-slate-100 text-slate-700 ring-slate-300",
  progress: "bg-sky-50 text-sky-800 ring-sky-200",
  attention: "bg-violet-50 text-violet-800 ring-violet-200",
  unknown: "bg-orange-50 text-orange-800 ring-orange-300",
  investigate: "bg-rose-50 text-rose-800 ring-rose-300",
  success: "bg-brand-50 text-brand-700 ring-brand-100",
  danger: "bg-red-50 text-red-700 ring-red-200",
  returned: "bg-amber-50 text-amber-800 ring-amber-300",
  closed: "bg-slate-100 text-slate-700 ring-slate-300",
};

export const statusBadgeClass = (status: PayoutStatus): string => TONE_BADGE_CLASS[STATUS_TONE[status]];

/** Solid colours for the volume chart, one per status (hex: recharts paints SVG, not Tailwind classes). */
export const STATUS_CHART_COLOR: Record<PayoutStatus, string> = {
  awaiting_recipient: "#cbd5e1",
  submitted: "#7dd3fc",
  awaiting_approval: "#a78bfa",
  confirming: "#38bdf8",
  cancelling: "#fcd34d",
  bank_error: "#fb923c",
  paid: "#1f9d5b",
  failed: "#ef4444",
  cancelled: "#94a3b8",
  refunded: "#f59e0b",
  expired: "#e2e8f0",
  needs_attention: "#e11d48",
};

const isPayoutStatus = (value: string): value is PayoutStatus => Object.hasOwn(STATUS_LABEL, value);

/** For strings read from stored data (audit effects, old rows): a known status's label, else the raw value. */
export function statusLabel(status: string | null | undefined): string {
  if (!status) return "—";
  return isPayoutStatus(status) ? STATUS_LABEL[status] : status;
}

export const METHOD_LABEL: Record<PayoutMethod, string> = {
  card_widget: "Карта",
  card_saved: "Сохранённая карта",
  recurrent: "Рекуррентный токен",
  bank_account: "Банковский счёт",
  sbp: "СБП по номеру телефона",
};

export const SOURCE_ACCOUNT_LABEL: Record<SourceAccount, string> = {
  regular: "Основной счёт",
  escrow: "Номинальный счёт",
  settlement: "Расчётный счёт (РКО)",
};
