import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CreatePayoutForm } from "@/components/payouts/create-payout-form";
import { can, currentOperator } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Новая выплата" };
export const dynamic = "force-dynamic";

export default async function NewPayoutPage() {
  const operator = await currentOperator();
  if (!operator) redirect("/login?callbackUrl=/dashboard/payouts/new");
  const settings = env().payouts;
  return (
    <section aria-labelledby="new-payout-heading" className="mx-auto max-w-3xl">
      <h1 id="new-payout-heading" className="text-2xl font-semibold tracking-tight">
        Новая выплата
      </h1>
      {can(operator.role, "createPayout") ? (
        <>
          <p className="mt-1 mb-6 text-sm text-slate-600">
            Создайте запрос — получатель получит одноразовую ссылку, а для сохранённой карты или рекуррентного токена выплата начнётся сразу.
          </p>
          <CreatePayoutForm maxKopecks={settings.maxKopecks} linkTtlHours={settings.linkTtlHours} />
        </>
      ) : (
        <div data-testid="no-permission" className="mt-6 rounded-2xl border border-slate-200 bg-white px-6 py-10 text-center shadow-sm">
          <p className="font-medium">Создавать выплаты могут согласующие и администраторы</p>
          <p className="mt-2 text-sm text-slate-600">
            Ваша роль позволяет смотреть выплаты, но не создавать их. Если вам нужен такой доступ, обратитесь к администратору портала.
          </p>
          <Link href="/dashboard" className="mt-5 inline-block rounded-lg border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">
            К сессиям выплат
          </Link>
        </div>
      )}
    </section>
  );
}
