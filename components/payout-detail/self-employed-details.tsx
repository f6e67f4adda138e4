import { formatKopecks } from "@/lib/money";
import type { PayoutDetail } from "@/lib/payouts/detail";

/** Self-employed (НПД) payouts on the operator's payout page: the tax service's answer, the services, the receipt. */

type SelfEmployedDetail = NonNullable<PayoutDetail["selfEmployed"]>;

export const NPD_STATUS_LABEL: Record<SelfEmployedDetail["npdStatus"], string> = {
  checking: "проверяется в ФНС (получатель ещё не открыл ссылку или ФНС не ответила)",
  not_linked: "самозанятый, Банк 131 не привязан — получатель привязывает на странице выплаты",
  linked: "самозанятый, Банк 131 привязан",
  not_self_employed: "не самозанятый — выплата с чеком НПД невозможна",
};

/** Why the payout cannot go on: shown at the top of the page, like a failure. */
export function NotSelfEmployedBanner({ selfEmployed }: { selfEmployed: PayoutDetail["selfEmployed"] }) {
  if (selfEmployed?.npdStatus !== "not_self_employed") return null;
  return (
    <div className="mt-4 rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="payout-npd-not-self-employed">
      ФНС сообщила, что ИНН <span className="font-mono">{selfEmployed.inn}</span> не зарегистрирован как самозанятый (НПД): получатель не может
      получить эту выплату с чеком. Отмените ссылку или создайте обычную выплату.
    </div>
  );
}

export function SelfEmployedDetails({ selfEmployed }: { selfEmployed: SelfEmployedDetail }) {
  return (
    <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[11rem_minmax(0,1fr)]">
      <dt className="text-slate-500">ИНН</dt>
      <dd className="font-mono text-slate-900">{selfEmployed.inn}</dd>
      <dt className="text-slate-500">Статус в ФНС</dt>
      <dd className="text-slate-900" data-testid="payout-npd-status" data-status={selfEmployed.npdStatus}>
        {NPD_STATUS_LABEL[selfEmployed.npdStatus]}
      </dd>
      <dt className="text-slate-500">Услуги в чеке</dt>
      <dd className="text-slate-900">
        <ul className="space-y-0.5">
          {selfEmployed.services.map((service, index) => (
            <li key={index}>
              {service.name} — {formatKopecks(service.amountKopecks)} × {service.quantity}
            </li>
          ))}
        </ul>
      </dd>
      <dt className="text-slate-500">Чек</dt>
      <dd className="text-slate-900" data-testid="payout-npd-receipt">
        {selfEmployed.receipt ? (
          <a href={selfEmployed.receipt.link} target="_blank" rel="noopener noreferrer" className="text-brand-700 underline" data-testid="payout-npd-receipt-link">
            Чек {selfEmployed.receipt.id ?? ""} в «Мой налог»
          </a>
        ) : (
          <span className="text-slate-500">появится после выплаты</span>
        )}
      </dd>
    </dl>
  );
}
