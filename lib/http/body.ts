import { payloadTooLarge } from "./errors";

/**
 * Reads a request body with a running byte count and stops at `limit`: a declared Content-Length
 * over the limit is refused before reading, and a chunked (or lying) body is cancelled as soon as
 * it passes the limit, so no caller ever holds more than `limit` bytes of someone's upload.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw payloadTooLarge(limit);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Stop the upload: the rest is never read.
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The body as UTF-8 text, within `limit` bytes. */
export async function readTextLimited(request: Request, limit: number): Promise<string> {
  return (await readBodyLimited(request, limit)).toString("utf8");
}
