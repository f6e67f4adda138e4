import { formatMaskedCard } from "@/lib/cards";
import { formatKopecks } from "@/lib/money";

/**
 * Escrow: the `confirm_information` the bank sent with `ready_to_confirm`, which the portal echoes
 * back unchanged with session/confirm or session/cancel. Read loosely: it is the bank's document.
 */

type Requisites = { name?: string; account_number?: string; bank_name?: string; bik?: string; correspondent_account_number?: string; inn?: string; kpp?: string };
type Info = {
  transfer_details?: {
    purpose?: string;
    amount?: { amount?: number; currency?: string };
    customer?: Requisites;
    recipient?: Requisites;
    payout_details?: { type?: string; card?: { brand?: string; last4?: string } };
  };
};

const obj = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function RequisitesList({ title, value, testId }: { title: string; value: Requisites | undefined; testId: string }) {
  const rows: Array<[string, string | undefined]> = [
    ["Наименование", value?.name],
    ["Счёт", value?.account_number],
    ["Банк", value?.bank_name],
    ["БИК", value?.bik],
    ["Корр. счёт", value?.correspondent_account_number],
    ["ИНН", value?.inn],
    ["КПП", value?.kpp],
  ];
  const shown = rows.filter(([, text]) => text);
  return (
    <div data-testid={testId}>
      <p className="text-xs font-medium text-slate-500">{title}</p>
      {shown.length === 0 ? (
        <p className="text-sm text-slate-500">не указаны</p>
      ) : (
        <dl className="mt-1 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-sm">
          {shown.map(([label, text]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd className="font-mono text-[13px] break-all text-slate-900">{text}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

export function ConfirmInformationSummary({ value, requestedKopecks }: { value: unknown; requestedKopecks: number }) {
  const info = obj(value) as Info | undefined;
  const details = info?.transfer_details;
  const amount = details?.amount?.amount;
  const amountOk = typeof amount === "number" && Number.isSafeInteger(amount);
  const mismatch = amountOk && amount !== requestedKopecks;
  const card = details?.payout_details?.card;
  return (
    <section aria-labelledby="confirm-info-heading" className="rounded-xl border border-slate-200 bg-slate-50 p-4" data-testid="confirm-information">
      <h3 id="confirm-info-heading" className="text-sm font-semibold text-slate-900">
        Данные для банка (confirm_information)
      </h3>
      <p className="mt-1 text-xs text-slate-500">Отправляются в банк без изменений вместе с подтверждением или отменой.</p>
      <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">Сумма</dt>
        <dd className={`font-semibold tabular-nums ${mismatch ? "text-red-700" : "text-slate-900"}`} data-testid="confirm-information-amount">
          {amountOk ? formatKopecks(amount) : "—"}
          {mismatch ? <span className="block text-xs font-normal">не совпадает с заявкой ({formatKopecks(requestedKopecks)})</span> : null}
        </dd>
        <dt className="text-slate-500">Назначение</dt>
        <dd className="break-words text-slate-900" data-testid="confirm-information-purpose">{details?.purpose ?? "—"}</dd>
        {card ? (
          <>
            <dt className="text-slate-500">Карта</dt>
            <dd className="text-slate-900">{formatMaskedCard(card)}</dd>
          </>
        ) : null}
      </dl>
      <div className="mt-3 grid gap-3">
        <RequisitesList title="Получатель" value={details?.recipient} testId="confirm-information-recipient" />
        <RequisitesList title="Плательщик (номинальный счёт)" value={details?.customer} testId="confirm-information-customer" />
      </div>
    </section>
  );
}
