import { describe, expect, it } from "vitest";
import { riskSignalText, RISK_SIGNAL_TITLE } from "@/lib/format/risk-signals";
import { formatKopecks } from "@/lib/money";
import { RISK_SIGNAL_CODES } from "@/lib/payouts/risk-signals";

describe("risk signal wording (RU)", () => {
  it("every code has a title", () => {
    for (const code of RISK_SIGNAL_CODES) expect(RISK_SIGNAL_TITLE[code]).toBeTruthy();
  });

  it("different names on one card: how many, over how many days, and who", () => {
    expect(
      riskSignalText({ code: "instrument_many_names", params: { instrumentKind: "card", last4: "4940", names: 3, days: 30, sample: "Иван Иванов, Фёдор Сидоров, Анна Ким" } }),
    ).toBe("Карта •• 4940 получала выплаты на 3 разных имени за 30 дней: Иван Иванов, Фёдор Сидоров, Анна Ким");
    expect(
      riskSignalText({ code: "instrument_many_names", params: { instrumentKind: "account", account: "40817***1234", bik: "044525974", names: 7, days: 1, sample: "А, Б, В, Г, Д" } }),
    ).toBe("Счёт 40817***1234, БИК 044525974, получал выплаты на 7 разных имён за 1 день: А, Б, В, Г, Д, …");
  });

  it("first payout, payouts per day, amount above history, link addresses", () => {
    expect(riskSignalText({ code: "instrument_first_payout", params: { instrumentKind: "card", last4: "4940" } })).toBe(
      "Первая выплата на карту •• 4940: выплат по этим реквизитам ещё не было",
    );
    expect(riskSignalText({ code: "instrument_many_per_day", params: { instrumentKind: "recurrent", token: "9a8a…59da", payouts: 4, threshold: 3 } })).toBe(
      "4 выплаты по рекуррентному токену 9a8a…59da в пределах суток (порог — 3)",
    );
    expect(riskSignalText({ code: "amount_above_history", params: { amountKopecks: 5_000_000, medianKopecks: 100_000, paidPayouts: 4, multiplier: 5 } })).toBe(
      `Сумма ${formatKopecks(5_000_000)} в 50 раз больше медианы прошлых выплат этому получателю: ${formatKopecks(100_000)} по 4 выплатам (порог — 5×)`,
    );
    expect(riskSignalText({ code: "instrument_first_payout", params: { instrumentKind: "sbp", phone: "+7 900 ***-**-01", bank: "Сбербанк" } })).toBe(
      "Первая выплата по СБП на +7 900 ***-**-01 (Сбербанк): выплат по этим реквизитам ещё не было",
    );
    expect(riskSignalText({ code: "link_many_addresses", params: { addresses: 21, opens: 40, threshold: 5 } })).toBe(
      "Ссылку получателя открывали с 21 адреса (40 открытий; порог — 5)",
    );
  });
});
