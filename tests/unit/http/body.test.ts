import { describe, expect, it } from "vitest";
import { readBodyLimited } from "@/lib/http/body";

const LIMIT = 1024;

/** A chunked upload (no Content-Length) that counts how much of it the server pulled. */
function chunkedUpload(chunkBytes: number, chunks: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close();
      seen.pulled += 1;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  const request = new Request("http://127.0.0.1/upload", { method: "POST", body, duplex: "half" } as RequestInit);
  return { request, seen };
}

describe("readBodyLimited", () => {
  it("returns the exact bytes of a body within the limit, chunked or not", async () => {
    const { request } = chunkedUpload(256, 4);
    expect((await readBodyLimited(request, LIMIT)).equals(Buffer.alloc(LIMIT, 0x61))).toBe(true);
    const plain = new Request("http://127.0.0.1/upload", { method: "POST", body: "{\"a\":1}" });
    expect((await readBodyLimited(plain, LIMIT)).toString()).toBe('{"a":1}');
  });

  it("stops reading a chunked body at the limit and cancels the rest (413 payload_too_large {limit})", async () => {
    const { request, seen } = chunkedUpload(300, 1000); // 300 kB offered
    await expect(readBodyLimited(request, LIMIT)).rejects.toMatchObject({ status: 413, code: "payload_too_large", params: { limit: LIMIT } });
    expect(seen.cancelled).toBe(true);
    // 4 chunks pass the limit; the stream may have one more queued, never the other 995.
    expect(seen.pulled).toBeLessThanOrEqual(6);
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const { request, seen } = chunkedUpload(10, 1);
    const declared = new Request(request, { headers: { "content-length": String(LIMIT + 1) } });
    await expect(readBodyLimited(declared, LIMIT)).rejects.toMatchObject({ status: 413, code: "payload_too_large" });
    expect(seen.pulled).toBeLessThanOrEqual(1);
  });

  it("an empty body is zero bytes", async () => {
    expect((await readBodyLimited(new Request("http://127.0.0.1/upload", { method: "POST" }), LIMIT)).byteLength).toBe(0);
  });
});
