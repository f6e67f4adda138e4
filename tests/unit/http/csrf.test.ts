import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

vi.mock("server-only", () => ({}));
// route() asks next-auth for the operator; outside a Next request a fixed approver stands in.
const signedIn = vi.fn();
vi.mock("@/lib/auth/session", () => ({
  currentOperator: () => signedIn(),
  can: (role: string, permission: string) => permission !== "approve" || role !== "viewer",
}));

const { assertSameOriginJson } = await import("@/lib/http/csrf");
const { route } = await import("@/lib/http/route");
const { env } = await import("@/lib/env");

const PORTAL = new URL(env().auth.url).origin;
const APPROVER = { id: "op-1", email: "a@portal.test", name: "A", role: "approver" };

function post(headers: Record<string, string>, body = "{}", method = "POST"): Request {
  return new Request(`${PORTAL}/api/payouts/p1/confirm`, { method, headers, body: method === "GET" ? undefined : body });
}

describe("assertSameOriginJson", () => {
  const origins = new Set(["https://payouts.example.com"]);
  const json = { "content-type": "application/json" };

  it("accepts the portal's origin, or Sec-Fetch-Site: same-origin without an Origin", () => {
    expect(() => assertSameOriginJson(new Headers({ ...json, origin: "https://payouts.example.com" }), origins)).not.toThrow();
    expect(() => assertSameOriginJson(new Headers({ "content-type": "application/json; charset=utf-8", "sec-fetch-site": "same-origin" }), origins)).not.toThrow();
  });

  it.each([
    ["a foreign origin", { ...json, origin: "https://evil.example" }],
    ["the portal's host on another scheme", { ...json, origin: "http://payouts.example.com" }],
    ["an opaque origin", { ...json, origin: "null" }],
    ["a foreign Origin even with Sec-Fetch-Site: same-origin", { ...json, origin: "https://evil.example", "sec-fetch-site": "same-origin" }],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", { ...json, "sec-fetch-site": "same-site" }],
    ["neither Origin nor Sec-Fetch-Site", { ...json }],
  ])("refuses %s with 403 csrf (reason origin)", (_name, headers) => {
    expect(() => assertSameOriginJson(new Headers(headers), origins)).toThrow(expect.objectContaining({ status: 403, code: "csrf", params: { reason: "origin" } }));
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""])("refuses a same-origin body declared %j", (type) => {
    const headers = new Headers({ origin: "https://payouts.example.com", ...(type ? { "content-type": type } : {}) });
    expect(() => assertSameOriginJson(headers, origins)).toThrow(expect.objectContaining({ status: 403, code: "csrf", params: { reason: "content_type" } }));
  });
});

describe("route(): cookie-authenticated state changes", () => {
  const handler = vi.fn(async () => ({ ok: true }));
  const confirm = route({ auth: "approve" }, handler);

  beforeEach(() => {
    handler.mockClear();
    signedIn.mockResolvedValue(APPROVER);
  });

  it("the issue's attack — evil Origin, text/plain, a valid approver session — is 403 csrf and never reaches the handler", async () => {
    const response = await confirm(post({ origin: "https://evil.example", "content-type": "text/plain" }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "csrf", params: { reason: "origin" } } });
    expect(handler).not.toHaveBeenCalled();
    expect(signedIn).not.toHaveBeenCalled();
  });

  it("refuses text/plain from the portal's own origin too", async () => {
    const response = await confirm(post({ origin: PORTAL, "content-type": "text/plain" }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "csrf", params: { reason: "content_type" } } });
  });

  it("runs a same-origin JSON request", async () => {
    const response = await confirm(post({ origin: PORTAL, "content-type": "application/json" }));
    expect(response.status).toBe(200);
    expect(handler).toHaveBeenCalledOnce();
  });

  it("checks DELETE like POST, and leaves reads alone", async () => {
    const remove = route({ auth: "approve" }, handler);
    expect((await remove(post({ origin: "https://evil.example", "content-type": "application/json" }, "{}", "DELETE"))).status).toBe(403);
    const read = route({ auth: "view" }, handler);
    expect((await read(post({ origin: "https://evil.example" }, "", "GET"))).status).toBe(200);
  });

  it("link-authenticated (public) state changes get the same check; allowCrossSite (API key) skips it", async () => {
    const start = route({ auth: "public" }, handler);
    expect((await start(post({ origin: "https://evil.example", "content-type": "application/json" }))).status).toBe(403);
    const partner = route({ auth: "public", allowCrossSite: true }, handler);
    expect((await partner(post({ "content-type": "text/plain" }))).status).toBe(200);
  });

  it("a body schema still parses after the check", async () => {
    const revoke = route({ auth: "approve", body: z.object({ reason: z.string().min(3) }) }, async ({ body }) => body);
    const response = await revoke(post({ origin: PORTAL, "content-type": "application/json" }, JSON.stringify({ reason: "no" })));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_request", field: "reason" } });
  });
});
