import type { PayoutMethod, SourceAccount } from "@/lib/generated/prisma/enums";
import type { PayoutStatus } from "@/lib/payouts/state-machine";

/**
 * Operator-facing Russian labels for payout statuses, methods and source accounts. A pure module:
 * used by the dashboard's client components and by the CSV export route.
 */

export const STATUS_LABEL: Record<PayoutStatus, string> = {
  awaiting_recipient: "Ждёт получателя",
  submitted: "Отправлена в банк",
  awaiting_approval: "Ждёт согласования",
  confirming: "Подтверждается",
  cancelling: "Отменяется",
  bank_error: "Ошибка банка",
  paid: "Выплачена",
  failed: "Отклонена",
  cancelled: "Отменена",
  refunded: "Возвращена",
  expired: "Ссылка истекла",
  needs_attention: "Требует внимания",
};

/** Badge colours: in progress (blue/amber), needs an operator (violet), done (green), bad (red), neutral (slate). */
export const STATUS_BADGE: Record<PayoutStatus, string> = {
  awaiting_recipient: "bg-slate-100 text-slate-700 ring-slate-200",
  submitted: "bg-sky-50 text-sky-800 ring-sky-200",
  awaiting_approval: "bg-violet-50 text-violet-800 ring-violet-200",
  confirming: "bg-sky-50 text-sky-800 ring-sky-200",
  cancelling: "bg-amber-50 text-amber-800 ring-amber-200",
  bank_error: "bg-orange-50 text-orange-800 ring-orange-200",
  paid: "bg-brand-50 text-brand-700 ring-brand-100",
  failed: "bg-red-50 text-red-700 ring-red-200",
  cancelled: "bg-slate-100 text-slate-600 ring-slate-200",
  refunded: "bg-amber-50 text-amber-800 ring-amber-200",
  expired: "bg-slate-100 text-slate-500 ring-slate-200",
  needs_attention: "bg-rose-50 text-rose-800 ring-rose-300",
};

/** Solid colours for the volume chart (hex: recharts paints SVG, not Tailwind classes). */
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

/** The tabs, in the order an operator reads the flow. `rare` tabs show only when they have rows. */
export const STATUS_TABS: ReadonlyArray<{ status: PayoutStatus | "all"; label: string; rare?: boolean }> = [
  { status: "all", label: "Все" },
  { status: "awaiting_recipient", label: "Ждут получателя" },
  { status: "submitted", label: "Отправлены" },
  { status: "awaiting_approval", label: "Ждут согласования" },
  { status: "confirming", label: "Подтверждаются" },
  { status: "cancelling", label: "Отменяются", rare: true },
  { status: "bank_error", label: "Ошибка банка", rare: true },
  { status: "needs_attention", label: "Требуют внимания", rare: true },
  { status: "paid", label: "Выплачены" },
  { status: "failed", label: "Отклонены" },
  { status: "cancelled", label: "Отменены" },
  { status: "refunded", label: "Возвращены", rare: true },
  { status: "expired", label: "Истекли", rare: true },
];

export const METHOD_LABEL: Record<PayoutMethod, string> = {
  card_widget: "Карта",
  card_saved: "Сохранённая карта",
  recurrent: "Рекуррентный токен",
  bank_account: "Банковский счёт",
};

export const SOURCE_LABEL: Record<SourceAccount, string> = {
  regular: "Основной",
  escrow: "Номинальный",
  settlement: "Расчётный (РКО)",
};

/** `42` → `PR-000042`, the reference operators and recipients see. */
export function formatRequestNumber(number: number): string {
  return `PR-${String(number).padStart(6, "0")}`;
}
