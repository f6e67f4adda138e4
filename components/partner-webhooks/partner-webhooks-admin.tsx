"use client";

import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { apiJson } from "@/components/api-client";
import { useAdminAction } from "@/components/operators/use-admin-action";
import { formatDateTime } from "@/lib/format/time";
import { PARTNER_EVENT_TYPES, type PartnerEventType } from "@/lib/payouts/partner-event-types";
import type { WireEndpoint } from "@/lib/payouts/partner-webhooks/endpoints";
import { EVENT_TYPE_LABEL } from "./labels";

interface NewEndpointValues {
  url: string;
  description: string;
  eventTypes: PartnerEventType[];
}

const DEFAULT_TYPES: PartnerEventType[] = ["payout.awaiting_approval", "payout.paid", "payout.failed", "payout.cancelled", "payout.refunded"];

/** An admin registers the partner's webhook endpoints, pauses them, rotates their secrets, deletes them. */
export function PartnerWebhooksAdmin({ endpoints, selectedId }: { endpoints: WireEndpoint[]; selectedId: string | null }) {
  const { run, error, busy } = useAdminAction();
  const [secret, setSecret] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    formState: { isSubmitting },
  } = useForm<NewEndpointValues>({ defaultValues: { url: "", description: "", eventTypes: DEFAULT_TYPES } });

  const create = handleSubmit((values) =>
    run(async () => {
      const created = await apiJson<{ endpoint: WireEndpoint; secret: string }>("/api/admin/partner-webhooks", {
        method: "POST",
        body: { url: values.url, description: values.description, event_types: values.eventTypes },
      });
      setSecret({ url: created.endpoint.url, secret: created.secret, rotated: false });
      reset();
    }),
  );
  const setPaused = (endpoint: WireEndpoint, paused: boolean) => run(() => apiJson(`/api/admin/partner-webhooks/${endpoint.id}`, { method: "PATCH", body: { paused } }));
  const rotate = (endpoint: WireEndpoint) =>
    run(async () => {
      const rotated = await apiJson<{ secret: string }>(`/api/admin/partner-webhooks/${endpoint.id}`, { method: "POST", body: { action: "rotate_secret" } });
      setSecret({ url: endpoint.url, secret: rotated.secret, rotated: true });
    });
  const remove = (endpoint: WireEndpoint) => {
    if (!window.confirm(`Удалить адрес ${endpoint.url}? Недоставленные события для него будут потеряны.`)) return;
    void run(() => apiJson(`/api/admin/partner-webhooks/${endpoint.id}`, { method: "DELETE" }));
  };

  return (
    <div className="mt-6 space-y-8">
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}

      <section aria-labelledby="new-endpoint-heading" className="rounded-xl border border-slate-200 bg-white p-4">
        <h2 id="new-endpoint-heading" className="text-lg font-semibold">Новый адрес</h2>
        <form onSubmit={create} className="mt-3 space-y-3">
          <div className="flex flex-wrap items-end gap-3">
            <label className="grow text-sm">
              <span className="block font-medium text-slate-700">URL (https://)</span>
              <input {...register("url", { required: true })} type="url" required className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 font-mono" />
            </label>
            <label className="text-sm">
              <span className="block font-medium text-slate-700">Описание</span>
              <input {...register("description")} maxLength={200} className="mt-1 rounded-lg border border-slate-300 px-3 py-2" />
            </label>
          </div>
          <fieldset className="text-sm">
            <legend className="font-medium text-slate-700">События</legend>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
              {PARTNER_EVENT_TYPES.map((type) => (
                <label key={type} className="inline-flex items-center gap-1.5">
                  <input type="checkbox" value={type} {...register("eventTypes")} />
                  {EVENT_TYPE_LABEL[type]} <span className="font-mono text-xs text-slate-500">{type}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit" disabled={busy || isSubmitting} className="rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
            Добавить адрес
          </button>
        </form>
        {secret ? (
          <div role="status" className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm">
            <p className="font-medium">
              {secret.rotated ? "Новый секрет" : "Секрет подписи"} для {secret.url} — показывается только сейчас. Сохраните его в системе партнёра
              {secret.rotated ? "; прежний секрет ещё подписывает доставки в течение переходного периода." : "."}
            </p>
            <input readOnly aria-label="Секрет подписи" value={secret.secret} data-testid="webhook-secret" className="mt-2 w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
          </div>
        ) : null}
      </section>

      <section aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading" className="text-lg font-semibold">Адреса</h2>
        {endpoints.length === 0 ? <p className="mt-2 text-sm text-slate-500">Адресов пока нет.</p> : null}
        <ul className="mt-3 space-y-2">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id} data-testid="partner-endpoint" className={`rounded-xl border p-3 text-sm ${endpoint.id === selectedId ? "border-brand-300 bg-brand-50" : "border-slate-200 bg-white"}`}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono font-medium">{endpoint.url}</span>
                {endpoint.paused ? <span className="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-800">Приостановлен</span> : null}
                {endpoint.description ? <span className="text-slate-500">{endpoint.description}</span> : null}
              </div>
              <p className="mt-1 text-xs text-slate-500">
                {endpoint.event_types.map((type) => EVENT_TYPE_LABEL[type as PartnerEventType] ?? type).join(", ")}
                {endpoint.previous_secret_valid_until ? ` · прежний секрет действует до ${formatDateTime(endpoint.previous_secret_valid_until)} (МСК)` : ""}
              </p>
              <div className="mt-2 flex flex-wrap gap-2">
                <Link href={`/dashboard/partner-webhooks?endpoint=${endpoint.id}`} className="rounded-lg border border-slate-300 px-3 py-1 hover:bg-slate-50">
                  Журнал доставок
                </Link>
                <button type="button" disabled={busy} onClick={() => void setPaused(endpoint, !endpoint.paused)} className="rounded-lg border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-60">
                  {endpoint.paused ? "Возобновить" : "Приостановить"}
                </button>
                <button type="button" disabled={busy} onClick={() => void rotate(endpoint)} className="rounded-lg border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-60">
                  Сменить секрет
                </button>
                <button type="button" disabled={busy} onClick={() => remove(endpoint)} className="rounded-lg border border-red-300 px-3 py-1 text-red-700 hover:bg-red-50 disabled:opacity-60">
                  Удалить
                </button>
              </div>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
