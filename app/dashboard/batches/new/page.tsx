import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { BatchUpload } from "@/components/batches/batch-upload";
import { can, currentOperator } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Пакетная выплата" };
export const dynamic = "force-dynamic";

export default async function NewBatchPage() {
  const operator = await currentOperator();
  if (!operator) redirect("/login?callbackUrl=/dashboard/batches/new");
  return (
    <section aria-labelledby="new-batch-heading" className="mx-auto max-w-4xl">
      <h1 id="new-batch-heading" className="text-2xl font-semibold tracking-tight">
        Пакетная выплата из файла
      </h1>
      {can(operator.role, "createPayout") ? (
        <>
          <p className="mt-1 mb-6 text-sm text-slate-600">
            Загрузите CSV — портал проверит каждую строку так же, как одиночную выплату. Ничего не создаётся, пока вы не введёте итоговую сумму.
          </p>
          <BatchUpload />
        </>
      ) : (
        <p data-testid="no-permission" className="mt-6 rounded-2xl border border-slate-200 bg-white px-6 py-10 text-center text-sm shadow-sm">
          Создавать выплаты могут согласующие и администраторы.
        </p>
      )}
    </section>
  );
}
