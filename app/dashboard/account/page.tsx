import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/operators/password-forms";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Смена пароля" };

export default function AccountPage() {
  return (
    <section aria-labelledby="account-heading">
      <h1 id="account-heading" className="text-2xl font-semibold tracking-tight">Смена пароля</h1>
      <ChangePasswordForm />
    </section>
  );
}
