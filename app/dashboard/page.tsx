import type { Metadata } from "next";
import { Suspense } from "react";
import { SessionsDashboard } from "@/components/dashboard/sessions-dashboard";
import { can, currentOperator } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Сессии выплат" };

export default async function SessionsPage() {
  // The layout already sent signed-out visitors to /login.
  const operator = await currentOperator();
  const role = operator?.role ?? "viewer";
  return (
    // useSearchParams (filters live in the URL) needs a Suspense boundary.
    <Suspense fallback={<h1 className="text-2xl font-semibold tracking-tight">Сессии выплат</h1>}>
      <SessionsDashboard canRunReconciliation={can(role, "administer")} viewerId={operator?.id ?? null} />
    </Suspense>
  );
}
