"use client";

import { useState, type FormEvent } from "react";
import { apiJson } from "@/components/api-client";
import type { OperatorRole } from "@/lib/generated/prisma/enums";
import type { ApprovalLimits } from "@/lib/payouts/schemas";
import { ApprovalLimitsForm } from "./approval-limits-form";
import { ROLE_LABEL } from "@/lib/format/roles";
import { useAdminAction } from "./use-admin-action";

export interface OperatorItem {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  disabled: boolean;
  pending: boolean;
  lastLoginAt: string | null;
  limits: ApprovalLimits;
}

export interface LockoutItem {
  scope: "account" | "address";
  subject: string;
  retryAfterSeconds: number;
}

const ROLES = Object.keys(ROLE_LABEL) as OperatorRole[];

const dateTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString("ru-RU", { timeZone: "Europe/Moscow", dateStyle: "short", timeStyle: "short" }) : "—");

export function OperatorsAdmin({ operators, lockouts, selfId }: { operators: OperatorItem[]; lockouts: LockoutItem[]; selfId: string }) {
  const { run, error, busy } = useAdminAction();
  const [invite, setInvite] = useState<{ email: string; url: string; expiresAt: string } | null>(null);

  async function onInvite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), role: String(form.get("role") ?? "viewer") };
    const target = event.currentTarget;
    await run(async () => {
      const created = await apiJson<{ link: { url: string; expiresAt: string } }>("/api/admin/operators", { method: "POST", body });
      setInvite({ email: body.email.trim().toLowerCase(), url: created.link.url, expiresAt: created.link.expiresAt });
      target.reset();
    });
  }

  const change = (id: string, body: { role: OperatorRole } | { disabled: boolean }) => run(() => apiJson(`/api/admin/operators/${id}`, { method: "POST", body }));
  const lift = (lockout: LockoutItem) => run(() => apiJson("/api/admin/lockouts", { method: "POST", body: { scope: lockout.scope, subject: lockout.subject } }));

  return (
    <div className="mt-6 space-y-8">
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}

      <section aria-labelledby="invite-heading" className="rounded-xl border border-slate-200 bg-white p-4">
        <h2 id="invite-heading" className="text-lg font-semibold">Пригласить оператора</h2>
        <form onSubmit={onInvite} className="mt-3 flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="block font-medium text-slate-700">Email</span>
            <input name="email" type="email" required className="mt-1 rounded-lg border border-slate-300 px-3 py-2" />
          </label>
          <label className="text-sm">
            <span className="block font-medium text-slate-700">Имя</span>
            <input name="name" required maxLength={120} className="mt-1 rounded-lg border border-slate-300 px-3 py-2" />
          </label>
          <label className="text-sm">
            <span className="block font-medium text-slate-700">Роль</span>
            <select name="role" defaultValue="viewer" className="mt-1 rounded-lg border border-slate-300 px-3 py-2">
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABEL[role]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy} className="rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
            Пригласить
          </button>
        </form>
        {invite ? (
          <div role="status" className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm">
            <p className="font-medium">
              Ссылка для {invite.email} — покажется только сейчас. Передайте её оператору; она одноразовая и действует до {dateTime(invite.expiresAt)} (МСК).
            </p>
            <input readOnly aria-label="Ссылка для задания пароля" value={invite.url} data-testid="invite-link" className="mt-2 w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
          </div>
        ) : null}
      </section>

      <section aria-labelledby="operators-heading">
        <h2 id="operators-heading" className="text-lg font-semibold">Операторы</h2>
        <table className="mt-3 w-full border-collapse text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-500">
            <tr>
              <th className="py-2 pr-3 font-medium">Оператор</th>
              <th className="py-2 pr-3 font-medium">Роль</th>
              <th className="py-2 pr-3 font-medium">Состояние</th>
              <th className="py-2 pr-3 font-medium">Последний вход (МСК)</th>
              <th className="py-2 font-medium"><span className="sr-only">Действия</span></th>
            </tr>
          </thead>
          <tbody>
            {operators.map((operator) => (
              <tr key={operator.id} className="border-b border-slate-100" data-testid="operator-row" data-email={operator.email}>
                <td className="py-2 pr-3">
                  <span className="block font-medium">{operator.name}</span>
                  <span className="block text-xs text-slate-500">{operator.email}</span>
                </td>
                <td className="py-2 pr-3">
                  <select
                    aria-label={`Роль: ${operator.email}`}
                    value={operator.role}
                    disabled={busy}
                    onChange={(event) => void change(operator.id, { role: event.target.value as OperatorRole })}
                    className="rounded-lg border border-slate-300 px-2 py-1"
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {ROLE_LABEL[role]}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="py-2 pr-3">{operator.disabled ? "Отключён" : operator.pending ? "Приглашён, пароль не задан" : "Активен"}</td>
                <td className="py-2 pr-3">{dateTime(operator.lastLoginAt)}</td>
                <td className="py-2 text-right">
                  {operator.id === selfId ? null : (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => void change(operator.id, { disabled: !operator.disabled })}
                      className="rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50 disabled:opacity-60"
                    >
                      {operator.disabled ? `Включить ${operator.email}` : `Отключить ${operator.email}`}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="limits-heading">
        <h2 id="limits-heading" className="text-lg font-semibold">Лимиты одобрений</h2>
        <p className="mt-1 text-sm text-slate-500">
          Сколько согласующий может одобрить за сутки (по московскому времени) и на одну выплату. Пустое поле — без лимита. Создатель выплаты не может её одобрить;
          выплаты от порога двух одобрений требуют двух разных согласующих.
        </p>
        <ul className="mt-3 space-y-4">
          {operators
            .filter((operator) => operator.role !== "viewer")
            .map((operator) => (
              <li key={operator.id} className="rounded-xl border border-slate-200 bg-white p-3">
                <p className="mb-2 text-sm font-medium">
                  {operator.name} <span className="font-normal text-slate-500">{operator.email}</span>
                </p>
                <ApprovalLimitsForm operatorId={operator.id} email={operator.email} limits={operator.limits} />
              </li>
            ))}
        </ul>
      </section>

      <section aria-labelledby="lockouts-heading">
        <h2 id="lockouts-heading" className="text-lg font-semibold">Блокировки входа</h2>
        {lockouts.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">Сейчас никто не заблокирован.</p>
        ) : (
          <ul className="mt-2 space-y-2 text-sm">
            {lockouts.map((lockout) => (
              <li key={`${lockout.scope}:${lockout.subject}`} className="flex items-center gap-3" data-testid="lockout">
                <span>
                  {lockout.scope === "account" ? "Учётная запись" : "Адрес"} <b>{lockout.subject}</b> — ещё {Math.ceil(lockout.retryAfterSeconds / 60)} мин
                </span>
                <button type="button" disabled={busy} onClick={() => void lift(lockout)} className="rounded-lg border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50 disabled:opacity-60">
                  Снять блокировку {lockout.subject}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
