import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { currentOperator } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Вход" };
export const dynamic = "force-dynamic";

function safeCallback(value: string | string[] | undefined): string {
  const url = Array.isArray(value) ? value[0] : value;
  // Only same-site paths: an open redirect after sign-in is a phishing gift.
  if (url && url.startsWith("/") && !url.startsWith("//")) return url;
  try {
    if (url) {
      const parsed = new URL(url);
      if (parsed.pathname.startsWith("/dashboard")) return parsed.pathname + parsed.search;
    }
  } catch {
    // fall through
  }
  return "/dashboard";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentOperator()) redirect(callbackUrl);
  return (
    <AuthCard title="Вход для операторов">
      <p className="mt-1 text-sm text-slate-500">Партнёрский портал выплат Банка 131</p>
      <LoginForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
