import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { PayoutDetailView } from "@/components/payout-detail/payout-detail-view";
import { can, currentOperator } from "@/lib/auth/session";
import { formatRequestNumber } from "@/lib/format/numbers";
import { getPayoutDetail } from "@/lib/payouts/detail";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

const isUuid = (value: string) => z.uuid().safeParse(value).success;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  if (!isUuid(id)) return { title: "Выплата не найдена" };
  const portal = await getPortal();
  const request = await portal.prisma.payoutRequest.findUnique({ where: { id }, select: { number: true } });
  return { title: request ? `Выплата ${formatRequestNumber(request.number)}` : "Выплата не найдена" };
}

/** One payout for operators: details, bank session, decision buttons and the full timeline. */
export default async function PayoutDetailPage({ params }: Props) {
  const { id } = await params;
  const operator = await currentOperator();
  if (!operator) redirect(`/login?callbackUrl=${encodeURIComponent(`/dashboard/payouts/${id}`)}`);
  if (!isUuid(id)) notFound();
  const portal = await getPortal();
  const detail = await getPayoutDetail(portal.prisma, id, portal.settings);
  if (!detail) notFound();
  return <PayoutDetailView initial={detail} canDecide={can(operator.role, "approve")} viewer={{ id: operator.id, isAdmin: can(operator.role, "administer") }} />;
}
