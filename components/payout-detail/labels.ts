import type { PayoutDetail, TimelineEntry } from "@/lib/payouts/detail";
import type { PayoutStatus } from "@/lib/payouts/state-machine";

/** Russian labels and colours for the operator's payout views (pure: server and client). */

export const STATUS_LABEL: Record<PayoutStatus, string> = {
  awaiting_recipient: "Ждёт получателя",
  submitted: "Проверяется банком",
  awaiting_approval: "Ждёт согласования",
  confirming: "Подтверждается",
  cancelling: "Отменяется",
  bank_error: "Сбой в банке",
  paid: "Выплачено",
  failed: "Ошибка",
  cancelled: "Отменено",
  refunded: "Возвращено",
  expired: "Ссылка истекла",
  needs_attention: "Требует внимания",
};

export const STATUS_TONE: Record<PayoutStatus, string> = {
  awaiting_recipient: "bg-slate-100 text-slate-700 ring-slate-300",
  submitted: "bg-sky-50 text-sky-800 ring-sky-200",
  awaiting_approval: "bg-amber-50 text-amber-800 ring-amber-300",
  confirming: "bg-sky-50 text-sky-800 ring-sky-200",
  cancelling: "bg-sky-50 text-sky-800 ring-sky-200",
  bank_error: "bg-orange-50 text-orange-800 ring-orange-300",
  paid: "bg-brand-50 text-brand-700 ring-brand-100",
  failed: "bg-red-50 text-red-700 ring-red-200",
  cancelled: "bg-slate-100 text-slate-700 ring-slate-300",
  refunded: "bg-violet-50 text-violet-800 ring-violet-200",
  expired: "bg-slate-100 text-slate-600 ring-slate-300",
  needs_attention: "bg-rose-50 text-rose-800 ring-rose-300",
};

export function statusLabel(status: string | null | undefined): string {
  return status && status in STATUS_LABEL ? STATUS_LABEL[status as PayoutStatus] : (status ?? "—");
}

export const METHOD_LABEL: Record<PayoutDetail["method"], string> = {
  card_widget: "Карта (виджет банка)",
  card_saved: "Сохранённая карта",
  recurrent: "Рекуррентная выплата",
  bank_account: "Банковский счёт",
};

export const SOURCE_ACCOUNT_LABEL: Record<PayoutDetail["sourceAccount"], string> = {
  regular: "Основной счёт",
  escrow: "Номинальный счёт",
  settlement: "Расчётный счёт (РКО)",
};

export const SESSION_STATUS_LABEL: Record<NonNullable<PayoutDetail["bankSession"]>["status"], string> = {
  starting: "запускается",
  created: "создана",
  in_progress: "в обработке",
  accepted: "исполнена",
  cancelled: "отменена",
  error: "ошибка",
};

export const BANK_PAYOUT_STATUS_LABEL: Record<PayoutDetail["bankPayouts"][number]["status"], string> = {
  in_progress: "в обработке",
  pending: "ждёт решения",
  succeeded: "успешно",
  failed: "не выполнена",
};

export const FLOW_LABEL: Record<string, string> = {
  create_start: "session/create + session/start/payout",
  init: "session/init/payout",
  nominal: "session/multi/create/nominal + start/payment/nominal",
  rko: "session/init/payout/rko",
};

export const LINK_STATE_LABEL: Record<PayoutDetail["link"]["state"], string> = {
  active: "активна",
  used: "использована",
  expired: "истекла",
  revoked: "отозвана",
};

const ACTOR_LABEL: Record<string, string> = {
  operator: "Оператор",
  recipient: "Получатель",
  bank: "Банк 131",
  system: "Система",
  partner_api: "API партнёра",
};

export function actorLabel(actor: Extract<TimelineEntry, { kind: "audit" }>["actor"]): string {
  if (actor.type === "operator" && actor.name) return actor.name;
  return ACTOR_LABEL[actor.type] ?? actor.type;
}

const SOURCE_LABEL: Record<string, string> = {
  webhook: "вебхук",
  start: "ответ на запуск",
  confirm: "ответ на подтверждение",
  cancel: "ответ на отмену",
  reconcile: "сверка статуса",
};

/** A one-line Russian description of an audit action (`operator.approved`, `bank.webhook.ready_to_confirm`, …). */
export function auditActionLabel(action: string, data: unknown): string {
  const reason = data && typeof data === "object" && "reason" in data && typeof data.reason === "string" ? data.reason : null;
  switch (action) {
    case "payout.created":
      return "Заявка создана";
    case "payout.submitted":
      return "Получатель отправил реквизиты";
    case "operator.approved":
      return "Выплата подтверждена";
    case "operator.cancelled":
      return reason ? `Выплата отменена: «${reason}»` : "Выплата отменена";
    case "bank.start_rejected":
      return "Банк отклонил запуск выплаты";
    case "bank.confirm_refused":
      return "Банк не принял подтверждение";
    case "bank.cancel_refused":
      return "Банк не принял отмену";
    case "link.expired":
      return "Ссылка получателя истекла";
    case "link.revoked":
      return reason ? `Ссылка отозвана: «${reason}»` : "Ссылка отозвана";
  }
  const bank = /^bank\.([a-z_]+)(?:\.([a-z_]+))?$/.exec(action);
  if (bank) {
    const source = SOURCE_LABEL[bank[1]!] ?? bank[1];
    return bank[2] ? `Новости банка (${source} ${bank[2]})` : `Новости банка (${source})`;
  }
  return action;
}

const OUTCOME_LABEL: Record<string, string> = {
  ok: "успешно",
  api_error: "ошибка банка",
  network_error: "нет связи",
  timeout: "тайм-аут, результат неизвестен",
  protocol_error: "непонятный ответ",
};

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABEL[outcome] ?? outcome;
}

/** What applying a webhook did, from the inbox's machine-readable `effect`. */
export function effectLabel(effect: string | null): string {
  if (!effect) return "ещё не обработан";
  if (effect === "unchanged") return "статус не изменился";
  if (effect === "duplicate") return "повтор, отброшен";
  if (effect === "rejected:signature") return "отклонён, не применялся";
  if (effect === "ignored:no_news") return "новостей нет, статус не изменился";
  if (effect === "ignored:unknown_session") return "сессия неизвестна порталу";
  const transition = /^transition:([a-z_]+)→([a-z_]+)$/.exec(effect);
  if (transition) return `статус: ${statusLabel(transition[1])} → ${statusLabel(transition[2])}`;
  const stale = /^ignored:stale\(([a-z_]+)→([a-z_]+)\)$/.exec(effect);
  if (stale) return `устаревшая новость (${statusLabel(stale[1])} ↛ ${statusLabel(stale[2])}), не применена`;
  const unknownType = /^ignored:unknown_type\((.*)\)$/.exec(effect);
  if (unknownType) return `неизвестный тип «${unknownType[1]}», не применялся`;
  if (effect.startsWith("error:unparseable")) return "подпись верна, но тело не разобрано — сохранено для разбора";
  return effect;
}

/** The dedupe decision for one inbox row. */
export function dedupeLabel(entry: { verdict: "verified" | "rejected"; dedupeKey: string | null; deliveries: number }): string {
  if (entry.verdict === "rejected") return "не участвует в дедупликации (подпись не принята)";
  if (entry.deliveries <= 1) return "первая доставка, применена";
  const repeats = entry.deliveries - 1;
  return `применена один раз; ${repeats} ${plural(repeats, ["повтор отброшен", "повтора отброшены", "повторов отброшены"])} по ключу`;
}

export function plural(n: number, forms: [string, string, string]): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** Operators work in Moscow time: one zone for the server render and the browser (no hydration drift). */
export const DISPLAY_TIME_ZONE = "Europe/Moscow";

const DATE_TIME = new Intl.DateTimeFormat("ru-RU", {
  timeZone: DISPLAY_TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const TIME = new Intl.DateTimeFormat("ru-RU", { timeZone: DISPLAY_TIME_ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit" });
const DAY = new Intl.DateTimeFormat("ru-RU", { timeZone: DISPLAY_TIME_ZONE, day: "numeric", month: "long" });

export function formatDateTime(isoString: string | null | undefined): string {
  if (!isoString) return "—";
  const date = new Date(isoString);
  return Number.isNaN(date.getTime()) ? "—" : DATE_TIME.format(date);
}

/** `14:03:27.512` — the timeline needs milliseconds to tell a call from the webhook it caused. */
export function formatTimeMs(isoString: string): string {
  const date = new Date(isoString);
  if (Number.isNaN(date.getTime())) return "—";
  return `${TIME.format(date)}.${String(date.getUTCMilliseconds()).padStart(3, "0")}`;
}

export function formatDay(isoString: string): string {
  const date = new Date(isoString);
  return Number.isNaN(date.getTime()) ? "" : DAY.format(date);
}
