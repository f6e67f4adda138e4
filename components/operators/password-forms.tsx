"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { apiJson } from "@/components/api-client";
import { useHydrated } from "@/components/ui/use-hydrated";
import { errorText } from "./error-text";

const MIN_LENGTH = 12; // lib/auth/operators PASSWORD_MIN_LENGTH

const input = "mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-base shadow-sm";

function useSubmit(send: (form: FormData) => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const hydrated = useHydrated();
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (form.get("password") !== form.get("confirm")) {
      setError("Пароли не совпадают.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      await send(form);
      setDone(true);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setPending(false);
    }
  }
  return { error, pending, done, onSubmit, canSubmit: hydrated && !pending };
}

function NewPasswordFields() {
  return (
    <>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">Новый пароль</label>
        <input id="password" name="password" type="password" autoComplete="new-password" minLength={MIN_LENGTH} required className={input} />
        <p className="mt-1 text-xs text-slate-500">Не короче {MIN_LENGTH} символов.</p>
      </div>
      <div>
        <label htmlFor="confirm" className="block text-sm font-medium text-slate-700">Повторите пароль</label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" minLength={MIN_LENGTH} required className={input} />
      </div>
    </>
  );
}

function Feedback({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
      {error}
    </p>
  ) : null;
}

const button = "w-full rounded-lg bg-brand-600 px-4 py-2.5 font-medium text-white shadow-sm hover:bg-brand-700 disabled:opacity-60";

export function SetPasswordForm({ token }: { token: string }) {
  const { error, pending, done, onSubmit, canSubmit } = useSubmit(async (form) => {
    await apiJson("/api/set-password", { method: "POST", body: { token, password: String(form.get("password") ?? "") } });
  });
  if (done) {
    return (
      <p role="status" className="mt-6 text-sm">
        Пароль задан. <Link href="/login" className="font-medium text-brand-700 underline">Войти</Link>
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4">
      <NewPasswordFields />
      <Feedback error={error} />
      <button type="submit" disabled={!canSubmit} className={button}>
        {pending ? "Сохраняем…" : "Задать пароль"}
      </button>
    </form>
  );
}

export function ChangePasswordForm() {
  const { error, pending, done, onSubmit, canSubmit } = useSubmit(async (form) => {
    await apiJson("/api/account/password", {
      method: "POST",
      body: { currentPassword: String(form.get("currentPassword") ?? ""), newPassword: String(form.get("password") ?? "") },
    });
  });
  if (done) return <p role="status" className="mt-6 text-sm">Пароль изменён.</p>;
  return (
    <form onSubmit={onSubmit} className="mt-6 max-w-sm space-y-4">
      <div>
        <label htmlFor="currentPassword" className="block text-sm font-medium text-slate-700">Текущий пароль</label>
        <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required className={input} />
      </div>
      <NewPasswordFields />
      <Feedback error={error} />
      <button type="submit" disabled={!canSubmit} className={button}>
        {pending ? "Сохраняем…" : "Сменить пароль"}
      </button>
    </form>
  );
}
