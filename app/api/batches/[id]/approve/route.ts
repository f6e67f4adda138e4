import { z } from "zod";
import { route } from "@/lib/http/route";
import { approveBatch } from "@/lib/payouts/batches";
import { BatchApproveSchema } from "@/lib/payouts/batch-upload";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** Approves every payout of the batch awaiting approval (typed total); each one under the single-payout rules. */
export const POST = route({ auth: "approve", params, body: BatchApproveSchema }, async ({ params, body, operator }) => {
  const portal = await getPortal();
  return approveBatch(portal, { batchId: params.id, typedTotal: body.typedTotal, actor: { type: "operator", id: operator.id } });
});
