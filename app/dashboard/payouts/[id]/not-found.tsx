import Link from "next/link";

export default function PayoutNotFound() {
  return (
    <section className="rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center" data-testid="payout-not-found">
      <h1 className="text-xl font-semibold tracking-tight">Выплата не найдена</h1>
      <p className="mt-1 text-sm text-slate-500">Проверьте ссылку: такой заявки нет или у неё другой номер.</p>
      <Link href="/dashboard" className="mt-4 inline-block text-sm font-medium text-brand-700 hover:underline">
        ← Все выплаты
      </Link>
    </section>
  );
}
