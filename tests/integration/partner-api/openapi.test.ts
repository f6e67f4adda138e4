import { describe, expect, it } from "vitest";
import { PARTNER_EVENT_TYPES } from "@/lib/payouts/partner-event-types";
import { CreateEndpointSchema } from "@/lib/payouts/partner-webhooks/endpoints";
import { buildOpenApiDocument } from "@/lib/partner-api/openapi";
import { FIELD_MAP, parseCreateBody } from "@/lib/partner-api/wire";

type Json = Record<string, unknown>;

function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((inner) => refsOf(inner, found));
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$ref" && typeof inner === "string") found.push(inner);
      else refsOf(inner, found);
    }
  }
  return found;
}

function resolve(doc: Json, ref: string): unknown {
  expect(ref.startsWith("#/")).toBe(true);
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
}

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument({ serverUrl: "https://portal.example/api/v1" });

  it("is OpenAPI 3.1 JSON with both operations, auth schemes and the Idempotency-Key header", () => {
    const roundTrip = JSON.parse(JSON.stringify(doc)) as Json;
    expect(roundTrip).toEqual(doc);
    expect(doc.openapi).toBe("3.1.0");
    const paths = doc.paths as Record<string, Record<string, Json>>;
    expect(Object.keys(paths).sort()).toEqual([
      "/payout-batches",
      "/payout-batches/{id}",
      "/payout-requests",
      "/payout-requests/{id}",
      "/webhook-endpoints",
      "/webhook-endpoints/{id}",
      "/webhook-endpoints/{id}/deliveries",
      "/webhook-endpoints/{id}/rotate-secret",
    ]);
    expect(Object.keys(paths["/payout-batches"]!)).toEqual(["post"]);
    expect(Object.keys(paths["/payout-batches/{id}"]!)).toEqual(["get"]);
    expect(Object.keys(paths["/payout-requests"]!)).toEqual(["post"]);
    expect(Object.keys(paths["/payout-requests/{id}"]!)).toEqual(["get"]);
    const post = paths["/payout-requests"]!.post!;
    expect(Object.keys(post.responses as Json)).toEqual(expect.arrayContaining(["201", "400", "401", "409", "422"]));
    const components = doc.components as Record<string, Record<string, Json>>;
    expect(components.securitySchemes!.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(components.securitySchemes!.apiKeyHeader).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(components.parameters!.IdempotencyKey).toMatchObject({ in: "header", name: "Idempotency-Key", schema: { maxLength: 255 } });
  });

  it("resolves every $ref and keeps JSON Schema metadata out of components", () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(resolve(doc, ref), ref).toBeDefined();
    for (const schema of Object.values((doc.components as Record<string, Record<string, Json>>).schemas!)) {
      expect(schema.$schema).toBeUndefined();
      expect(schema.$id).toBeUndefined();
    }
  });

  it("describes exactly the body fields the API accepts, generated from the shared schema", () => {
    const schemas = (doc.components as Record<string, Record<string, Json>>).schemas!;
    const body = schemas.CreatePayoutRequest as { properties: Json; required: string[]; additionalProperties: boolean };
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(FIELD_MAP).sort());
    expect(body.required.sort()).toEqual(["amount_kopecks", "method", "purpose", "recipient_name"]);
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.method).toMatchObject({ enum: ["card_widget", "bank_account", "card_saved", "recurrent", "sbp"] });
    expect(body.properties.sbp_phone).toMatchObject({ type: "string", description: expect.stringContaining("Method sbp only") });
    expect(body.properties.purpose).toMatchObject({ minLength: 3, maxLength: 210 });
    // Responses stay open for fields added later.
    expect(JSON.stringify(schemas.PayoutRequest)).not.toContain('"additionalProperties":false');
    expect(Object.keys((schemas.PayoutRequest as { properties: Json }).properties)).toEqual([
      "id",
      "number",
      "status",
      "amount_kopecks",
      "currency",
      "recipient_name",
      "reference",
      "method",
      "source_account",
      "instrument",
      "failure",
      "created_at",
      "updated_at",
      "self_employed",
    ]);
  });

  it("has a request example the API itself accepts", () => {
    const example = ((doc.paths as Json)["/payout-requests"] as { post: { requestBody: { content: { "application/json": { example: unknown } } } } }).post.requestBody
      .content["application/json"].example;
    expect(() => parseCreateBody(example)).not.toThrow();
  });

  it("describes the webhook endpoints API and every event a partner can receive", () => {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    expect(Object.keys(paths["/webhook-endpoints/{id}"]!).sort()).toEqual(["delete", "get", "parameters", "patch"]);
    const example = ((paths["/webhook-endpoints"]!.post!.requestBody as Json).content as Record<string, Json>)["application/json"]!.example;
    expect(CreateEndpointSchema.safeParse(example).success).toBe(true);
    expect(Object.keys(doc.webhooks as Json).sort()).toEqual([...PARTNER_EVENT_TYPES].sort());
  });
});
