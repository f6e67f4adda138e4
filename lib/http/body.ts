import type { IncomingMessage } from "node:http";
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

/**
 * The same for a Node request (a Pages API route): a declared length over the limit is refused
 * before reading; past the limit the stream is paused and left alone, not destroyed, so the 413 can
 * still be written — answer it with `Connection: close` (see `bodyLeftUnread`) and the socket closes
 * after the answer instead of Node reading the rest of the upload to keep the connection.
 */
export function readStreamLimited(stream: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(stream.headers["content-length"] ?? "0");
  if (declared > limit) return Promise.reject(payloadTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        stop();
        stream.pause();
        reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
  });
}

/** Whether a request's body was not read to its end (an answer to it should close the connection). */
export const bodyLeftUnread = (stream: IncomingMessage): boolean => !stream.complete;
