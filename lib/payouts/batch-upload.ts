import { z } from "zod";

/** A bulk payout file as the dashboard sends it (JSON: the file's bytes in base64, so the encoding is detected here). */

/** 10 000 rows of a typical file are about 1.5 MB; the limit leaves room. */
export const MAX_BATCH_FILE_BYTES = 6 * 1024 * 1024;
/** The JSON body around the base64 of the largest file. */
export const MAX_BATCH_UPLOAD_BODY_BYTES = Math.ceil((MAX_BATCH_FILE_BYTES * 4) / 3) + 64 * 1024;

export const BatchFileSchema = z.object({
  fileName: z.string().trim().max(255).optional(),
  contentBase64: z.base64().max(Math.ceil((MAX_BATCH_FILE_BYTES * 4) / 3)),
});

export const BatchConfirmSchema = BatchFileSchema.extend({
  /** The total as the operator typed it ("1 234,56"). */
  typedTotal: z.string().trim().min(1).max(32),
});

export const BatchApproveSchema = z.object({ typedTotal: z.string().trim().min(1).max(32) });

export const fileBytes = (contentBase64: string): Uint8Array => new Uint8Array(Buffer.from(contentBase64, "base64"));
