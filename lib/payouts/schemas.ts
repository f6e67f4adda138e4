import { z } from "zod";
import { kopecksSchema } from "../money";
import { innSchema, recipientNameSchema, rejectControlCharacters } from "../validation/ru-banking";

/** Input for a new payout request, shared by the operator form and the partner API. */

const tokenLike = z
  .string()
  .trim()
  .min(16, "is too short for a token")
  .max(128, "is too long for a token")
  .regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, - and _");

export const SavedInstrumentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("card_hash"), numberHash: z.string().trim().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters") }),
  z.object({ kind: z.literal("card_token"), token: tokenLike }),
  z.object({ kind: z.literal("recurrent"), token: tokenLike }),
  // An option from the saved-instrument lookup, by its opaque id (the server holds the hash or token).
  z.object({ kind: z.literal("saved"), id: z.uuid("must be a saved-instrument id") }),
]);
export type SavedInstrument = z.infer<typeof SavedInstrumentSchema>;
/** A saved instrument the bank can be sent: the hash or token itself. */
export type ResolvedSavedInstrument = Exclude<SavedInstrument, { kind: "saved" }>;

export const PAYOUT_METHODS = ["card_widget", "bank_account", "card_saved", "recurrent"] as const;
export const SOURCE_ACCOUNTS = ["regular", "escrow", "settlement"] as const;

export const CreatePayoutRequestSchema = z
  .object({
    amountKopecks: kopecksSchema,
    currency: z.literal("rub", "only rub payouts are supported").default("rub"),
    recipientName: recipientNameSchema,
    recipientEmail: z.preprocess((v) => (v === "" ? undefined : v), z.email("is not a valid email").max(254).optional()),
    reference: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(64, "must be at most 64 characters").superRefine(rejectControlCharacters).optional()),
    purpose: z.string().trim().min(3, "must be at least 3 characters").max(210, "must be at most 210 characters").superRefine(rejectControlCharacters),
    method: z.enum(PAYOUT_METHODS),
    sourceAccount: z.enum(SOURCE_ACCOUNTS).default("regular"),
    beneficiaryInn: z.preprocess((v) => (v === "" ? undefined : v), innSchema.optional()),
    beneficiaryName: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(2).max(160).superRefine(rejectControlCharacters).optional()),
    savedInstrument: SavedInstrumentSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.sourceAccount === "escrow") {
      if (!input.beneficiaryInn) ctx.addIssue({ code: "custom", path: ["beneficiaryInn"], message: "is required for escrow payouts" });
      if (!input.beneficiaryName) ctx.addIssue({ code: "custom", path: ["beneficiaryName"], message: "is required for escrow payouts" });
      if (input.method !== "card_widget" && input.method !== "card_saved") {
        ctx.addIssue({ code: "custom", path: ["method"], message: "escrow payouts go to cards (widget or saved card)" });
      }
    }
    const saved = input.savedInstrument;
    if (saved?.kind === "saved" && (input.method === "card_saved" || input.method === "recurrent")) {
      // Which kind it is, the server finds out when it resolves the id.
    } else if (input.method === "card_saved" && saved?.kind !== "card_hash" && saved?.kind !== "card_token") {
      ctx.addIssue({ code: "custom", path: ["savedInstrument"], message: "a saved card hash or card token is required" });
    } else if (input.method === "recurrent" && saved?.kind !== "recurrent") {
      ctx.addIssue({ code: "custom", path: ["savedInstrument"], message: "a recurrent token is required" });
    } else if ((input.method === "card_widget" || input.method === "bank_account") && saved) {
      ctx.addIssue({ code: "custom", path: ["savedInstrument"], message: "the recipient provides the instrument for this method" });
    }
  });

export type CreatePayoutRequestInput = z.input<typeof CreatePayoutRequestSchema>;
export type CreatePayoutRequest = z.output<typeof CreatePayoutRequestSchema>;

/** What a recipient submits on the link page. */
export const RecipientInstrumentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("card_hash"), numberHash: z.string().trim().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters") }),
  z.object({
    kind: z.literal("bank_account_token"),
    token: tokenLike,
    // Older pages send the mask and BIK too; they are ignored: approvers see what the bank answered to
    // `tokenize` for this link (lib/payouts/instruments.ts recipientInstrument).
    maskedAccount: z.unknown().optional(),
    bik: z.unknown().optional(),
  }),
]);
export type RecipientInstrument = z.infer<typeof RecipientInstrumentSchema>;
