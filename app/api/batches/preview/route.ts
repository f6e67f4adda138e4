import { route } from "@/lib/http/route";
import { previewBatchFile } from "@/lib/payouts/batches";
import { BatchFileSchema, fileBytes, MAX_BATCH_UPLOAD_BODY_BYTES } from "@/lib/payouts/batch-upload";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/** Checks a bulk payout file: per-row errors, the count and total of the valid rows. Creates nothing. */
export const POST = route({ auth: "createPayout", body: BatchFileSchema, maxBodyBytes: MAX_BATCH_UPLOAD_BODY_BYTES }, async ({ body }) => {
  const portal = await getPortal();
  const { preview } = await previewBatchFile(portal, { bytes: fileBytes(body.contentBase64), fileName: body.fileName ?? null });
  return preview;
});
