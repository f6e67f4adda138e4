import { z } from "zod";
import { kopecksSchema } from "./money-schemas";
import { innSchema, recipientNameSchema, rejectControlCharacters, ruPhoneSchema } from "../validation/ru-banking-schemas";

/**
 * Input for a new payout request, shared by the operator form and the partner API. The schemas
 * carry limits, not sentences: the form words issues in Russian (lib/i18n/errors.ts zodErrorMap),
 * the partner API in English; cross-field rules name themselves in `params.rule`.
 */

export const TOKEN_MIN_LENGTH = 16;
export const TOKEN_MAX_LENGTH = 128;
export const EMAIL_MAX_LENGTH = 254;
export const REFERENCE_MAX_LENGTH = 64;
export const PURPOSE_MIN_LENGTH = 3;
export const PURPOSE_MAX_LENGTH = 210;
export const BENEFICIARY_NAME_MIN_LENGTH = 2;
export const BENEFICIARY_NAME_MAX_LENGTH = 160;
export const REASON_MIN_LENGTH = 3;
export const REASON_MAX_LENGTH = 500;

const tokenLike = z
  .string()
  .trim()
  .min(TOKEN_MIN_LENGTH)
  .max(TOKEN_MAX_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/);

const cardHash = z.string().trim().regex(/^[0-9a-fA-F]{64}$/);

/** An operator's reason for cancelling a payout or revoking its link (goes to the audit log). */
export const ReasonSchema = z.string().trim().min(REASON_MIN_LENGTH).max(REASON_MAX_LENGTH).superRefine(rejectControlCharacters);

/** A cross-field rule's issue: `rule` names it for wording, `en` is the partner API's sentence. */
function ruleIssue(path: string, rule: string, en: string) {
  return { code: "custom" as const, path: [path], params: { rule, en } };
}

export const SavedInstrumentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("card_hash"), numberHash: cardHash }),
  z.object({ kind: z.literal("card_token"), token: tokenLike }),
  z.object({ kind: z.literal("recurrent"), token: tokenLike }),
  // An option from the saved-instrument lookup, by its opaque id (the server holds the hash or token).
  z.object({ kind: z.literal("saved"), id: z.uuid() }),
]);
export type SavedInstrument = z.infer<typeof SavedInstrumentSchema>;
/** A saved instrument the bank can be sent: the hash or token itself. */
export type ResolvedSavedInstrument = Exclude<SavedInstrument, { kind: "saved" }>;

export const PAYOUT_METHODS = ["card_widget", "bank_account", "card_saved", "recurrent", "sbp"] as const;
/** SBP `description` (the payout's purpose) is at most 140 characters (docs payouts/payout-fps-phone). */
export const SBP_PURPOSE_MAX_LENGTH = 140;

/** Self-employed (НПД): a receipt lists 1–6 services (Bank 131 via third-party code; lib/bank131 MAX_FISCAL_SERVICES). */
export const SELF_EMPLOYED_MAX_SERVICES = 6;
export const SERVICE_NAME_MAX_LENGTH = 128;
/** Methods a self-employed payout may use (the recurrent token belongs to a card acquired elsewhere). */
export const SELF_EMPLOYED_METHODS: ReadonlyArray<string> = ["card_widget", "card_saved", "bank_account", "sbp"];

export const SelfEmployedServiceSchema = z.object({
  name: z.string().trim().min(1).max(SERVICE_NAME_MAX_LENGTH).superRefine(rejectControlCharacters),
  amountKopecks: kopecksSchema,
  quantity: z.int().positive().max(10_000),
});
export type SelfEmployedService = z.infer<typeof SelfEmployedServiceSchema>;

/** The recipient is self-employed: the payout registers a «Мой налог» receipt for these services. */
export const SelfEmployedSchema = z.object({
  // An individual's INN: 12 digits with valid check digits.
  inn: innSchema.refine((inn) => inn.length === 12, { message: "ИНН самозанятого — 12 цифр.", params: { en: "must be a 12-digit INN of an individual" } }),
  services: z.array(SelfEmployedServiceSchema).min(1).max(SELF_EMPLOYED_MAX_SERVICES),
});
export type SelfEmployed = z.infer<typeof SelfEmployedSchema>;

/** Σ amount × quantity of the services, or null when one of them is not yet a number. */
export function servicesTotalKopecks(services: ReadonlyArray<{ amountKopecks?: unknown; quantity?: unknown }>): number | null {
  let total = 0;
  for (const service of services) {
    if (typeof service.amountKopecks !== "number" || typeof service.quantity !== "number") return null;
    total += service.amountKopecks * service.quantity;
  }
  return total;
}
export const SOURCE_ACCOUNTS = ["regular", "escrow", "settlement"] as const;

export const CreatePayoutRequestSchema = z
  .object({
    amountKopecks: kopecksSchema,
    currency: z.literal("rub").default("rub"),
    recipientName: recipientNameSchema,
    recipientEmail: z.preprocess((v) => (v === "" ? undefined : v), z.email().max(EMAIL_MAX_LENGTH).optional()),
    reference: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(REFERENCE_MAX_LENGTH).superRefine(rejectControlCharacters).optional()),
    purpose: z.string().trim().min(PURPOSE_MIN_LENGTH).max(PURPOSE_MAX_LENGTH).superRefine(rejectControlCharacters),
    method: z.enum(PAYOUT_METHODS),
    sourceAccount: z.enum(SOURCE_ACCOUNTS).default("regular"),
    beneficiaryInn: z.preprocess((v) => (v === "" ? undefined : v), innSchema.optional()),
    beneficiaryName: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(BENEFICIARY_NAME_MIN_LENGTH).max(BENEFICIARY_NAME_MAX_LENGTH).superRefine(rejectControlCharacters).optional()),
    savedInstrument: SavedInstrumentSchema.optional(),
    /** SBP: the recipient's phone, when the payer knows it (else the recipient enters it on the link page). */
    sbpPhone: z.preprocess((v) => (v === "" ? undefined : v), ruPhoneSchema.optional()),
    selfEmployed: SelfEmployedSchema.optional(),
  })
  .superRefine(
    (input, ctx) => {
      if (input.sourceAccount === "escrow") {
        if (!input.beneficiaryInn) ctx.addIssue(ruleIssue("beneficiaryInn", "beneficiary_inn_required", "is required for escrow payouts"));
        if (!input.beneficiaryName) ctx.addIssue(ruleIssue("beneficiaryName", "beneficiary_name_required", "is required for escrow payouts"));
        if (input.method !== "card_widget" && input.method !== "card_saved") {
          ctx.addIssue(ruleIssue("method", "escrow_card_only", "escrow payouts go to cards (widget or saved card)"));
        }
      }
      const selfEmployed = input.selfEmployed as { services?: unknown } | undefined;
      if (selfEmployed) {
        if (!SELF_EMPLOYED_METHODS.includes(input.method)) {
          ctx.addIssue(ruleIssue("method", "self_employed_method", "self-employed payouts go to a card, a bank account or SBP"));
        }
        if (input.sourceAccount !== undefined && input.sourceAccount !== "regular") {
          ctx.addIssue(ruleIssue("sourceAccount", "self_employed_regular_only", "self-employed payouts are paid from the regular account"));
        }
        const services = Array.isArray(selfEmployed.services) ? (selfEmployed.services as Array<{ amountKopecks?: unknown; quantity?: unknown }>) : [];
        const total = servicesTotalKopecks(services);
        if (services.length > 0 && total !== null && typeof input.amountKopecks === "number" && total !== input.amountKopecks) {
          ctx.addIssue({ ...ruleIssue("selfEmployed", "services_sum_mismatch", "the services (amount × quantity) must add up to amount_kopecks"), path: ["selfEmployed", "services"] });
        }
      }
      const saved = input.savedInstrument;
      if (saved?.kind === "saved" && (input.method === "card_saved" || input.method === "recurrent")) {
        // Which kind it is, the server finds out when it resolves the id.
      } else if (input.method === "card_saved" && saved?.kind !== "card_hash" && saved?.kind !== "card_token") {
        ctx.addIssue(ruleIssue("savedInstrument", "saved_card_required", "a saved card hash or card token is required"));
      } else if (input.method === "recurrent" && saved?.kind !== "recurrent") {
        ctx.addIssue(ruleIssue("savedInstrument", "recurrent_token_required", "a recurrent token is required"));
      } else if ((input.method === "card_widget" || input.method === "bank_account" || input.method === "sbp") && saved) {
        ctx.addIssue(ruleIssue("savedInstrument", "instrument_not_allowed", "the recipient provides the instrument for this method"));
      }
      if (input.sbpPhone !== undefined && input.method !== "sbp") {
        ctx.addIssue(ruleIssue("sbpPhone", "sbp_phone_not_allowed", "is only for method sbp"));
      }
      if (input.method === "sbp" && typeof input.purpose === "string" && input.purpose.trim().length > SBP_PURPOSE_MAX_LENGTH) {
        ctx.addIssue(ruleIssue("purpose", "sbp_purpose_too_long", `must be at most ${SBP_PURPOSE_MAX_LENGTH} characters for SBP payouts`));
      }
    },
    // Cross-field rules run even when a field is broken, so a form shows every problem at once
    // (the fields they read may then be raw input: the rules only test presence and equality).
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

export type CreatePayoutRequestInput = z.input<typeof CreatePayoutRequestSchema>;
export type CreatePayoutRequest = z.output<typeof CreatePayoutRequestSchema>;

/** What a recipient submits on the link page. */
export const RecipientInstrumentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("card_hash"), numberHash: cardHash }),
  z.object({
    kind: z.literal("bank_account_token"),
    token: tokenLike,
    // Older pages send the mask and BIK too; they are ignored: approvers see what the bank answered to
    // `tokenize` for this link (lib/payouts/instruments.ts recipientInstrument).
    maskedAccount: z.unknown().optional(),
    bik: z.unknown().optional(),
  }),
  // SBP: the bank chosen from fps/banks and the phone (ignored when the payer gave one); the start
  // needs a verification of exactly these details (lib/payouts/sbp.ts).
  z.object({ kind: z.literal("sbp"), bankId: z.string().trim().regex(/^\d{1,32}$/), phone: ruPhoneSchema.optional() }),
]);
export type RecipientInstrument = z.infer<typeof RecipientInstrumentSchema>;

/** An admin's approval limits for one operator, in kopecks; null = no limit. */
export const ApprovalLimitsSchema = z
  .object({
    dailyKopecks: kopecksSchema.nullable(),
    payoutKopecks: kopecksSchema.nullable(),
  })
  .strict();
export type ApprovalLimits = z.infer<typeof ApprovalLimitsSchema>;
