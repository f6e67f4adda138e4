import { claimAuditLabel } from "@/lib/format/claims";
import { plural } from "@/lib/format/numbers";
import { statusLabel } from "@/lib/format/status";
import type { PayoutDetail, TimelineEntry } from "@/lib/payouts/detail";

/**
 * Russian labels for what only the payout page and the webhook list show: bank sessions, calls,
 * audit actions, webhook effects (pure: server and client). Statuses, methods, accounts, numbers and
 * times come from lib/format.
 */

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

const NEWS_SOURCE_LABEL: Record<string, string> = {
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
    case "operator.approval_recorded":
      return "Одобрение записано, нужно ещё одно";
    case "approval.voided":
      return "Выплата изменилась после одобрения — одобрения сняты";
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
  const claim = claimAuditLabel(action, data);
  if (claim) return claim;
  const bank = /^bank\.([a-z_]+)(?:\.([a-z_]+))?$/.exec(action);
  if (bank) {
    const source = NEWS_SOURCE_LABEL[bank[1]!] ?? bank[1];
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

/** Why a payout needs a person (lib/payouts/start.ts needsAttention). */
export const ATTENTION_REASON_LABEL: Record<string, string> = {
  start_refused_session_unknown:
    "Банк отказал в повторном запуске, а номер сессии в банке неизвестен — узнать её состояние нельзя. Проверьте выплату в банке, затем отмените её или дождитесь новостей.",
  start_refused_session_created: "Банк отказал в повторном запуске; сессия в банке не запущена. Проверьте выплату в банке, затем отмените её.",
};

export const attentionReasonLabel = (reason: string): string => ATTENTION_REASON_LABEL[reason] ?? `Выплата требует проверки (${reason}).`;
