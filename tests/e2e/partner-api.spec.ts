import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEV_OPERATORS } from "../../lib/auth/seed";
import { E2E_PORTAL_URL } from "./urls";
import { sameOrigin } from "./helpers/same-origin";

const RECIPIENT_LINK = new RegExp(`^${E2E_PORTAL_URL.replace(/[.]/g, "\\.")}/p/[A-Za-z0-9_-]{43}$`);

const admin = DEV_OPERATORS.find((operator) => operator.role === "admin")!;
const approver = DEV_OPERATORS.find((operator) => operator.role === "approver")!;

/** Signs an operator in through next-auth's credentials endpoint; the context then carries the session cookie. */
async function signIn(request: APIRequestContext, who: { email: string; password: string }) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: who.email, password: who.password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
  const session = (await (await request.get("/api/auth/session")).json()) as { operator?: { email: string } };
  expect(session.operator?.email).toBe(who.email);
}

const API = "/api/v1/payout-requests";

test.describe("partner API", () => {
  let key: string;
  let prefix: string;

  test.beforeAll(async ({ playwright }) => {
    const operator = await playwright.request.newContext({ baseURL: E2E_PORTAL_URL });
    try {
      // Only admins issue keys.
      await signIn(operator, approver);
      expect((await operator.post("/api/admin/api-keys", sameOrigin({ name: "nope" }))).status()).toBe(403);
    } finally {
      await operator.dispose();
    }
    const adminContext = await playwright.request.newContext({ baseURL: E2E_PORTAL_URL });
    try {
      await signIn(adminContext, admin);
      const invalid = await adminContext.post("/api/admin/api-keys", sameOrigin({ name: "" }));
      expect(invalid.status()).toBe(400);
      expect((await invalid.json()).error.field).toBe("name");

      const created = await adminContext.post("/api/admin/api-keys", sameOrigin({ name: "e2e backend" }));
      expect(created.status()).toBe(201);
      expect(created.headers()["cache-control"]).toBe("no-store");
      const body = (await created.json()) as { key: string; prefix: string; name: string };
      expect(body.key).toMatch(/^pk_live_[0-9a-f]{12}_[0-9a-f]{48}$/);
      expect(body.name).toBe("e2e backend");
      key = body.key;
      prefix = body.prefix;

      const listed = (await (await adminContext.get("/api/admin/api-keys")).json()) as { api_keys: Array<Record<string, unknown>> };
      expect(listed.api_keys.find((entry) => entry.prefix === prefix)).toMatchObject({ name: "e2e backend", revoked_at: null });
      expect(JSON.stringify(listed)).not.toContain(key.slice(-48));
    } finally {
      await adminContext.dispose();
    }
  });

  const body = (overrides: Record<string, unknown> = {}) => ({
    amount_kopecks: 250_000,
    recipient_name: "Smirnova Olga",
    purpose: "Выплата по договору № 42",
    method: "card_widget",
    reference: "crm-42",
    ...overrides,
  });

  test("a repeated Idempotency-Key returns the same request and link; another body with it is refused", async ({ request }) => {
    const idempotencyKey = randomUUID();
    const raw = JSON.stringify(body());
    const headers = { authorization: `Bearer ${key}`, "idempotency-key": idempotencyKey, "content-type": "application/json" };

    const first = await request.post(API, { headers, data: raw });
    expect(first.status()).toBe(201);
    expect(first.headers()["cache-control"]).toBe("no-store");
    expect(first.headers()["idempotent-replayed"]).toBeUndefined();
    const created = await first.json();
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      number: expect.stringMatching(/^PR-\d{6}$/),
      status: "awaiting_recipient",
      amount_kopecks: 250_000,
      currency: "rub",
      recipient_link: expect.stringMatching(RECIPIENT_LINK),
    });
    expect(Date.parse(created.link_expires_at)).toBeGreaterThan(Date.now());
    expect(Date.parse(created.created_at)).toBeLessThanOrEqual(Date.now());

    const again = await request.post(API, { headers, data: raw });
    expect(again.status()).toBe(201);
    expect(again.headers()["idempotent-replayed"]).toBe("true");
    expect(await again.json()).toEqual(created);

    const reused = await request.post(API, { headers, data: JSON.stringify(body({ amount_kopecks: 1 })) });
    expect(reused.status()).toBe(422);
    expect(await reused.json()).toEqual({ error: expect.objectContaining({ code: "idempotency_key_reused", field: "Idempotency-Key" }) });

    // Exactly one request exists, and it reads back (X-API-Key works too).
    const read = await request.get(`${API}/${created.id}`, { headers: { "x-api-key": key } });
    expect(read.status()).toBe(200);
    expect(await read.json()).toEqual({
      id: created.id,
      number: created.number,
      status: "awaiting_recipient",
      amount_kopecks: 250_000,
      currency: "rub",
      recipient_name: "Smirnova Olga",
      reference: "crm-42",
      method: "card_widget",
      source_account: "regular",
      instrument: null,
      failure: null,
      self_employed: null,
      created_at: created.created_at,
      updated_at: expect.any(String),
    });
    // The link works for the recipient.
    const view = await request.get(`/api/p/${created.recipient_link.split("/p/")[1]}`);
    expect(await view.json()).toMatchObject({ id: created.id, linkState: "active" });
  });

  test("concurrent duplicates create one request", async ({ request }) => {
    const headers = { authorization: `Bearer ${key}`, "idempotency-key": randomUUID(), "content-type": "application/json" };
    const raw = JSON.stringify(body({ reference: "crm-race" }));
    const responses = await Promise.all(Array.from({ length: 5 }, () => request.post(API, { headers, data: raw })));
    const statuses = responses.map((response) => response.status());
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const ids = new Set<string>();
    for (const response of responses) if (response.status() === 201) ids.add((await response.json()).id);
    expect(ids.size).toBe(1);
    for (const response of responses) {
      if (response.status() === 409) expect((await response.json()).error.code).toBe("idempotency_request_in_progress");
    }
  });

  test("missing, wrong and revoked keys get 401 with a challenge", async ({ request, playwright }) => {
    const missing = await request.post(API, { data: body() });
    expect(missing.status()).toBe(401);
    expect(missing.headers()["www-authenticate"]).toMatch(/^Bearer/);
    expect((await missing.json()).error.code).toBe("unauthorized");

    const wrong = await request.post(API, { headers: { authorization: `Bearer ${key.slice(0, -4)}0000` }, data: body() });
    expect(wrong.status()).toBe(401);
    expect((await request.get(`${API}/${randomUUID()}`, { headers: { "x-api-key": "pk_live_nope" } })).status()).toBe(401);

    // A second key works until an admin revokes it.
    const adminContext = await playwright.request.newContext({ baseURL: E2E_PORTAL_URL });
    try {
      await signIn(adminContext, admin);
      const second = (await (await adminContext.post("/api/admin/api-keys", sameOrigin({ name: "to revoke" }))).json()) as { key: string; prefix: string };
      expect((await request.post(API, { headers: { "x-api-key": second.key }, data: body({ reference: "before-revoke" }) })).status()).toBe(201);
      const revoked = await adminContext.delete(`/api/admin/api-keys?prefix=${second.prefix}`, sameOrigin());
      expect(revoked.status()).toBe(200);
      expect((await revoked.json()).revoked_at).toEqual(expect.any(String));
      expect((await request.post(API, { headers: { "x-api-key": second.key }, data: body({ reference: "after-revoke" }) })).status()).toBe(401);
      // The first key is untouched.
      expect((await request.get(`${API}/${randomUUID()}`, { headers: { "x-api-key": key } })).status()).toBe(404);
      expect(prefix).not.toBe(second.prefix);
    } finally {
      await adminContext.dispose();
    }
  });

  test("an invalid body is a 400 naming the snake_case field", async ({ request }) => {
    const headers = { authorization: `Bearer ${key}` };
    const cases: Array<[Record<string, unknown>, string]> = [
      [body({ amount_kopecks: "2500" }), "amount_kopecks"],
      [body({ recipient_name: "Olga" }), "recipient_name"],
      [body({ method: "card_saved" }), "saved_instrument"],
      [body({ source_account: "escrow" }), "beneficiary_inn"],
      [{ ...body(), amount: 5 }, "amount"],
    ];
    for (const [data, field] of cases) {
      const response = await request.post(API, { headers, data });
      expect(response.status(), JSON.stringify(data)).toBe(400);
      const error = (await response.json()).error;
      expect(error).toMatchObject({ code: "invalid_request", field });
      expect(error.message).toMatch(new RegExp(`^${field.replace(".", "\\.")}: `));
    }
    const notJson = await request.post(API, { headers: { ...headers, "content-type": "application/json" }, data: "{oops" });
    expect(notJson.status()).toBe(400);
    const badKey = await request.post(API, { headers: { ...headers, "idempotency-key": "x".repeat(256) }, data: body() });
    expect(badKey.status()).toBe(400);
    expect((await badKey.json()).error.field).toBe("Idempotency-Key");
  });

  test("an unknown id is a 404", async ({ request }) => {
    const response = await request.get(`${API}/${randomUUID()}`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status()).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
  });

  test("openapi.json describes the operations, the key schemes and the Idempotency-Key header", async ({ request }) => {
    const response = await request.get("/api/v1/openapi.json");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/application\/json/);
    const doc = JSON.parse(await response.text());
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0].url).toBe(`${E2E_PORTAL_URL}/api/v1`);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/payout-batches",
      "/payout-batches/{id}",
      "/payout-requests",
      "/payout-requests/{id}",
      "/webhook-endpoints",
      "/webhook-endpoints/{id}",
      "/webhook-endpoints/{id}/deliveries",
      "/webhook-endpoints/{id}/rotate-secret",
    ]);
    expect(doc.paths["/payout-requests"].post.operationId).toBe("createPayoutRequest");
    expect(doc.paths["/payout-requests/{id}"].get.operationId).toBe("getPayoutRequest");
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["apiKeyHeader", "bearerAuth"]);
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ in: "header", name: "Idempotency-Key" });
    expect(doc.components.schemas.CreatePayoutRequest.properties.amount_kopecks.type).toBe("integer");
  });
});
