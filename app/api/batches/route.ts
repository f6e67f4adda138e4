import { route } from "@/lib/http/route";
import { logger } from "@/lib/logger";
import { createBatchFromFile } from "@/lib/payouts/batches";
import { BatchConfirmSchema, fileBytes, MAX_BATCH_UPLOAD_BODY_BYTES } from "@/lib/payouts/batch-upload";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Confirms a bulk payout file by its typed total; the requests are created in the background. */
export const POST = route({ auth: "createPayout", body: BatchConfirmSchema, maxBodyBytes: MAX_BATCH_UPLOAD_BODY_BYTES }, async ({ body, operator }) => {
  const portal = await getPortal();
  const batch = await createBatchFromFile(
    portal,
    { bytes: fileBytes(body.contentBase64), fileName: body.fileName ?? null, typedTotal: body.typedTotal },
    { type: "operator", id: operator.id },
  );
  portal.batches.runNow().catch((error: unknown) => logger.error({ err: error }, "batch pass failed"));
  return Response.json({ id: batch.id, number: batch.number }, { status: 201 });
});
