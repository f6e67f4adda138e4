import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeliveryLog } from "@/components/partner-webhooks/delivery-log";
import { PartnerWebhooksAdmin } from "@/components/partner-webhooks/partner-webhooks-admin";
import { can, currentOperator } from "@/lib/auth/session";
import { listEndpoints } from "@/lib/payouts/partner-webhooks/endpoints";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Вебхуки партнёра" };

/** Admin: where the partner's backend hears of payouts (signed webhooks), and what it was sent. */
export default async function PartnerWebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const operator = await currentOperator();
  if (!operator || !can(operator.role, "administer")) notFound();
  const portal = await getPortal();
  const endpoints = await listEndpoints(portal.prisma);
  const requested = (await searchParams).endpoint;
  const selected = endpoints.find((endpoint) => endpoint.id === requested) ?? null;
  return (
    <section aria-labelledby="partner-webhooks-heading">
      <h1 id="partner-webhooks-heading" className="text-2xl font-semibold tracking-tight">Вебхуки партнёра</h1>
      <p className="mt-1 text-sm text-slate-500">
        Система партнёра узнаёт о выплатах без опроса: портал отправляет подписанные события (Standard Webhooks) на эти адреса и повторяет до суток,
        пока не получит ответ 2xx. Изменения записываются в журнал аудита.
      </p>
      <PartnerWebhooksAdmin endpoints={endpoints} selectedId={selected?.id ?? null} />
      {selected ? <DeliveryLog key={selected.id} endpointId={selected.id} /> : null}
    </section>
  );
}
