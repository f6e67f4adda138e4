import { formatKopecks } from "../money";
import type { RiskSignal, RiskSignalCode } from "../payouts/risk-signals";
import { plural } from "./numbers";

/**
 * The words for risk signals (lib/payouts/risk-signals.ts): a short title per code for the queue's
 * chips and filter, and a sentence with the numbers behind the signal. Pure (type-only imports).
 */

export const RISK_SIGNAL_TITLE: Record<RiskSignalCode, string> = {
  instrument_many_names: "Разные имена на реквизитах",
  instrument_first_payout: "Первая выплата на реквизиты",
  instrument_many_per_day: "Частые выплаты на реквизиты",
  amount_above_history: "Сумма выше обычной",
  link_many_addresses: "Ссылку открывали с многих адресов",
};

type Params = RiskSignal["params"];
const text = (params: Params, key: string): string => String(params[key] ?? "");
const count = (params: Params, key: string): number => Number(params[key] ?? 0);

/** «Карта •• 4940», «Счёт 40817***1234, БИК 044525974», … — never a card number, tokens already redacted. */
function instrumentName(params: Params): { subject: string; to: string; received: string } {
  switch (params.instrumentKind) {
    case "card": {
      const card = params.last4 ? `•• ${text(params, "last4")}` : text(params, "hash");
      return { subject: `Карта ${card}`, to: `на карту ${card}`, received: "получала" };
    }
    case "account":
      return { subject: `Счёт ${text(params, "account")}, БИК ${text(params, "bik")},`, to: `на счёт ${text(params, "account")}, БИК ${text(params, "bik")}`, received: "получал" };
    case "sbp":
      return { subject: `Телефон СБП ${text(params, "phone")} (${text(params, "bank")})`, to: `по СБП на ${text(params, "phone")} (${text(params, "bank")})`, received: "получал" };
    case "recurrent":
      return { subject: `Рекуррентный токен ${text(params, "token")}`, to: `по рекуррентному токену ${text(params, "token")}`, received: "получал" };
    default:
      return { subject: `Сохранённая карта ${text(params, "token")}`, to: `на сохранённую карту ${text(params, "token")}`, received: "получала" };
  }
}

/** The sentence an approver reads: what was seen, with its numbers. */
export function riskSignalText(signal: RiskSignal): string {
  const { params } = signal;
  switch (signal.code) {
    case "instrument_many_names": {
      const names = count(params, "names");
      const days = count(params, "days");
      const listed = text(params, "sample");
      const more = names > listed.split(", ").length ? ", …" : "";
      const instrument = instrumentName(params);
      return `${instrument.subject} ${instrument.received} выплаты на ${names} ${plural(names, ["разное имя", "разных имени", "разных имён"])} за ${days} ${plural(days, ["день", "дня", "дней"])}: ${listed}${more}`;
    }
    case "instrument_first_payout":
      return `Первая выплата ${instrumentName(params).to}: выплат по этим реквизитам ещё не было`;
    case "instrument_many_per_day": {
      const payouts = count(params, "payouts");
      return `${payouts} ${plural(payouts, ["выплата", "выплаты", "выплат"])} ${instrumentName(params).to} в пределах суток (порог — ${count(params, "threshold")})`;
    }
    case "amount_above_history": {
      const amount = count(params, "amountKopecks");
      const median = count(params, "medianKopecks");
      const paid = count(params, "paidPayouts");
      // A display ratio, not money: whole times, rounded down.
      const times = median > 0 ? Math.floor(amount / median) : 0;
      return `Сумма ${formatKopecks(amount)} в ${times} ${plural(times, ["раз", "раза", "раз"])} больше медианы прошлых выплат этому получателю: ${formatKopecks(median)} по ${paid} ${plural(paid, ["выплате", "выплатам", "выплатам"])} (порог — ${count(params, "multiplier")}×)`;
    }
    case "link_many_addresses": {
      const addresses = count(params, "addresses");
      const opens = count(params, "opens");
      return `Ссылку получателя открывали с ${addresses} ${plural(addresses, ["адреса", "адресов", "адресов"])} (${opens} ${plural(opens, ["открытие", "открытия", "открытий"])}; порог — ${count(params, "threshold")})`;
    }
  }
}
