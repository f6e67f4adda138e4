import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackPath } from "@/lib/auth/callback";
import { currentOperator } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Вход" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await currentOperator()) redirect(callbackUrl);
  return (
    <AuthCard title="Вход для операторов">
      <p className="mt-1 text-sm text-slate-500">Партнёрский портал выплат Банка 131</p>
      <LoginForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
