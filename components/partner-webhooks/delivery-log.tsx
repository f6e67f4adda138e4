"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { apiJson } from "@/components/api-client";
import { errorText } from "@/components/operators/error-text";
import { formatDateTimeSeconds } from "@/lib/format/time";
import type { PartnerEventType } from "@/lib/payouts/partner-event-types";
import type { WireDelivery, WireEndpoint } from "@/lib/payouts/partner-webhooks/endpoints";
import { DELIVERY_STATUS_LABEL, EVENT_TYPE_LABEL } from "./labels";

const REFRESH_MS = 2_000;

/** One endpoint's deliveries, newest first, refreshed every two seconds; each can be sent again. */
export function DeliveryLog({ endpointId }: { endpointId: string }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const queryKey = ["partner-webhooks", endpointId];
  const query = useQuery({
    queryKey,
    queryFn: ({ signal }) => apiJson<{ endpoint: WireEndpoint; deliveries: WireDelivery[] }>(`/api/admin/partner-webhooks/${endpointId}`, { signal }),
    refetchInterval: REFRESH_MS,
  });
  const resend = useMutation({
    mutationFn: (deliveryId: string) => apiJson(`/api/admin/partner-webhooks/${endpointId}`, { method: "POST", body: { action: "resend", delivery_id: deliveryId } }),
    onMutate: () => setError(null),
    onError: (caught) => setError(errorText(caught)),
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });

  if (query.isError) return <p role="alert" className="mt-6 text-sm text-red-700">{errorText(query.error)}</p>;
  if (!query.data) return <p className="mt-6 text-sm text-slate-500">Загрузка…</p>;
  const { endpoint, deliveries } = query.data;
  return (
    <section aria-labelledby="delivery-log-heading" className="mt-8">
      <h2 id="delivery-log-heading" className="text-lg font-semibold">
        Журнал доставок: <span className="font-mono">{endpoint.url}</span>
      </h2>
      <p className="text-xs text-slate-500">Последние {deliveries.length} доставок; обновляется сам. Ответ получателя — первые 1 КиБ.</p>
      {error ? (
        <p role="alert" className="mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <table className="mt-3 w-full border-collapse text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500">
          <tr>
            <th className="py-2 pr-3 font-medium">Событие</th>
            <th className="py-2 pr-3 font-medium">Статус</th>
            <th className="py-2 pr-3 font-medium">Попытки</th>
            <th className="py-2 pr-3 font-medium">Создано (МСК)</th>
            <th className="py-2 font-medium"><span className="sr-only">Действия</span></th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id} data-testid="delivery-row" data-status={delivery.status} data-event-type={delivery.event_type} className="border-b border-slate-100 align-top">
              <td className="py-2 pr-3">
                <span className="block font-medium">{EVENT_TYPE_LABEL[delivery.event_type as PartnerEventType] ?? delivery.event_type}</span>
                <span className="block font-mono text-xs text-slate-500">{delivery.webhook_id}</span>
                {delivery.payout_request_id ? (
                  <Link href={`/dashboard/payouts/${delivery.payout_request_id}`} className="text-xs text-brand-700 hover:underline">
                    Выплата
                  </Link>
                ) : null}
              </td>
              <td className="py-2 pr-3">
                {DELIVERY_STATUS_LABEL[delivery.status] ?? delivery.status}
                {delivery.status === "pending" && delivery.attempts > 0 ? (
                  <span className="block text-xs text-slate-500">следующая попытка {formatDateTimeSeconds(delivery.next_attempt_at)}</span>
                ) : null}
              </td>
              <td className="py-2 pr-3">
                <ol className="space-y-1">
                  {delivery.attempt_log.map((attempt) => (
                    <li key={attempt.attempt} className="text-xs">
                      №{attempt.attempt} · {formatDateTimeSeconds(attempt.started_at)} · {attempt.status_code !== null ? `HTTP ${attempt.status_code}` : (attempt.error ?? "—")} · {attempt.duration_ms} мс
                      {attempt.response_excerpt ? <code className="mt-0.5 block max-w-md truncate rounded bg-slate-50 px-1 text-slate-600">{attempt.response_excerpt}</code> : null}
                    </li>
                  ))}
                </ol>
              </td>
              <td className="py-2 pr-3">{formatDateTimeSeconds(delivery.created_at)}</td>
              <td className="py-2 text-right">
                <button
                  type="button"
                  disabled={resend.isPending}
                  onClick={() => resend.mutate(delivery.id)}
                  className="rounded-lg border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-60"
                >
                  Отправить снова
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
