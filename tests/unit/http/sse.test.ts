import { afterEach, describe, expect, it, vi } from "vitest";
import type { EventBus } from "@/lib/events/bus";

vi.mock("server-only", () => ({}));
const { eventStream, openStreamCount } = await import("@/lib/http/sse");

const bus: EventBus = { publish: async () => undefined, subscribe: () => () => undefined, state: () => "local", close: async () => undefined };

/** A stream request whose client can hang up. */
function viewer() {
  const hangUp = new AbortController();
  return { request: new Request("http://127.0.0.1/api/events", { signal: hangUp.signal }), hangUp: () => hangUp.abort() };
}

async function readAll(response: Response): Promise<string> {
  return new Response(response.body).text();
}

afterEach(() => vi.useRealTimers());

describe("eventStream caps and session end", () => {
  it("refuses one stream over the holder's cap with 429 too_many_streams; a closed stream frees its slot", () => {
    const cap = { holder: "operator:cap-test", limit: 2 };
    const first = viewer();
    const second = viewer();
    eventStream(first.request, bus, { cap });
    eventStream(second.request, bus, { cap });
    expect(openStreamCount(cap.holder)).toBe(2);
    expect(() => eventStream(viewer().request, bus, { cap })).toThrow(expect.objectContaining({ status: 429, code: "too_many_streams", params: { limit: 2 } }));
    // Another holder is not affected.
    eventStream(viewer().request, bus, { cap: { holder: "operator:someone-else", limit: 2 } });

    first.hangUp();
    expect(openStreamCount(cap.holder)).toBe(1);
    eventStream(viewer().request, bus, { cap });
    expect(openStreamCount(cap.holder)).toBe(2);
  });

  it("ends the stream with `session_ended` when the session expires, and frees the slot", async () => {
    vi.useFakeTimers();
    const cap = { holder: "operator:expiring", limit: 1 };
    const response = eventStream(viewer().request, bus, { cap, endsAt: Date.now() + 60_000 });
    const text = readAll(response);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(openStreamCount(cap.holder)).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await text).toMatch(/event: session_ended\n/);
    expect(openStreamCount(cap.holder)).toBe(0);
  });

  it("a session already over ends the stream at once", async () => {
    const response = eventStream(viewer().request, bus, { endsAt: Date.now() - 1 });
    const text = await readAll(response);
    expect(text).toMatch(/^retry: 2000\n\nevent: hello\n.*\n\nevent: session_ended\n/s);
  });
});
