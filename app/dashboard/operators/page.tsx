import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OperatorsAdmin } from "@/components/operators/operators-admin";
import { getSignInThrottle } from "@/lib/auth/options";
import { activeLockouts, listOperators } from "@/lib/auth/operators";
import { can, currentOperator } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Операторы" };

/** Admin: invite operators, change roles, disable access, lift sign-in lockouts. */
export default async function OperatorsPage() {
  const operator = await currentOperator();
  if (!operator || !can(operator.role, "manageOperators")) notFound();
  const portal = await getPortal();
  const [operators, lockouts] = await Promise.all([listOperators(portal.prisma), activeLockouts(portal.prisma, await getSignInThrottle(), env().signIn.lockoutSeconds)]);
  return (
    <section aria-labelledby="operators-page-heading">
      <h1 id="operators-page-heading" className="text-2xl font-semibold tracking-tight">Операторы и доступ</h1>
      <p className="mt-1 text-sm text-slate-500">Изменения роли и отключение действуют со следующего запроса оператора; каждое записывается в журнал аудита.</p>
      <OperatorsAdmin
        selfId={operator.id}
        lockouts={lockouts}
        operators={operators.map((item) => ({
          id: item.id,
          email: item.email,
          name: item.name,
          role: item.role,
          disabled: item.disabledAt !== null,
          pending: item.pending,
          lastLoginAt: item.lastLoginAt?.toISOString() ?? null,
          limits: item.limits,
        }))}
      />
    </section>
  );
}
