import { z } from "zod";
import { IDEMPOTENCY_HEADER } from "./idempotency";
import {
  WireCreatedSchema,
  WireCreatePayoutBatchSchema,
  WireCreatePayoutRequestSchema,
  WirePayoutBatchSchema,
  WireErrorSchema,
  WireInstrumentSchema,
  WirePayoutRequestSchema,
  WireSavedInstrumentSchema,
  WireStatusSchema,
} from "./wire";

/**
 * The partner API's OpenAPI 3.1 document. Component schemas are generated from the zod schemas in
 * ./wire (request bodies as accepted, responses as produced), so the document follows the code.
 */

type JsonObject = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function schemasOf(entries: Array<[string, z.ZodType]>, io: "input" | "output"): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  const out: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonObject;
    // Responses may gain fields later: clients must not reject unknown ones.
    out[id] = io === "output" ? (dropClosedObjects(rest) as JsonObject) : rest;
  }
  return out;
}

function dropClosedObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropClosedObjects);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, inner]) => !(key === "additionalProperties" && inner === false))
      .map(([key, inner]) => [key, dropClosedObjects(inner)]),
  );
}

const errorResponse = (description: string, example?: { code: string; message: string; field?: string; params?: Record<string, number> }) => ({
  description,
  content: { "application/json": { schema: ref("Error"), ...(example ? { example: { error: example } } : {}) } },
});

export function buildOpenApiDocument(options: { serverUrl: string }): JsonObject {
  const schemas = {
    ...schemasOf(
      [
        ["SavedInstrument", WireSavedInstrumentSchema],
        ["CreatePayoutRequest", WireCreatePayoutRequestSchema],
        ["CreatePayoutBatch", WireCreatePayoutBatchSchema],
      ],
      "input",
    ),
    ...schemasOf(
      [
        ["PayoutStatus", WireStatusSchema],
        ["Instrument", WireInstrumentSchema],
        ["PayoutRequestCreated", WireCreatedSchema],
        ["PayoutRequest", WirePayoutRequestSchema],
        ["PayoutBatch", WirePayoutBatchSchema],
        ["Error", WireErrorSchema],
      ],
      "output",
    ),
  };

  const unauthorized = errorResponse("Missing, malformed, unknown or revoked API key.", { code: "unauthorized", message: "Missing or invalid API key" });
  const rateLimited = errorResponse(
    "Too many requests: this API key's rate, or too many wrong keys from this address. Wait `Retry-After` seconds (also in `params.retryAfterSeconds`).",
    { code: "rate_limited", message: "Too many requests; try again in 42 s", params: { retryAfterSeconds: 42 } },
  );
  const noStore = { "Cache-Control": { description: "Always `no-store`.", schema: { type: "string" } } };

  return {
    openapi: "3.1.0",
    info: {
      title: "Payout portal — partner API",
      version: "1.0.0",
      description: [
        "Create payout requests from your own backend and follow their status. Payouts go through Bank 131.",
        "",
        "**Authentication.** Every call sends an API key: `Authorization: Bearer pk_live_…` (or `X-API-Key: pk_live_…`). Keys are issued by the portal's administrators and shown once.",
        "",
        `**Idempotency.** Send \`${IDEMPOTENCY_HEADER}\` (1–255 printable ASCII characters, e.g. a UUID) with every create. Retrying with the same key and the *same body bytes* returns the stored answer — the same payout request and the same recipient link — with \`Idempotent-Replayed: true\`; nothing is created twice. The same key with a different body is refused (422 \`idempotency_key_reused\`); a retry while the first call is still running gets 409 \`idempotency_request_in_progress\` (retry a little later). Requests refused by validation (400) are not remembered. Keys are scoped to your API key.`,
        "",
        "**Errors** are JSON `{ \"error\": { \"code\", \"message\", \"field\"?, \"params\"? } }`; `field` names the snake_case body field at fault, `params` carries machine-readable details (e.g. `bankCode`). Bank 131 refusals answer 502 `bank_rejected`; no readable answer from the bank answers 504 `bank_unavailable` (outcome unknown).",
        "",
        "**Money** is integer kopecks (`amount_kopecks: 150050` = 1 500,50 ₽).",
      ].join("\n"),
    },
    servers: [{ url: options.serverUrl }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    paths: {
      "/payout-requests": {
        post: {
          operationId: "createPayoutRequest",
          summary: "Create a payout request",
          description:
            "Creates a payout request and its single-use recipient link (returned only here). For `card_saved` and `recurrent` the payout starts at once and `status` shows how far it got.",
          parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: ref("CreatePayoutRequest"),
                example: { amount_kopecks: 150050, recipient_name: "Иванов Иван Иванович", purpose: "Выплата по договору № 17", method: "card_widget", reference: "order-8812" },
              },
            },
          },
          responses: {
            "201": {
              description: "Created (or, with `Idempotent-Replayed: true`, the stored answer to an earlier call with the same Idempotency-Key).",
              headers: {
                ...noStore,
                "Idempotent-Replayed": { description: "`true` when this is a stored answer to an earlier call.", schema: { type: "string", enum: ["true"] } },
              },
              content: { "application/json": { schema: ref("PayoutRequestCreated") } },
            },
            "400": errorResponse("Invalid JSON, an unknown field, a field that breaks a rule, or a malformed Idempotency-Key.", {
              code: "invalid_request",
              message: "recipient_name: Enter the surname and given name (and patronymic, if any) as in the passport.",
              field: "recipient_name",
            }),
            "401": unauthorized,
            "409": errorResponse("A call with this Idempotency-Key is still running.", {
              code: "idempotency_request_in_progress",
              message: "A request with this Idempotency-Key is still being processed; retry in a moment",
              field: IDEMPOTENCY_HEADER,
            }),
            "413": errorResponse("Body larger than 256 KiB."),
            "422": errorResponse("This Idempotency-Key was used with a different body.", {
              code: "idempotency_key_reused",
              message: "This Idempotency-Key was already used with a different request body; use a new key for a new request",
              field: IDEMPOTENCY_HEADER,
            }),
            "429": rateLimited,
            "500": errorResponse("Unexpected failure; the request may or may not have taken effect. Retry with the same Idempotency-Key, or GET the payout request before creating a new one."),
          },
        },
      },
      "/payout-requests/{id}": {
        get: {
          operationId: "getPayoutRequest",
          summary: "Get a payout request",
          description: "Any API key of the portal may read any of its payout requests, including those operators created in the dashboard.",
          parameters: [{ name: "id", in: "path", required: true, description: "The `id` from the create answer.", schema: { type: "string", format: "uuid" } }],
          responses: {
            "200": { description: "The payout request.", headers: noStore, content: { "application/json": { schema: ref("PayoutRequest") } } },
            "401": unauthorized,
            "404": errorResponse("No payout request with this id.", { code: "not_found", message: "Payout request not found" }),
            "429": rateLimited,
          },
        },
      },
      "/payout-batches": {
        post: {
          operationId: "createPayoutBatch",
          summary: "Create a payout batch",
          description:
            "Up to 10 000 payout requests in one call. Every row is validated as a single payout request (plus duplicate `reference`s within the rows or against existing requests); one bad row refuses the batch and nothing is created. The requests are created in the background: poll `GET /payout-batches/{id}` for their ids, statuses and recipient links.",
          parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: ref("CreatePayoutBatch"),
                example: { rows: [{ amount_kopecks: 150050, recipient_name: "Иванов Иван Иванович", purpose: "Выплата по договору № 17", method: "card_widget", reference: "order-8812" }] },
              },
            },
          },
          responses: {
            "202": {
              description: "Accepted: the batch and its rows are stored; payout requests follow (or, with `Idempotent-Replayed: true`, the stored answer to an earlier call with the same Idempotency-Key).",
              headers: {
                ...noStore,
                "Idempotent-Replayed": { description: "`true` when this is a stored answer to an earlier call.", schema: { type: "string", enum: ["true"] } },
              },
              content: { "application/json": { schema: ref("PayoutBatch") } },
            },
            "400": errorResponse("Invalid JSON, no rows, more than 10 000, or a row that breaks a rule (`field` is `rows[i].<field>`).", {
              code: "invalid_request",
              message: "rows[3].amount_kopecks: Invalid input: expected int, received string",
              field: "rows[3].amount_kopecks",
            }),
            "401": unauthorized,
            "409": errorResponse("A call with this Idempotency-Key is still running."),
            "413": errorResponse("Body larger than 8 MiB."),
            "422": errorResponse("This Idempotency-Key was used with a different body."),
            "429": rateLimited,
          },
        },
      },
      "/payout-batches/{id}": {
        get: {
          operationId: "getPayoutBatch",
          summary: "Get a payout batch",
          description: "Progress (`counts`), and for each row its payout request, status and — while the link can be used — the recipient link. Reading links is recorded in the portal's audit log.",
          parameters: [{ name: "id", in: "path", required: true, description: "The `id` from the create answer.", schema: { type: "string", format: "uuid" } }],
          responses: {
            "200": { description: "The batch.", headers: noStore, content: { "application/json": { schema: ref("PayoutBatch") } } },
            "401": unauthorized,
            "404": errorResponse("No payout batch with this id.", { code: "not_found", message: "Payout batch not found" }),
            "429": rateLimited,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "pk_live_<prefix>_<secret>", description: "API key as a bearer token." },
        apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key", description: "The same API key in a header of its own." },
      },
      parameters: {
        IdempotencyKey: {
          name: IDEMPOTENCY_HEADER,
          in: "header",
          required: false,
          description: "Makes retries safe: the same key + the same body returns the stored answer. Recommended on every create.",
          schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7E]+$" },
          example: "4f1c2d1e-8f0a-4b7e-9a51-0c7f3e2b9d11",
        },
      },
      schemas,
    },
  };
}
