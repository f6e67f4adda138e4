import { z } from "zod";
import { PARTNER_EVENT_TYPES } from "../payouts/partner-event-types";
import { CreateEndpointSchema, UpdateEndpointSchema } from "../payouts/partner-webhooks/endpoints";
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
  WireSelfEmployedSchema,
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

const ENDPOINT_PROPERTIES = {
  id: { type: "string", format: "uuid" },
  url: { type: "string" },
  description: { type: "string" },
  event_types: { type: "array", items: { type: "string", enum: [...PARTNER_EVENT_TYPES] } },
  paused: { type: "boolean" },
  previous_secret_valid_until: { type: ["string", "null"], format: "date-time", description: "Set during a rotation's overlap: until then the previous secret signs too." },
  created_at: { type: "string", format: "date-time" },
  updated_at: { type: "string", format: "date-time" },
};

const WEBHOOK_SCHEMAS: Record<string, JsonObject> = {
  WebhookEndpoint: { type: "object", properties: ENDPOINT_PROPERTIES, required: Object.keys(ENDPOINT_PROPERTIES) },
  WebhookEndpointWithSecret: {
    type: "object",
    properties: { endpoint: ref("WebhookEndpoint"), secret: { type: "string", description: "`whsec_` + base64; shown only in this answer." } },
    required: ["endpoint", "secret"],
  },
  WebhookEvent: {
    type: "object",
    properties: {
      type: { type: "string", enum: [...PARTNER_EVENT_TYPES] },
      timestamp: { type: "string", format: "date-time", description: "When the event happened." },
      data: { description: "For payout.* events: the payout as `GET /payout-requests/{id}` returns it at that moment.", anyOf: [ref("PayoutRequest"), { type: "object" }] },
    },
    required: ["type", "timestamp", "data"],
  },
};

export function buildOpenApiDocument(options: { serverUrl: string }): JsonObject {
  const schemas = {
    ...schemasOf(
      [
        ["SavedInstrument", WireSavedInstrumentSchema],
        ["SelfEmployed", WireSelfEmployedSchema],
        ["CreatePayoutRequest", WireCreatePayoutRequestSchema],
        ["CreateWebhookEndpoint", CreateEndpointSchema],
        ["UpdateWebhookEndpoint", UpdateEndpointSchema],
        ["CreatePayoutBatch", WireCreatePayoutBatchSchema],
      ],
      "input",
    ),
    ...WEBHOOK_SCHEMAS,
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
        "",
        "**Webhooks.** Register endpoints (`/webhook-endpoints`) to hear of payouts without polling: each event is POSTed as `{type, timestamp, data}` (`data` = the payout exactly as `GET /payout-requests/{id}` returns it at that moment) and signed by the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`; two `v1,` entries during a secret rotation's overlap). Only a 2xx answer counts; others and timeouts are retried with exponential back-off for 24 hours. A payout's events arrive in order; a retry carries the same `webhook-id` (deduplicate on it).",
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
            "422": errorResponse("This Idempotency-Key was used with a different body; or (`npd_annual_limit`) the self-employed INN's income this Moscow year would pass 2 400 000 ₽ (params in kopecks).", {
              code: "idempotency_key_reused",
              message: "This Idempotency-Key was already used with a different request body; use a new key for a new request",
              field: IDEMPOTENCY_HEADER,
            }),
            "429": rateLimited,
            "500": errorResponse("Unexpected failure; the request may or may not have taken effect. Retry with the same Idempotency-Key, or GET the payout request before creating a new one."),
          },
        },
      },
      "/webhook-endpoints": {
        get: {
          operationId: "listWebhookEndpoints",
          summary: "List webhook endpoints",
          responses: { "200": { description: "The endpoints (never their secrets).", headers: noStore, content: { "application/json": { schema: { type: "object", properties: { endpoints: { type: "array", items: ref("WebhookEndpoint") } } } } } }, "401": unauthorized, "429": rateLimited },
        },
        post: {
          operationId: "createWebhookEndpoint",
          summary: "Register a webhook endpoint",
          description: "`url` must be https. The answer carries the endpoint's signing secret (`whsec_…`) — the only time it is shown.",
          requestBody: { required: true, content: { "application/json": { schema: ref("CreateWebhookEndpoint"), example: { url: "https://partner.example/webhooks/payouts", event_types: ["payout.paid", "payout.failed"] } } } },
          responses: {
            "201": { description: "Registered.", headers: noStore, content: { "application/json": { schema: ref("WebhookEndpointWithSecret") } } },
            "400": errorResponse("Invalid body, or a URL the portal will not send to (`webhook_url_refused`).", { code: "webhook_url_refused", message: "url: must be an https:// URL", field: "url" }),
            "401": unauthorized,
            "429": rateLimited,
          },
        },
      },
      "/webhook-endpoints/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        get: { operationId: "getWebhookEndpoint", summary: "Get a webhook endpoint", responses: { "200": { description: "The endpoint.", headers: noStore, content: { "application/json": { schema: { type: "object", properties: { endpoint: ref("WebhookEndpoint") } } } } }, "401": unauthorized, "404": errorResponse("No such endpoint."), "429": rateLimited } },
        patch: {
          operationId: "updateWebhookEndpoint",
          summary: "Change, pause or resume a webhook endpoint",
          description: "A paused endpoint keeps its events queued; they are sent, in order, once it is resumed.",
          requestBody: { required: true, content: { "application/json": { schema: ref("UpdateWebhookEndpoint"), example: { paused: true } } } },
          responses: { "200": { description: "The endpoint.", headers: noStore, content: { "application/json": { schema: { type: "object", properties: { endpoint: ref("WebhookEndpoint") } } } } }, "400": errorResponse("Invalid body."), "401": unauthorized, "404": errorResponse("No such endpoint."), "429": rateLimited },
        },
        delete: { operationId: "deleteWebhookEndpoint", summary: "Delete a webhook endpoint (undelivered events are dropped)", responses: { "200": { description: "Deleted.", headers: noStore }, "401": unauthorized, "404": errorResponse("No such endpoint."), "429": rateLimited } },
      },
      "/webhook-endpoints/{id}/rotate-secret": {
        post: {
          operationId: "rotateWebhookSecret",
          summary: "Rotate the signing secret",
          description: "Returns the new secret (only here). The previous secret keeps signing until `previous_secret_valid_until`: deliveries carry both signatures meanwhile.",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: { "200": { description: "Rotated.", headers: noStore, content: { "application/json": { schema: ref("WebhookEndpointWithSecret") } } }, "401": unauthorized, "404": errorResponse("No such endpoint."), "429": rateLimited },
        },
      },
      "/webhook-endpoints/{id}/deliveries": {
        get: {
          operationId: "listWebhookDeliveries",
          summary: "The endpoint's delivery log (newest 100)",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
            { name: "status", in: "query", required: false, schema: { type: "string", enum: ["pending", "delivered", "failed"] } },
          ],
          responses: { "200": { description: "Deliveries with their attempts (status code, ≤ 1 KiB of your answer, duration).", headers: noStore, content: { "application/json": { schema: { type: "object" } } } }, "401": unauthorized, "404": errorResponse("No such endpoint."), "429": rateLimited },
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
    webhooks: Object.fromEntries(
      PARTNER_EVENT_TYPES.map((type) => [
        type,
        {
          post: {
            summary: `Event ${type}`,
            parameters: ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({ name, in: "header", required: true, schema: { type: "string" } })),
            requestBody: { required: true, content: { "application/json": { schema: ref("WebhookEvent") } } },
            responses: { "2XX": { description: "Received. Anything else (or no answer within the timeout) is retried." } },
          },
        },
      ]),
    ),
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
