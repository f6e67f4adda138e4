import { z } from "zod";
import { PAYOUT_STATUSES } from "../payouts/state-machine";
import {
  CreatePayoutRequestSchema,
  PAYOUT_METHODS,
  SavedInstrumentSchema,
  SELF_EMPLOYED_MAX_SERVICES,
  SelfEmployedSchema,
  SelfEmployedServiceSchema,
  SOURCE_ACCOUNTS,
  type CreatePayoutRequest,
} from "../payouts/schemas";
import { badRequest, type HttpError } from "../http/errors";

/**
 * The partner API's wire format (snake_case JSON) and its mapping onto the domain's
 * `CreatePayoutRequestSchema`, which stays the one place the rules live: a body is renamed field by
 * field, parsed with that schema, and any issue is reported under the snake_case name the partner sent.
 * The zod schemas below describe the wire format for the OpenAPI document (built from the same field
 * schemas, so types, limits and enums cannot drift).
 */

export const FIELD_MAP = {
  amount_kopecks: "amountKopecks",
  currency: "currency",
  recipient_name: "recipientName",
  recipient_email: "recipientEmail",
  reference: "reference",
  purpose: "purpose",
  method: "method",
  source_account: "sourceAccount",
  beneficiary_inn: "beneficiaryInn",
  beneficiary_name: "beneficiaryName",
  saved_instrument: "savedInstrument",
  sbp_phone: "sbpPhone",
  self_employed: "selfEmployed",
} as const satisfies Record<string, keyof typeof CreatePayoutRequestSchema.shape>;

export type WireField = keyof typeof FIELD_MAP;

const INSTRUMENT_FIELD_MAP = { kind: "kind", number_hash: "numberHash", token: "token" } as const;
const SELF_EMPLOYED_FIELDS = ["inn", "services"] as const;
/** `self_employed.services[].amount` (kopecks) is the domain's `amountKopecks`. */
const SERVICE_FIELD_MAP = { name: "name", amount: "amountKopecks", quantity: "quantity" } as const;
const SERVICE_TO_WIRE: Record<string, string> = Object.fromEntries(Object.entries(SERVICE_FIELD_MAP).map(([wire, domain]) => [domain, wire]));

const TO_WIRE: Record<string, string> = {
  ...Object.fromEntries(Object.entries(FIELD_MAP).map(([wire, domain]) => [domain, wire])),
};
const INSTRUMENT_TO_WIRE: Record<string, string> = Object.fromEntries(Object.entries(INSTRUMENT_FIELD_MAP).map(([wire, domain]) => [domain, wire]));

/** A domain path (`["savedInstrument", "numberHash"]`) as the partner wrote it (`saved_instrument.number_hash`). */
export function wireFieldOf(path: ReadonlyArray<PropertyKey>): string | undefined {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path.map(String);
  const parts = [TO_WIRE[head!] ?? head!];
  if (head === "savedInstrument") parts.push(...rest.map((part) => INSTRUMENT_TO_WIRE[part] ?? part));
  else if (head === "selfEmployed") parts.push(...rest.map((part, index) => (index === 2 ? (SERVICE_TO_WIRE[part] ?? part) : part)));
  else parts.push(...rest);
  return parts.join(".");
}

// ---------------------------------------------------------------------------------------------------------------
// Request body

const CYRILLIC = /[А-Яа-яЁё]/u;

/**
 * The partner-facing sentence for an issue. The shared schema speaks Russian for the operator UI in
 * places; checks from lib/validation carry their English text in `params.en`.
 */
export function englishIssueMessage(issue: z.core.$ZodIssue): string {
  const params = (issue as { params?: { en?: unknown } }).params;
  if (typeof params?.en === "string") return params.en;
  if (!CYRILLIC.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "int" || issue.expected === "number" ? "must be an integer" : `must be a ${issue.expected}`;
    case "too_small":
      return issue.inclusive === false ? `must be greater than ${String(issue.minimum)}` : `must be at least ${String(issue.minimum)}`;
    case "too_big":
      return issue.inclusive === false ? `must be less than ${String(issue.maximum)}` : `must be at most ${String(issue.maximum)}`;
    default:
      return "is invalid";
  }
}

function issueError(issue: z.core.$ZodIssue | undefined, input: Record<string, unknown>): HttpError {
  if (!issue) return badRequest("Invalid request body");
  const field = wireFieldOf(issue.path);
  const missing = issue.code !== "custom" && issue.path.length === 1 && input[String(issue.path[0])] === undefined;
  const message = missing ? "is required" : englishIssueMessage(issue);
  return badRequest(field ? `${field}: ${message}` : message, field);
}

function renameInstrument(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const renamed: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const domain = INSTRUMENT_FIELD_MAP[key as keyof typeof INSTRUMENT_FIELD_MAP];
    if (!domain) throw badRequest(`saved_instrument.${key}: is not a known field`, `saved_instrument.${key}`);
    renamed[domain] = inner;
  }
  return renamed;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** `self_employed` → the domain's `selfEmployed`; unknown keys are refused by name (a typo must not drop a field). */
function renameSelfEmployed(value: unknown): unknown {
  if (!isObject(value)) return value;
  for (const key of Object.keys(value)) {
    if (!(SELF_EMPLOYED_FIELDS as readonly string[]).includes(key)) throw badRequest(`self_employed.${key}: is not a known field`, `self_employed.${key}`);
  }
  const services = Array.isArray(value.services)
    ? value.services.map((service: unknown, index) => {
        if (!isObject(service)) return service;
        const renamed: Record<string, unknown> = {};
        for (const [key, inner] of Object.entries(service)) {
          const domain = SERVICE_FIELD_MAP[key as keyof typeof SERVICE_FIELD_MAP];
          if (!domain) throw badRequest(`self_employed.services.${index}.${key}: is not a known field`, `self_employed.services.${index}.${key}`);
          renamed[domain] = inner;
        }
        return renamed;
      })
    : value.services;
  return { ...value, services };
}

/**
 * A parsed JSON body → the domain input, or a 400 HttpError naming the first bad snake_case field.
 * Unknown fields are refused (a typo such as `amount` must not silently drop the amount).
 */
export function parseCreateBody(body: unknown): CreatePayoutRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Body must be a JSON object");
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const domain = FIELD_MAP[key as WireField];
    if (!domain) throw badRequest(`${key}: is not a known field`, key);
    input[domain] = domain === "savedInstrument" ? renameInstrument(value) : domain === "selfEmployed" ? renameSelfEmployed(value) : value;
  }
  const parsed = CreatePayoutRequestSchema.safeParse(input);
  if (!parsed.success) throw issueError(parsed.error.issues[0], input);
  return parsed.data;
}

/** A domain field name in a PayoutError (`amountKopecks`) as the partner knows it. */
export function wireField(domainField: string | undefined): string | undefined {
  return domainField === undefined ? undefined : wireFieldOf(domainField.split("."));
}

// ---------------------------------------------------------------------------------------------------------------
// Wire schemas (documentation; request validation goes through parseCreateBody)

const shape = CreatePayoutRequestSchema.shape;
const [cardHashOption, cardTokenOption, recurrentOption] = SavedInstrumentSchema.options;

export const WireSavedInstrumentSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: cardHashOption.shape.kind,
      number_hash: cardHashOption.shape.numberHash.meta({ description: "number_hash of a card this recipient was paid to before (from the bank's card widget)" }),
    }),
    z.strictObject({ kind: cardTokenOption.shape.kind, token: cardTokenOption.shape.token.meta({ description: "tokenized_card token" }) }),
    z.strictObject({ kind: recurrentOption.shape.kind, token: recurrentOption.shape.token.meta({ description: "recurrent token" }) }),
  ])
  .meta({
    description: "Required for method card_saved (kind card_hash or card_token) and recurrent (kind recurrent); not allowed for the other methods.",
  });

const selfEmployedShape = SelfEmployedSchema.shape;
const serviceShape = SelfEmployedServiceSchema.shape;

export const WireSelfEmployedSchema = z
  .strictObject({
    inn: selfEmployedShape.inn.meta({ description: "The self-employed recipient's INN: 12 digits, checksum verified." }),
    services: z
      .array(
        z.strictObject({
          name: serviceShape.name.meta({ description: "What was done or sold, as the receipt names it." }),
          amount: serviceShape.amountKopecks.meta({ description: "Price of one unit in kopecks (integer)." }),
          quantity: serviceShape.quantity.meta({ description: "Units (positive integer)." }),
        }),
      )
      .min(1)
      .max(SELF_EMPLOYED_MAX_SERVICES),
  })
  .meta({
    description:
      "The recipient is self-employed (НПД): the payout registers a «Мой налог» receipt (payer: the partner, payer_type legal). Σ amount × quantity must equal amount_kopecks (rule services_sum_mismatch); methods card_widget, card_saved or bank_account; source_account regular. The recipient's link checks the INN with the tax service and links Bank 131 first. Refused with npd_annual_limit (422, params limit/used/amount/left in kopecks) when the INN's income this Moscow year would pass 2 400 000 ₽.",
  });

const DESCRIPTIONS: Record<WireField, string> = {
  amount_kopecks: "Amount in kopecks (integer; 150050 = 1 500,50 ₽). At most the portal's PAYOUT_MAX_KOPECKS.",
  currency: "Only rub.",
  recipient_name: "Recipient's full name as in the passport: 2–4 words, all Cyrillic or all Latin per word.",
  recipient_email: "Optional e-mail of the recipient.",
  reference: "Your own reference (≤ 64 characters), e.g. your order or contract id. Sent to the bank as customer.reference.",
  purpose: "Purpose of the payout (3–210 characters).",
  method:
    "card_widget: the recipient types a card into the bank's widget via the link; bank_account: the recipient gives account details via the link; sbp: SBP (faster payments) by phone — the recipient picks their bank via the link and the bank verifies phone + name before the payout (purpose ≤ 140 characters; SBP payouts cannot be refunded); card_saved and recurrent: pay at once to saved_instrument.",
  source_account: "Which of the partner's accounts pays: regular (default), escrow (nominal account; needs beneficiary_inn and beneficiary_name, card methods only) or settlement.",
  beneficiary_inn: "Escrow only: INN (10 or 12 digits, checksum verified) of the beneficiary whose money pays.",
  beneficiary_name: "Escrow only: name of that beneficiary (2–160 characters).",
  saved_instrument: "See SavedInstrument.",
  sbp_phone:
    "Method sbp only, optional: the recipient's phone linked to SBP (\"+7 (900) 000-00-01\", \"89000000001\", \"79000000001\" → 79000000001); without it the recipient enters it on the link page.",
  self_employed: "See SelfEmployed.",
};

function wireFieldSchema(field: WireField): z.ZodType {
  if (field === "saved_instrument") return WireSavedInstrumentSchema.optional();
  if (field === "self_employed") return WireSelfEmployedSchema.optional();
  return shape[FIELD_MAP[field]].meta({ description: DESCRIPTIONS[field] });
}

export const WireCreatePayoutRequestSchema = z
  .strictObject(Object.fromEntries((Object.keys(FIELD_MAP) as WireField[]).map((field) => [field, wireFieldSchema(field)])))
  .meta({
    description: "A new payout request. Cross-field rules: escrow needs beneficiary_inn + beneficiary_name and a card method; saved_instrument must match method; sbp_phone only with method sbp.",
  });

const isoDateTime = z.iso.datetime({ offset: true });

export const WireStatusSchema = z.enum(PAYOUT_STATUSES).meta({
  description:
    "awaiting_recipient → submitted → awaiting_approval → confirming | cancelling → paid | failed | cancelled; paid → refunded (a refund can also arrive before the finish); awaiting_recipient → expired | cancelled; bank_error: the bank's outcome is not known yet; needs_attention: the bank's outcome cannot be asked for, an operator investigates.",
});

export const WireCreatedSchema = z.object({
  id: z.uuid(),
  number: z.string().regex(/^PR-\d{6,}$/).meta({ description: "Human reference operators see, e.g. PR-000042" }),
  status: WireStatusSchema,
  amount_kopecks: z.int().positive(),
  currency: z.string().meta({ examples: ["rub"] }),
  recipient_link: z.url().meta({
    description: "Single-use link for the recipient. It exists only in this answer (the portal stores a hash); a replay with the same Idempotency-Key returns it again.",
  }),
  link_expires_at: isoDateTime,
  created_at: isoDateTime,
});
export type WireCreated = z.infer<typeof WireCreatedSchema>;

export const WireInstrumentSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("card"), brand: z.string().nullable(), last4: z.string().nullable() }),
    z.object({ kind: z.literal("bank_account"), masked_account: z.string().nullable() }),
    z.object({
      kind: z.literal("sbp"),
      bank_name: z.string().nullable(),
      masked_phone: z.string().nullable().meta({ examples: ["+7 900 ***-**-01"] }),
      verified_name: z.string().nullable().meta({ description: "The name the bank holds for the phone, masked (e.g. «Иван И.»).", examples: ["Иван И."] }),
    }),
  ])
  .nullable()
  .meta({ description: "Masked instrument once known (never a card or account number); null before the recipient chose one." });

export const WirePayoutRequestSchema = z.object({
  id: z.uuid(),
  number: z.string().regex(/^PR-\d{6,}$/),
  status: WireStatusSchema,
  amount_kopecks: z.int().positive(),
  currency: z.string(),
  recipient_name: z.string(),
  reference: z.string().nullable(),
  method: z.enum(PAYOUT_METHODS),
  source_account: z.enum(SOURCE_ACCOUNTS),
  instrument: WireInstrumentSchema,
  failure: z.object({ code: z.string(), message: z.string() }).nullable().meta({ description: "Why the payout failed, was cancelled or expired." }),
  created_at: isoDateTime,
  updated_at: isoDateTime,
  self_employed: z
    .object({
      inn: z.string(),
      npd_status: z.enum(["checking", "not_linked", "linked", "not_self_employed"]),
      receipt_link: z.string().nullable(),
    })
    .nullable()
    .meta({
      description:
        "Self-employed payouts: the tax service's answer about the INN (checking → not_linked | linked | not_self_employed) and the «Мой налог» receipt link once the bank registered it; null for other payouts.",
    }),
});
export type WirePayoutRequest = z.infer<typeof WirePayoutRequestSchema>;

export const WireErrorSchema = z.object({
  error: z.object({
    code: z.string().meta({ examples: ["invalid_request", "unauthorized", "idempotency_key_reused"] }),
    message: z.string(),
    field: z.string().optional().meta({ description: "The snake_case body field (or header name) at fault, when there is one." }),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .optional()
      .meta({ description: "Machine-readable details of the refusal (amounts in kopecks), e.g. `{ \"bankCode\": \"insufficient_funds\" }` for `bank_rejected`." }),
  }),
});
export type WireError = z.infer<typeof WireErrorSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Payout batches

export const MAX_BATCH_ROWS = 10_000;

export const WireCreatePayoutBatchSchema = z
  .strictObject({
    rows: z.array(WireCreatePayoutRequestSchema).min(1).max(MAX_BATCH_ROWS),
  })
  .meta({ description: "Payout requests to create in the background; every row is validated as a single payout request, and a bad row refuses the whole batch (nothing is created)." });

const WireBatchStatusSchema = z.enum(["processing", "completed"]).meta({ description: "processing: rows are still becoming payout requests; completed: every row was handled." });

export const WirePayoutBatchSchema = z.object({
  id: z.uuid(),
  number: z.string().regex(/^PB-\d{6,}$/),
  status: WireBatchStatusSchema,
  row_count: z.int().positive(),
  total_kopecks: z.int().positive(),
  created_at: isoDateTime,
  completed_at: isoDateTime.nullable(),
  counts: z.object({ pending: z.int(), created: z.int(), failed: z.int() }),
  rows: z
    .array(
      z.object({
        index: z.int().meta({ description: "Position in the request's rows (0-based)." }),
        status: z.enum(["pending", "created", "failed"]),
        payout_request_id: z.uuid().nullable(),
        payout_status: WireStatusSchema.nullable(),
        error: z.object({ code: z.string() }).nullable().meta({ description: "Why the row's payout request could not be made (e.g. instrument_unknown)." }),
        recipient_link: z.url().nullable().meta({ description: "The recipient's link while it can be used (request awaiting its recipient, not expired)." }),
      }),
    )
    .meta({ description: "The first 1 000 rows." }),
});
export type WirePayoutBatch = z.infer<typeof WirePayoutBatchSchema>;
