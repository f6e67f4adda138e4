import type { Metadata } from "next";
import { WebhookList, type VerdictFilter } from "@/components/webhooks/webhook-list";
import { listWebhookDeliveries } from "@/lib/payouts/detail";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Вебхуки" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Every webhook delivery from Bank 131 (and every forged or mis-signed one), newest first. */
export default async function WebhooksPage({ searchParams }: Props) {
  const { verdict } = await searchParams;
  const filter: VerdictFilter = verdict === "verified" || verdict === "rejected" ? verdict : "all";
  const portal = await getPortal();
  const firstPage = await listWebhookDeliveries(portal.prisma, { verdict: filter === "all" ? undefined : filter });
  return (
    <section aria-labelledby="webhooks-heading">
      <h1 id="webhooks-heading" className="text-2xl font-semibold tracking-tight">Вебхуки Банка 131</h1>
      <p className="mt-1 text-sm text-slate-500">
        Каждая доставка: подпись проверяется по сырым байтам, одинаковые тела применяются один раз.
      </p>
      <WebhookList initialFilter={filter} initialPage={firstPage} />
    </section>
  );
}
