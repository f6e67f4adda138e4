import { recipientDictionary, type RecipientLocale } from "@/lib/i18n/recipient";
import { formatKopecks } from "@/lib/money";
import type { RecipientView } from "@/lib/payouts/views";

/** Who pays, how much, what for: the top of the card, the same in every state. */
export function PayoutSummary({ view, locale }: { view: RecipientView; locale: RecipientLocale }) {
  const t = recipientDictionary(locale);
  return (
    <section aria-labelledby="payout-summary-title" className="border-b border-brand-100 bg-brand-50 px-4 pt-5 pb-6 sm:px-8 sm:pt-7">
      <h1 id="payout-summary-title" className="text-sm font-medium text-brand-700" data-testid="payer-line">
        {t.summary.sends(view.payerName)}
      </h1>
      <p className="mt-1 text-[2rem] leading-tight font-semibold tracking-tight text-slate-900 tabular-nums sm:text-4xl" data-testid="payout-amount">
        <span className="sr-only">{t.summary.amount}: </span>
        {formatKopecks(view.amountKopecks)}
      </p>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        <dt className="text-slate-600">{t.summary.recipient}</dt>
        <dd className="min-w-0 font-medium break-words text-slate-900" data-testid="recipient-name">
          {view.recipientName}
        </dd>
        <dt className="text-slate-600">{t.summary.purpose}</dt>
        <dd className="min-w-0 break-words text-slate-800" data-testid="payout-purpose">
          {view.purpose}
        </dd>
      </dl>
    </section>
  );
}
