import type { IncomingMessage, ServerResponse } from "node:http";
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
 * before reading; past the limit the request is paused, so TCP stops the sender at once and it can
 * read the 413 — then `closeUnreadRequest` frees the connection. (Closing at once raced the sender's
 * next write: the reset could reach it instead of the answer. Discarding the rest let a fast sender
 * finish a 32 MiB upload before it noticed.)
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

/** How long a sender whose body was left unread has to read the answer before its connection is closed. */
const UNREAD_REQUEST_GRACE_MS = 5_000;

/**
 * A request whose body was not read to its end (refused as too large, or before reading) holds its
 * connection, which can serve nothing else: close it a few seconds after the answer went out.
 */
export function closeUnreadRequest(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete) return;
  response.once("finish", () => {
    const timer = setTimeout(() => request.socket?.destroy(), UNREAD_REQUEST_GRACE_MS);
    timer.unref();
    request.socket?.once("close", () => clearTimeout(timer));
  });
}
