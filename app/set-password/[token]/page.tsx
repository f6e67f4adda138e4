import type { Metadata } from "next";
import { SetPasswordForm } from "@/components/operators/password-forms";
import { AuthCard } from "@/components/auth/auth-card";
import { describeInvite } from "@/lib/auth/operators";
import { getPrisma } from "@/lib/db";
import { isPayoutError } from "@/lib/payouts/errors";
import { errorMessage } from "@/lib/i18n/errors";

export const metadata: Metadata = { title: "Пароль для входа", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Public: an invited operator sets their password with the single-use link. */
export default async function SetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invite: { email: string; name: string } | null = null;
  let refusal: string | null = null;
  try {
    invite = await describeInvite(await getPrisma(), token);
  } catch (error) {
    if (!isPayoutError(error)) throw error;
    refusal = errorMessage({ code: error.code.startsWith("invite_") ? error.code : "invite_invalid" });
  }
  return (
    <AuthCard title="Пароль для входа">
      {invite ? (
        <>
          <p className="mt-1 text-sm text-slate-500">
            {invite.name}, задайте пароль для {invite.email}. Ссылка сработает один раз.
          </p>
          <SetPasswordForm token={token} />
        </>
      ) : (
        <p role="alert" className="mt-4 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {refusal}
        </p>
      )}
    </AuthCard>
  );
}
