import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { BatchView } from "@/components/batches/batch-view";
import { can, currentOperator } from "@/lib/auth/session";
import { formatBatchNumber } from "@/lib/format/numbers";
import { getPortal } from "@/lib/server/portal";

export const metadata: Metadata = { title: "Пакет выплат" };
export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const operator = await currentOperator();
  if (!operator) redirect(`/login?callbackUrl=/dashboard/batches/${encodeURIComponent(id)}`);
  if (!UUID.test(id)) notFound();
  const portal = await getPortal();
  const batch = await portal.prisma.payoutBatch.findUnique({ where: { id }, select: { number: true } });
  if (!batch) notFound();
  return (
    <section aria-labelledby="batch-heading" className="mx-auto max-w-5xl">
      <h1 id="batch-heading" className="mb-6 text-2xl font-semibold tracking-tight">
        Пакет {formatBatchNumber(batch.number)}
      </h1>
      <BatchView batchId={id} canApprove={can(operator.role, "approve")} canDownload={can(operator.role, "createPayout")} />
    </section>
  );
}
