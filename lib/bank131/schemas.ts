import { z } from "zod";
import { isPlainObject, pathToV1, renameKey, requestFromWire, type ApiVersion } from "./wire";

/**
 * zod schemas for the Bank 131 payout API (see docs/bank131/api-reference.md).
 *
 * Conventions:
 * - Money is integer kopecks (`amount: 10000` = 100 RUB); never floats.
 * - REQUEST schemas use canonical v2 names and strip unknown top-level keys. Use `requestSchemaFor(method,
 *   version)` to validate a raw body in the spelling of a given API version; its output is canonical.
 * - RESPONSE / WEBHOOK schemas are lenient: unknown fields are kept (loose objects), both v1 and v2
 *   spellings are accepted, and the output always uses the v2 names (`payout_list`, `payment_list`,
 *   `payout_details`), so callers never branch on the API version.
 * - Status enums of sessions, payouts and refunds are strict: an unknown status must fail loudly rather
 *   than be mistaken for a known one by the payout state machine.
 */

export { API_VERSIONS, type ApiVersion } from "./wire";

// ---- primitives -----------------------------------------------------------------------------------

/** Error-message helper: a missing value reads "is required", a wrong one reads `message`. */
function msg(message: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message) };
}

/** Kopecks: a positive safe integer. */
export const KopecksSchema = z
  .number(msg("must be a positive integer"))
  .int("must be a positive integer")
  .positive("must be a positive integer")
  .max(Number.MAX_SAFE_INTEGER, "is too large");

/** Fees may be zero. */

/**
 * A timestamp the portal stores (`finished_at` becomes a column): any spelling `Date` understands (the
 * bank writes microseconds). A signed message with an impossible one is a protocol error, kept and
 * acknowledged, not a crash.
 */
const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO 8601 date-time");

const NonNegativeKopecksSchema = z
  .number(msg("must be a non-negative integer"))
  .int("must be a non-negative integer")
  .nonnegative("must be a non-negative integer")
  .max(Number.MAX_SAFE_INTEGER, "is too large");

const nonEmpty = () => z.string(msg("must be a string")).min(1, "must not be empty");
const digits = (n: string, label: string) =>
  z.string(msg(`must be ${label}`)).regex(new RegExp(`^\\d{${n}}$`), `must be ${label}`);

/** ISO 4217 code, case-insensitive on the wire (`rub`; fee objects have been seen with `RUB`); `tonc` is 4 letters. */
export const CurrencySchema = z
  .string(msg("must be a currency code"))
  .regex(/^[A-Za-z]{3,4}$/, "must be an ISO 4217 currency code such as rub");

export const AmountDetailsSchema = z.object({ amount: KopecksSchema, currency: CurrencySchema });
export type AmountDetails = z.output<typeof AmountDetailsSchema>;

/** Response form: unknown keys kept, currency not pattern-checked. */
export const AmountDetailsResponseSchema = z.looseObject({ amount: KopecksSchema, currency: z.string() });

const FeeAmountSchema = z.looseObject({ amount: NonNegativeKopecksSchema, currency: z.string() });
export const AmountsSchema = z.looseObject({
  net: FeeAmountSchema.optional(),
  gross: FeeAmountSchema.optional(),
  fee: z.looseObject({ merchant_fee: FeeAmountSchema.optional() }).optional(),
});

const LooseRecord = z.looseObject({});

// ---- card -----------------------------------------------------------------------------------------

/** PCI DSS form. Only `number` is needed for RU payouts. Error messages never echo the value. */
export const BankCardSchema = z.object({
  number: z.string(msg("must be 14–19 digits")).regex(/^\d{14,19}$/, "must be 14–19 digits"),
  expiration_month: z.string().regex(/^(0[1-9]|1[0-2])$/, "must be MM").optional(),
  expiration_year: z.string().regex(/^\d{2}$/, "must be YY").optional(),
  security_code: z.string().regex(/^\d{3,4}$/, "must be 3–4 digits").optional(),
  cardholder_name: z.string().min(1).optional(),
});

/** Widget output: the card hash. */
export const EncryptedCardSchema = z.object({
  number_hash: nonEmpty(),
  expiration_date_hash: z.string().optional(),
  security_code_hash: z.string().optional(),
  cardholder_name_hash: z.string().optional(),
});

export const TokenizedCardSchema = z.object({ token: nonEmpty() });

const BankCardFormSchema = z.object({ type: z.literal("bank_card"), bank_card: BankCardSchema });
const EncryptedCardFormSchema = z.object({ type: z.literal("encrypted_card"), encrypted_card: EncryptedCardSchema });
const TokenizedCardFormSchema = z.object({ type: z.literal("tokenized_card"), tokenized_card: TokenizedCardSchema });

export const CardRequestSchema = z.discriminatedUnion("type", [
  BankCardFormSchema,
  EncryptedCardFormSchema,
  TokenizedCardFormSchema,
]);
export type CardRequest = z.output<typeof CardRequestSchema>;

/**
 * Masked form found in responses and webhooks (no inner `type`). Deliberately a STRIPPING object: if a
 * response ever echoed a full card (`bank_card.number`), it is dropped here instead of being stored.
 */
export const MaskedCardSchema = z.object({
  last4: z.string().optional(),
  brand: z.string().optional(),
  bin: z.string().optional(),
  country_iso3: z.string().optional(),
  card_id: z.string().optional(),
});
export type MaskedCard = z.output<typeof MaskedCardSchema>;

/** Card in a response: the masked form, or (older docs) an echo of the hash/token form. Never a PAN. */
export const CardSchema = z.union([EncryptedCardFormSchema, TokenizedCardFormSchema, MaskedCardSchema]);
export type Card = z.output<typeof CardSchema>;

// ---- other instruments ----------------------------------------------------------------------------

export const RecurrentRequestSchema = z.object({
  token: nonEmpty(),
  initiator: z.string().optional(),
  security_code: z.string().regex(/^\d{3,4}$/, "must be 3–4 digits").optional(),
});

export const BankAccountRuRequestSchema = z
  .object({
    bik: digits("9", "9 digits").optional(),
    account: digits("20", "20 digits").optional(),
    token: nonEmpty().optional(),
    full_name: nonEmpty(),
    description: nonEmpty(),
    is_fast: z.boolean().optional(),
    inn: z.string().regex(/^(\d{10}|\d{12})$/, "must be 10 or 12 digits").optional(),
    kpp: digits("9", "9 digits").optional(),
  })
  .superRefine((ru, ctx) => {
    // Either requisites (bik + account) or a token from `tokenize`, never both.
    if (ru.token !== undefined) {
      if (ru.bik !== undefined || ru.account !== undefined) {
        ctx.addIssue({ code: "custom", path: ["token"], message: "cannot be combined with bik/account" });
      }
      return;
    }
    if (ru.bik === undefined) ctx.addIssue({ code: "custom", path: ["bik"], message: "is required unless token is given" });
    if (ru.account === undefined) {
      ctx.addIssue({ code: "custom", path: ["account"], message: "is required unless token is given" });
    }
  });

/** SBP (FPS) phone: `7XXXXXXXXXX`, 11 digits, no plus (docs payouts/payout-fps-phone example `79680000000`). */
export const FpsPhoneSchema = z.string(msg("must be 7XXXXXXXXXX")).regex(/^7\d{10}$/, "must be 7XXXXXXXXXX");
/** SBP participant id from `fps/banks` (`100000000069` in the docs). */
export const FpsBankIdSchema = z.string(msg("must be an SBP bank id")).regex(/^\d{1,32}$/, "must be an SBP bank id (digits, from fps/banks)");
export const FPS_DESCRIPTION_MAX = 140;

export const FasterPaymentSystemRequestSchema = z.object({
  phone: FpsPhoneSchema,
  bank_id: FpsBankIdSchema,
  description: z.string(msg("must be a string")).max(FPS_DESCRIPTION_MAX, `must be at most ${FPS_DESCRIPTION_MAX} characters`).optional(),
});

export const BankAccountRequestSchema = z.discriminatedUnion("system_type", [
  z.object({ system_type: z.literal("ru"), ru: BankAccountRuRequestSchema }),
  z.object({ system_type: z.literal("faster_payment_system"), faster_payment_system: FasterPaymentSystemRequestSchema }),
]);

export const WALLET_TYPES = ["yoomoney", "qiwi", "moneta", "steam"] as const;
/** `{type: "yoomoney", yoomoney: {account, description}}` — the inner object is wallet-specific. */
export const WalletRequestSchema = z
  .looseObject({ type: z.enum(WALLET_TYPES, msg(`must be one of ${WALLET_TYPES.join(", ")}`)) })
  .superRefine((wallet, ctx) => {
    if (!isPlainObject(wallet[wallet.type])) {
      ctx.addIssue({ code: "custom", path: [wallet.type], message: "is required" });
    }
  });

export const INSTRUMENT_TYPES = ["card", "recurrent", "bank_account", "wallet"] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

/** Payout instrument in a request (`payout_details` in v2, `payment_method` in v1). */
export const PayoutDetailsRequestSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("card"), card: CardRequestSchema }),
  z.object({ type: z.literal("recurrent"), recurrent: RecurrentRequestSchema }),
  z.object({ type: z.literal("bank_account"), bank_account: BankAccountRequestSchema }),
  z.object({ type: z.literal("wallet"), wallet: WalletRequestSchema }),
]);
export type PayoutDetailsRequest = z.output<typeof PayoutDetailsRequestSchema>;

const BankAccountRuResponseSchema = z.looseObject({
  bik: z.string().optional(),
  account: z.string().optional(),
  token: z.string().optional(),
  full_name: z.string().optional(),
  description: z.string().optional(),
  is_fast: z.boolean().optional(),
  inn: z.string().optional(),
  kpp: z.string().optional(),
});

/** Payout instrument in a response/webhook: known types, lenient inner objects. */
export const PayoutDetailsSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("card"), card: CardSchema }),
  z.looseObject({ type: z.literal("recurrent"), recurrent: z.looseObject({ token: z.string().optional() }) }),
  z.looseObject({
    type: z.literal("bank_account"),
    bank_account: z.looseObject({
      system_type: z.string(),
      ru: BankAccountRuResponseSchema.optional(),
      faster_payment_system: LooseRecord.optional(),
    }),
  }),
  z.looseObject({ type: z.literal("wallet"), wallet: z.looseObject({ type: z.string() }) }),
]);
export type PayoutDetails = z.output<typeof PayoutDetailsSchema>;

// ---- participants, customer -----------------------------------------------------------------------

/** Free-form participant (SDK lists ~35 optional fields); the common ones are typed, the rest kept. */
export const ParticipantSchema = z.looseObject({
  full_name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  middle_name: z.string().optional(),
  company_name: z.string().optional(),
  reference: z.string().optional(),
  tax_reference: z.string().optional(),
  /** Beneficiary INN; mandatory for escrow (nominal) payouts. */
  beneficiary_id: z.string().optional(),
  email: z.string().optional(),
  msisdn: z.string().optional(),
  country_iso3: z.string().optional(),
  date_of_birth: z.string().optional(),
  identity_document: LooseRecord.optional(),
});
export type Participant = z.output<typeof ParticipantSchema>;

export const ParticipantDetailsSchema = z.looseObject({
  sender: ParticipantSchema.optional(),
  recipient: ParticipantSchema.optional(),
});
export type ParticipantDetails = z.output<typeof ParticipantDetailsSchema>;

const CustomerContactSchema = z.looseObject({ email: z.string().optional(), phone: z.string().optional() });

export const CustomerRequestSchema = z.object({
  reference: nonEmpty(),
  contacts: z.array(CustomerContactSchema).optional(),
});
export const CustomerSchema = z.looseObject({
  reference: z.string(),
  contacts: z.array(CustomerContactSchema).optional(),
});
export type Customer = z.output<typeof CustomerSchema>;

// ---- fiscalization (self-employed, НПД) ----------------------------------------------------------

/** INN of an individual: 12 digits (SDK `DTO/Widget/SelfEmployedWidget.php` rejects anything else). */
export const TaxReferenceSchema = digits("12", "a 12-digit INN");
export const PAYER_TYPES = ["legal", "individual", "foreign"] as const;
export type PayerType = (typeof PAYER_TYPES)[number];
/** At most 6 services per receipt (third-party client code; docs silent). */
export const MAX_FISCAL_SERVICES = 6;
/** A payout with fiscalization fails when the year's income would pass 2,400,000 ₽ (docs selfemployed-payout). */
export const NPD_ANNUAL_INCOME_LIMIT_KOPECKS = 240_000_000;

export const FiscalServiceRequestSchema = z.object({
  name: nonEmpty(),
  amount_details: AmountDetailsSchema,
  quantity: z.number(msg("must be a positive integer")).int("must be a positive integer").positive("must be a positive integer"),
});

export const ProfessionalIncomeTaxpayerRequestSchema = z
  .object({
    tax_reference: TaxReferenceSchema,
    payer_type: z.enum(PAYER_TYPES, msg(`must be one of ${PAYER_TYPES.join(", ")}`)),
    /** INN of the paying company (10 digits) or entrepreneur (12). */
    payer_tax_number: z.string(msg("must be 10 or 12 digits")).regex(/^(\d{10}|\d{12})$/, "must be 10 or 12 digits").optional(),
    payer_name: nonEmpty().optional(),
    services: z
      .array(FiscalServiceRequestSchema, msg("must be a list of services"))
      .min(1, "must list at least one service")
      .max(MAX_FISCAL_SERVICES, `must list at most ${MAX_FISCAL_SERVICES} services`),
  })
  .superRefine((p, ctx) => {
    if (p.payer_type === "legal" && p.payer_tax_number === undefined) {
      ctx.addIssue({ code: "custom", path: ["payer_tax_number"], message: "is required when payer_type is legal" });
    }
  });

/** `fiscalization_details` of a request; `receipt` exists only in answers and is dropped here. */
export const FiscalizationDetailsRequestSchema = z.object({
  professional_income_taxpayer: ProfessionalIncomeTaxpayerRequestSchema,
});
export type FiscalizationDetailsRequest = z.input<typeof FiscalizationDetailsRequestSchema>;

/** The receipt registered in «Мой налог»: only in responses and webhooks. */
export const FiscalReceiptSchema = z.looseObject({ id: z.string().min(1), link: z.string().min(1) });
export type FiscalReceipt = z.output<typeof FiscalReceiptSchema>;

/** Response form: lenient, keeps unknown keys, `receipt` once the income is registered. */
export const FiscalizationDetailsSchema = z.looseObject({
  professional_income_taxpayer: z
    .looseObject({
      tax_reference: z.string().optional(),
      payer_type: z.string().optional(),
      payer_tax_number: z.string().optional(),
      payer_name: z.string().optional(),
      services: z.array(LooseRecord).optional(),
      receipt: FiscalReceiptSchema.optional(),
    })
    .optional(),
});
export type FiscalizationDetails = z.output<typeof FiscalizationDetailsSchema>;

// ---- error ----------------------------------------------------------------------------------------

export const RejectReasonSchema = z.looseObject({
  rule_alias: z.string(),
  list_alias: z.string().optional(),
  expiration_date: z.string().optional(),
});
export type RejectReason = z.output<typeof RejectReasonSchema>;

export const ErrorSchema = z.looseObject({
  code: z.string(),
  description: z.string().optional(),
  reject_reasons: z.array(RejectReasonSchema).optional(),
});
export type Bank131ErrorObject = z.output<typeof ErrorSchema>;

/** `{"status":"error","error":{…}}`, or the SDK-tests form `{"error":{…}}` (status absent). */
export const ErrorEnvelopeSchema = z.looseObject({
  status: z.literal("error").optional(),
  error: ErrorSchema,
});
export type ErrorEnvelope = z.output<typeof ErrorEnvelopeSchema>;

// ---- payment details (escrow internal transfer) ---------------------------------------------------

export const INTERNAL_TRANSFER_TYPES = ["transfer_from_nominal_account", "transfer_from_bank_account"] as const;
export type InternalTransferType = (typeof INTERNAL_TRANSFER_TYPES)[number];

const InternalTransferTargetRequestSchema = z.object({ description: z.string().min(1).optional() });

export const PaymentDetailsRequestSchema = z.object({
  type: z.literal("internal_transfer", msg('must be "internal_transfer"')),
  internal_transfer: z.discriminatedUnion("type", [
    z.object({
      type: z.literal("transfer_from_nominal_account"),
      transfer_from_nominal_account: InternalTransferTargetRequestSchema,
    }),
    z.object({
      type: z.literal("transfer_from_bank_account"),
      transfer_from_bank_account: InternalTransferTargetRequestSchema,
    }),
  ]),
});
export type PaymentDetailsRequest = z.output<typeof PaymentDetailsRequestSchema>;

const InternalTransferTargetSchema = z.looseObject({
  description: z.string().optional(),
  card_mask: z.string().optional(),
});

export const PaymentDetailsSchema = z.looseObject({
  type: z.string(),
  internal_transfer: z
    .looseObject({
      type: z.string(),
      transfer_from_nominal_account: InternalTransferTargetSchema.optional(),
      transfer_from_bank_account: InternalTransferTargetSchema.optional(),
    })
    .optional(),
});
export type PaymentDetails = z.output<typeof PaymentDetailsSchema>;

// ---- refund, payout, acquiring payment, session ---------------------------------------------------

export const TransactionInfoSchema = z.looseObject({
  rrn: z.string().optional(),
  arn: z.string().optional(),
  auth_code: z.string().optional(),
  fp_message_id: z.string().optional(),
  external_subscription_token: z.string().optional(),
  bank_account_ru_token: z.string().optional(),
});

export const REFUND_STATUSES = ["in_progress", "accepted", "declined", "error"] as const;
export const RefundSchema = z.looseObject({
  id: z.string(),
  status: z.enum(REFUND_STATUSES),
  created_at: z.string().optional(),
  finished_at: timestamp.optional(),
  amount_details: AmountDetailsResponseSchema.optional(),
  is_chargeback: z.boolean().optional(),
  amounts: AmountsSchema.optional(),
  metadata: z.unknown().optional(),
  transaction_info: TransactionInfoSchema.optional(),
});
export type Refund = z.output<typeof RefundSchema>;

/** Status of one payout or payment inside a bank session (not the portal's PayoutStatus). */
export const BANK_PAYMENT_STATUSES = ["in_progress", "pending", "succeeded", "failed"] as const;
export type BankPaymentStatus = (typeof BANK_PAYMENT_STATUSES)[number];

const payoutShape = {
  id: z.string(),
  status: z.enum(BANK_PAYMENT_STATUSES),
  created_at: z.string(),
  finished_at: timestamp.optional(),
  customer: CustomerSchema.optional(),
  payout_details: PayoutDetailsSchema.optional(),
  // Escrow payouts in ready_to_confirm carry no amount_details: the amount sits on the paired payment.
  amount_details: AmountDetailsResponseSchema.optional(),
  amounts: AmountsSchema.optional(),
  participant_details: ParticipantDetailsSchema.optional(),
  fiscalization_details: FiscalizationDetailsSchema.optional(),
  customer_interaction: LooseRecord.optional(),
  transaction_info: TransactionInfoSchema.optional(),
  refunds: z.array(RefundSchema).optional(),
  metadata: z.unknown().optional(),
  error: ErrorSchema.optional(),
};
/** Canonical-only payout (v2 names); `PayoutSchema` also accepts v1. */
export const CanonicalPayoutSchema = z.looseObject(payoutShape);
export type Payout = z.output<typeof CanonicalPayoutSchema>;

/** Payout in either spelling → canonical (`payout_details`). */
export const PayoutSchema = z
  .looseObject({ ...payoutShape, payment_method: PayoutDetailsSchema.optional() })
  .transform((p): Payout => renameKey(p, "payment_method", "payout_details") as Payout);

/** Acquiring payment; in payout flows this is the escrow internal transfer (`pm_…`). Its status is kept lenient. */
export const AcquiringPaymentSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  created_at: z.string().optional(),
  finished_at: timestamp.optional(),
  customer: CustomerSchema.optional(),
  payment_details: PaymentDetailsSchema.optional(),
  // The payer's instrument for real payments: not a payout instrument, so never renamed.
  payment_method: LooseRecord.optional(),
  amount_details: AmountDetailsResponseSchema.optional(),
  amounts: AmountsSchema.optional(),
  participant_details: ParticipantDetailsSchema.optional(),
  refunds: z.array(LooseRecord).optional(),
  metadata: z.unknown().optional(),
  error: ErrorSchema.optional(),
});
export type AcquiringPayment = z.output<typeof AcquiringPaymentSchema>;

export const SESSION_STATUSES = ["created", "in_progress", "accepted", "cancelled", "error"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

const sessionShape = {
  id: z.string(),
  status: z.enum(SESSION_STATUSES),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: timestamp.optional(),
  payout_list: z.array(PayoutSchema).optional(),
  payment_list: z.array(AcquiringPaymentSchema).optional(),
  /** `confirm` while the Bank waits for session/confirm or session/cancel. */
  next_action: z.string().optional(),
  error: ErrorSchema.optional(),
  metadata: z.unknown().optional(),
};
/** Canonical-only session (v2 names); `PaymentSessionSchema` also accepts v1. */
export const CanonicalSessionSchema = z.looseObject(sessionShape);
export type PaymentSession = z.output<typeof CanonicalSessionSchema>;

/** Session in either spelling → canonical (`payout_list`, `payment_list`). */
export const PaymentSessionSchema = z
  .looseObject({
    ...sessionShape,
    payments: z.array(PayoutSchema).optional(),
    acquiring_payments: z.array(AcquiringPaymentSchema).optional(),
  })
  .transform(
    (s): PaymentSession =>
      renameKey(renameKey(s, "payments", "payout_list"), "acquiring_payments", "payment_list") as PaymentSession,
  );

// ---- confirm information (escrow) -----------------------------------------------------------------

export const BankRequisitesSchema = z.looseObject({
  account_number: z.string().optional(),
  name: z.string().optional(),
  bank_name: z.string().optional(),
  bik: z.string().optional(),
  correspondent_account_number: z.string().optional(),
  inn: z.string().optional(),
  kpp: z.string().optional(),
});

const transferDetailsShape = {
  payout_details: PayoutDetailsSchema.optional(),
  customer: BankRequisitesSchema.optional(),
  recipient: BankRequisitesSchema.optional(),
  purpose: z.string().optional(),
  amount: AmountDetailsResponseSchema.optional(),
};
export const CanonicalTransferDetailsSchema = z.looseObject(transferDetailsShape);
export type TransferDetails = z.output<typeof CanonicalTransferDetailsSchema>;

export const TransferDetailsSchema = z
  .looseObject({ ...transferDetailsShape, payment_method: PayoutDetailsSchema.optional() })
  .transform((t): TransferDetails => renameKey(t, "payment_method", "payout_details") as TransferDetails);

/**
 * Escrow `confirm_information` from `ready_to_confirm`; must be echoed back unchanged in confirm AND cancel.
 * Parsed in either spelling, output canonical; `requestToWire` re-spells it for v1.
 */
export const ConfirmInformationSchema = z.looseObject({
  transfer_details: TransferDetailsSchema.optional(),
  account_details: z
    .looseObject({ sender: BankRequisitesSchema.optional(), recipient: BankRequisitesSchema.optional() })
    .optional(),
  exchanges: z.array(LooseRecord).optional(),
});
export type ConfirmInformation = z.output<typeof ConfirmInformationSchema>;

// ---- tokens ---------------------------------------------------------------------------------------

export const TokenInfoSchema = z.looseObject({
  type: z.string().optional(),
  brand: z.string().optional(),
  last4: z.string().optional(),
  number_hash: z.string().optional(),
  token: z.string().optional(),
  country_iso3: z.string().optional(),
  created_at: z.string().optional(),
  finished_at: timestamp.optional(),
  is_active: z.boolean().optional(),
  initiator: z.string().optional(),
});
export type TokenInfo = z.output<typeof TokenInfoSchema>;

// ---- webhooks -------------------------------------------------------------------------------------

export const KNOWN_WEBHOOK_TYPES = ["ready_to_confirm", "payment_finished", "payment_refunded"] as const;
export type KnownWebhookType = (typeof KNOWN_WEBHOOK_TYPES)[number];

export const KnownWebhookSchema = z
  .looseObject({
    type: z.enum(KNOWN_WEBHOOK_TYPES),
    session: PaymentSessionSchema,
    confirm_information: ConfirmInformationSchema.optional(),
  })
  .transform((w) => ({ ...w, known: true as const }));
export type KnownWebhook = z.output<typeof KnownWebhookSchema>;

/** Any other `type` (action_required, ready_to_capture, escrow top-ups, …) is kept raw, never rejected. */
export interface UnknownWebhook {
  known: false;
  type: string;
  raw: Record<string, unknown>;
}
export type Webhook = KnownWebhook | UnknownWebhook;

const KNOWN_WEBHOOK_TYPE_SET: ReadonlySet<string> = new Set(KNOWN_WEBHOOK_TYPES);

/** Webhook body (already JSON-parsed, signature already verified) in either spelling → canonical. */
export const WebhookSchema: z.ZodType<Webhook> = z
  .looseObject({ type: z.string() })
  .transform((body, ctx): Webhook => {
    if (!KNOWN_WEBHOOK_TYPE_SET.has(body.type)) return { known: false, type: body.type, raw: body };
    const parsed = KnownWebhookSchema.safeParse(body, PARSE_PARAMS);
    if (parsed.success) return parsed.data;
    forwardIssues(ctx, parsed.error);
    return z.NEVER;
  });

// ---- responses ------------------------------------------------------------------------------------

const ok = z.literal("ok", msg('must be "ok"'));

export const SessionResponseSchema = z.looseObject({ status: ok, session: PaymentSessionSchema });
export type SessionResponse = z.output<typeof SessionResponseSchema>;

/** `token` → `{status:"ok", public_token}` (64 hex in examples). */
export const PublicTokenResponseSchema = z.looseObject({ status: ok, public_token: z.string().min(1) });
export type PublicTokenResponse = z.output<typeof PublicTokenResponseSchema>;

/** `tokenize` → `{status:"ok", token, data:{masked_account}}`. */
export const TokenizeResponseSchema = z.looseObject({
  status: ok,
  token: z.string().min(1),
  data: z.looseObject({ masked_account: z.string().optional() }).optional(),
});
export type TokenizeResponse = z.output<typeof TokenizeResponseSchema>;

/** `token/info` → `{status:"ok", info}`. */
export const TokenInfoResponseSchema = z.looseObject({ status: ok, info: TokenInfoSchema });
export type TokenInfoResponse = z.output<typeof TokenInfoResponseSchema>;

// ---- requests -------------------------------------------------------------------------------------

export const TokenRequestSchema = z
  .object({
    tokenize_widget: z.looseObject({ access: z.boolean(), locale: z.string().optional() }).optional(),
    acquiring_widget: z
      .looseObject({
        session_id: nonEmpty(),
        success_return_url: z.string().optional(),
        failure_return_url: z.string().optional(),
        show_recurrent_checkbox: z.union([z.boolean(), z.string()]).optional(),
      })
      .optional(),
    self_employed_widget: z.looseObject({ tax_reference: digits("12", "12 digits") }).optional(),
    fps_no_account_widget: z.looseObject({ session_id: nonEmpty() }).optional(),
  })
  .superRefine((body, ctx) => {
    if (!body.tokenize_widget && !body.acquiring_widget && !body.self_employed_widget && !body.fps_no_account_widget) {
      ctx.addIssue({ code: "custom", path: ["tokenize_widget"], message: "at least one widget object is required" });
    }
  });
export type TokenRequest = z.input<typeof TokenRequestSchema>;

/** Only `bank_account_ru` is documented. */
export const TokenizeRequestSchema = z.object({
  type: z.literal("bank_account_ru", msg('must be "bank_account_ru"')),
  bank_account_ru: z.object({ bik: digits("9", "9 digits"), account: digits("20", "20 digits") }),
});
export type TokenizeRequest = z.input<typeof TokenizeRequestSchema>;

export const TokenInfoRequestSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("card"), card: CardRequestSchema }),
  z.object({ type: z.literal("public_token"), public_token: z.object({ token: nonEmpty() }) }),
  z.object({ type: z.literal("recurrent_token"), recurrent_token: z.object({ token: nonEmpty() }) }),
]);
export type TokenInfoRequest = z.input<typeof TokenInfoRequestSchema>;

/** Request-side confirm_information: echoed verbatim, so only its canonical spelling is checked. */
export const ConfirmInformationRequestSchema = z.looseObject({
  transfer_details: CanonicalTransferDetailsSchema.optional(),
  account_details: LooseRecord.optional(),
  exchanges: z.array(LooseRecord).optional(),
});

const sessionBodyShape = {
  payout_details: PayoutDetailsRequestSchema.optional(),
  payment_details: PaymentDetailsRequestSchema.optional(),
  amount_details: AmountDetailsSchema.optional(),
  fiscalization_details: FiscalizationDetailsRequestSchema.optional(),
  participant_details: ParticipantDetailsSchema.optional(),
  customer: CustomerRequestSchema.optional(),
  payment_options: LooseRecord.optional(),
  metadata: z.unknown().optional(),
};

/** Everything optional; whatever is missing must come in the start call. */
export const SessionCreateRequestSchema = z.object(sessionBodyShape);
export type SessionCreateRequest = z.input<typeof SessionCreateRequestSchema>;

/** Instrument and amount are mandatory here only if not given at create: the server checks that. */
export const SessionStartPayoutRequestSchema = z.object({ session_id: nonEmpty(), ...sessionBodyShape });
export type SessionStartPayoutRequest = z.input<typeof SessionStartPayoutRequestSchema>;

export const SessionInitPayoutRequestSchema = z.object({
  ...sessionBodyShape,
  payout_details: PayoutDetailsRequestSchema,
  amount_details: AmountDetailsSchema,
});
export type SessionInitPayoutRequest = z.input<typeof SessionInitPayoutRequestSchema>;

const NominalTransferRequestSchema = z.object({
  type: z.literal("internal_transfer", msg('must be "internal_transfer"')),
  internal_transfer: z.object({
    type: z.literal("transfer_from_nominal_account", msg('must be "transfer_from_nominal_account"')),
    transfer_from_nominal_account: InternalTransferTargetRequestSchema,
  }),
});
const RkoTransferRequestSchema = z.object({
  type: z.literal("internal_transfer", msg('must be "internal_transfer"')),
  internal_transfer: z.object({
    type: z.literal("transfer_from_bank_account", msg('must be "transfer_from_bank_account"')),
    transfer_from_bank_account: InternalTransferTargetRequestSchema,
  }),
});

/** Escrow: the sender's beneficiary INN is mandatory (D-RUCARD, SEED-4). */
const EscrowParticipantDetailsSchema = z.looseObject({
  sender: ParticipantSchema.extend({ beneficiary_id: nonEmpty() }),
  recipient: ParticipantSchema.optional(),
});

const nominalStartShape = {
  ...sessionBodyShape,
  payout_details: PayoutDetailsRequestSchema,
  amount_details: AmountDetailsSchema,
  payment_details: NominalTransferRequestSchema,
  participant_details: EscrowParticipantDetailsSchema,
};
const rkoStartShape = {
  ...sessionBodyShape,
  payout_details: PayoutDetailsRequestSchema,
  amount_details: AmountDetailsSchema,
  payment_details: RkoTransferRequestSchema,
};

/** Single-call escrow payout. Field rules beyond SEED-4 are UNCONFIRMED; modelled like multi/start. */
export const SessionInitPayoutNominalRequestSchema = z.object(nominalStartShape);
export type SessionInitPayoutNominalRequest = z.input<typeof SessionInitPayoutNominalRequestSchema>;

/** Single-call settlement-account payout. */
export const SessionInitPayoutRkoRequestSchema = z.object(rkoStartShape);
export type SessionInitPayoutRkoRequest = z.input<typeof SessionInitPayoutRkoRequestSchema>;

export const SessionMultiCreateNominalRequestSchema = z.object(sessionBodyShape);
export type SessionMultiCreateNominalRequest = z.input<typeof SessionMultiCreateNominalRequestSchema>;

/** SEED-4 step 4. */
export const SessionMultiStartPaymentNominalRequestSchema = z.object({ session_id: nonEmpty(), ...nominalStartShape });
export type SessionMultiStartPaymentNominalRequest = z.input<typeof SessionMultiStartPaymentNominalRequestSchema>;

export const SessionMultiInitPaymentNominalRequestSchema = z.object(nominalStartShape);
export type SessionMultiInitPaymentNominalRequest = z.input<typeof SessionMultiInitPaymentNominalRequestSchema>;

/** confirm and cancel: escrow operations must echo `confirm_information` from ready_to_confirm. */
export const SessionConfirmRequestSchema = z.object({
  session_id: nonEmpty(),
  confirm_information: ConfirmInformationRequestSchema.optional(),
});
export type SessionConfirmRequest = z.input<typeof SessionConfirmRequestSchema>;
export const SessionCancelRequestSchema = SessionConfirmRequestSchema;
export type SessionCancelRequest = SessionConfirmRequest;

export const SessionStatusRequestSchema = z.object({ session_id: nonEmpty() });
export type SessionStatusRequest = z.input<typeof SessionStatusRequestSchema>;

/**
 * Payout with fiscalization (self-employed recipient): the init/payout body plus mandatory
 * `fiscalization_details.professional_income_taxpayer`; the SDK builder also requires the recipient's name.
 */
const FiscalRecipientDetailsSchema = z.looseObject({
  sender: ParticipantSchema.optional(),
  recipient: ParticipantSchema.extend({ full_name: nonEmpty() }),
});
export const SessionInitPayoutFiscalizationRequestSchema = z.object({
  ...sessionBodyShape,
  payout_details: PayoutDetailsRequestSchema,
  amount_details: AmountDetailsSchema,
  participant_details: FiscalRecipientDetailsSchema,
  fiscalization_details: FiscalizationDetailsRequestSchema,
});
export type SessionInitPayoutFiscalizationRequest = z.input<typeof SessionInitPayoutFiscalizationRequestSchema>;

/** Like session/start/payout: anything given at session/create may be left out (the server checks). */
export const SessionStartPayoutFiscalizationRequestSchema = z.object({ session_id: nonEmpty(), ...sessionBodyShape });
export type SessionStartPayoutFiscalizationRequest = z.input<typeof SessionStartPayoutFiscalizationRequestSchema>;

/** Standalone income registration for a session (docs, RU methods list): returns the receipt. */
export const FiscalizationRequestSchema = z.object({
  session_id: nonEmpty(),
  fiscalization_details: FiscalizationDetailsRequestSchema,
});
export type FiscalizationRequest = z.input<typeof FiscalizationRequestSchema>;
/** Response shape UNCONFIRMED (docs give none): the registered details with their receipt. */
export const FiscalizationResponseSchema = z.looseObject({ status: ok, fiscalization_details: FiscalizationDetailsSchema });
export type FiscalizationResponse = z.output<typeof FiscalizationResponseSchema>;

/** `npd/check`: asks the tax service about an INN; the answer comes from `npd/request/status`. */
export const NpdCheckRequestSchema = z.object({ tax_reference: TaxReferenceSchema });
export type NpdCheckRequest = z.input<typeof NpdCheckRequestSchema>;
/** `ok` or `pending` are both success answers of the npd methods (third-party client code). */
const okOrPending = z.enum(["ok", "pending"], msg('must be "ok" or "pending"'));
export const NpdCheckResponseSchema = z.looseObject({ status: okOrPending, request_id: z.string().min(1) });
export type NpdCheckResponse = z.output<typeof NpdCheckResponseSchema>;

export const NpdRequestStatusRequestSchema = z.object({ request_id: nonEmpty() });
export type NpdRequestStatusRequest = z.input<typeof NpdRequestStatusRequestSchema>;
/** `pending`: ask again later; `ok`: the two flags are the tax service's answer. */
export const NpdRequestStatusResponseSchema = z
  .looseObject({
    status: okOrPending,
    request_id: z.string().optional(),
    is_professional_income_taxpayer: z.boolean().optional(),
    is_linked: z.boolean().optional(),
  })
  .superRefine((r, ctx) => {
    if (r.status !== "ok") return;
    for (const key of ["is_professional_income_taxpayer", "is_linked"] as const) {
      if (r[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: 'is required when status is "ok"' });
    }
  });
export type NpdRequestStatusResponse = z.output<typeof NpdRequestStatusResponseSchema>;

/** `fps/banks` takes no body (GET). */
export const FpsBanksRequestSchema = z.object({});
export type FpsBanksRequest = z.input<typeof FpsBanksRequestSchema>;
export const FpsBankSchema = z.looseObject({ id: z.string().min(1), eng_name: z.string().optional(), ru_name: z.string().optional() });
export type FpsBank = z.output<typeof FpsBankSchema>;
/** SDK `FpsBanksListResponse`: `banks`; whether `status` is sent too is UNCONFIRMED, so it is optional. */
export const FpsBanksResponseSchema = z.looseObject({ status: ok.optional(), banks: z.array(FpsBankSchema) });
export type FpsBanksResponse = z.output<typeof FpsBanksResponseSchema>;

/**
 * `fps/customer_verification` (SDK `FpsVerificationRequest`: a session request with the verification
 * instrument in payout_details and the recipient's name in participant_details) → a session whose payout
 * succeeds when the phone at that bank belongs to the named person.
 */
export const FpsVerificationDetailsRequestSchema = z.object({
  type: z.literal("bank_account", msg('must be "bank_account"')),
  bank_account: z.object({
    system_type: z.literal("faster_payment_system_verification", msg('must be "faster_payment_system_verification"')),
    faster_payment_system_verification: z.object({ phone: FpsPhoneSchema, bank_id: FpsBankIdSchema }),
  }),
});
const VerifiedRecipientSchema = ParticipantSchema.superRefine((r, ctx) => {
  if (r.full_name === undefined && (r.first_name === undefined || r.last_name === undefined)) {
    ctx.addIssue({ code: "custom", path: ["last_name"], message: "first_name and last_name (or full_name) are required" });
  }
});
export const FpsCustomerVerificationRequestSchema = z.object({
  payout_details: FpsVerificationDetailsRequestSchema,
  participant_details: z.looseObject({ recipient: VerifiedRecipientSchema }),
  metadata: z.unknown().optional(),
});
export type FpsCustomerVerificationRequest = z.input<typeof FpsCustomerVerificationRequestSchema>;

// ---- method table ---------------------------------------------------------------------------------

export const BANK131_METHODS = [
  "token",
  "tokenize",
  "token/info",
  "session/create",
  "session/start/payout",
  "session/init/payout",
  "session/init/payout/nominal",
  "session/init/payout/rko",
  "session/multi/create/nominal",
  "session/multi/start/payment/nominal",
  "session/multi/init/payment/nominal",
  "session/confirm",
  "session/cancel",
  "session/status",
  "session/init/payout/fiscalization",
  "session/start/payout/fiscalization",
  "fiscalization",
  "npd/check",
  "npd/request/status",
  "fps/banks",
  "fps/customer_verification",
] as const;
export type Bank131Method = (typeof BANK131_METHODS)[number];

const V1_ONLY = [1] as const satisfies readonly ApiVersion[];
const V1_V2 = [1, 2] as const satisfies readonly ApiVersion[];

/** Each method with the API versions it is served under, and its canonical request/response schemas. */
export const METHOD_SPECS = {
  token: { versions: V1_ONLY, request: TokenRequestSchema, response: PublicTokenResponseSchema },
  tokenize: { versions: V1_ONLY, request: TokenizeRequestSchema, response: TokenizeResponseSchema },
  "token/info": { versions: V1_ONLY, request: TokenInfoRequestSchema, response: TokenInfoResponseSchema },
  "session/create": { versions: V1_V2, request: SessionCreateRequestSchema, response: SessionResponseSchema },
  "session/start/payout": {
    versions: V1_V2,
    request: SessionStartPayoutRequestSchema,
    response: SessionResponseSchema,
  },
  "session/init/payout": { versions: V1_V2, request: SessionInitPayoutRequestSchema, response: SessionResponseSchema },
  "session/init/payout/nominal": {
    versions: V1_V2,
    request: SessionInitPayoutNominalRequestSchema,
    response: SessionResponseSchema,
  },
  "session/init/payout/rko": {
    versions: V1_V2,
    request: SessionInitPayoutRkoRequestSchema,
    response: SessionResponseSchema,
  },
  "session/multi/create/nominal": {
    versions: V1_V2,
    request: SessionMultiCreateNominalRequestSchema,
    response: SessionResponseSchema,
  },
  "session/multi/start/payment/nominal": {
    versions: V1_V2,
    request: SessionMultiStartPaymentNominalRequestSchema,
    response: SessionResponseSchema,
  },
  "session/multi/init/payment/nominal": {
    versions: V1_V2,
    request: SessionMultiInitPaymentNominalRequestSchema,
    response: SessionResponseSchema,
  },
  "session/confirm": { versions: V1_V2, request: SessionConfirmRequestSchema, response: SessionResponseSchema },
  "session/cancel": { versions: V1_V2, request: SessionCancelRequestSchema, response: SessionResponseSchema },
  "session/status": { versions: V1_V2, request: SessionStatusRequestSchema, response: SessionResponseSchema },
  "session/init/payout/fiscalization": {
    versions: V1_V2,
    request: SessionInitPayoutFiscalizationRequestSchema,
    response: SessionResponseSchema,
  },
  "session/start/payout/fiscalization": {
    versions: V1_V2,
    request: SessionStartPayoutFiscalizationRequestSchema,
    response: SessionResponseSchema,
  },
  // v1 only: the docs' v2 list does not name fiscalization or the npd methods.
  fiscalization: { versions: V1_ONLY, request: FiscalizationRequestSchema, response: FiscalizationResponseSchema },
  "npd/check": { versions: V1_ONLY, request: NpdCheckRequestSchema, response: NpdCheckResponseSchema, successStatuses: ["ok", "pending"] },
  "npd/request/status": {
    versions: V1_ONLY,
    request: NpdRequestStatusRequestSchema,
    response: NpdRequestStatusResponseSchema,
    successStatuses: ["ok", "pending"],
  },
  // SDK FpsApi: GET api/{v2 default|v1}/fps/banks.
  "fps/banks": { versions: V1_V2, request: FpsBanksRequestSchema, response: FpsBanksResponseSchema, http: "GET", statusOptional: true },
  "fps/customer_verification": {
    versions: V1_V2,
    request: FpsCustomerVerificationRequestSchema,
    response: SessionResponseSchema,
  },
} as const satisfies Record<Bank131Method, MethodSpec>;

interface MethodSpec {
  versions: readonly ApiVersion[];
  request: z.ZodType;
  response: z.ZodType;
  /** HTTP verb (default POST). */
  http?: "GET" | "POST";
  /** `status` values that mean success (default only "ok"). */
  successStatuses?: readonly string[];
  /** The success answer may come without `status` at all. */
  statusOptional?: boolean;
}

/** HTTP verb of a method: POST for everything but `fps/banks`. */
export function methodHttpVerb(method: Bank131Method): "GET" | "POST" {
  const spec: MethodSpec = METHOD_SPECS[method];
  return spec.http ?? "POST";
}

/** Whether `status` (possibly absent) is a success answer of `method`. */
export function isSuccessStatus(method: Bank131Method, status: unknown): boolean {
  const spec: MethodSpec = METHOD_SPECS[method];
  if (status === undefined) return spec.statusOptional === true;
  return (spec.successStatuses ?? ["ok"]).includes(status as string);
}

type Specs = typeof METHOD_SPECS;
/** Canonical (v2-named) request body type of a method, as accepted by the client (input side). */
export type RequestOf<M extends Bank131Method> = z.input<Specs[M]["request"]>;
/** Validated canonical request body of a method (output side). */
export type ParsedRequestOf<M extends Bank131Method> = z.output<Specs[M]["request"]>;
/** Canonical response of a method. */
export type ResponseOf<M extends Bank131Method> = z.output<Specs[M]["response"]>;

/** Versions a method is served under (token, tokenize, token/info: v1 only; sessions: v1 and v2). */
export const METHOD_VERSIONS: { readonly [M in Bank131Method]: readonly ApiVersion[] } = Object.fromEntries(
  BANK131_METHODS.map((m) => [m, METHOD_SPECS[m].versions]),
) as unknown as { [M in Bank131Method]: readonly ApiVersion[] };

export function isBank131Method(value: string): value is Bank131Method {
  return (BANK131_METHODS as readonly string[]).includes(value);
}

export function isMethodServedUnder(method: Bank131Method, version: ApiVersion): boolean {
  return METHOD_SPECS[method].versions.some((v) => v === version);
}

/** URL path of a method, e.g. `/api/v2/session/init/payout`. */
export function methodPath(method: Bank131Method, version: ApiVersion): string {
  return `/api/v${version}/${method}`;
}

/** Parses `/api/v1/session/create` (optionally with a prefix before /api) into method + version. */
export function parseMethodPath(path: string): { method: Bank131Method; version: ApiVersion } | null {
  const match = /\/api\/v([12])\/([a-z/_]+?)\/?$/.exec(path.split("?")[0] ?? "");
  if (!match) return null;
  const version = Number(match[1]) as ApiVersion;
  const method = match[2] ?? "";
  return isBank131Method(method) ? { method, version } : null;
}

// ---- version-aware request validation -------------------------------------------------------------

/** Parse-level error map: a missing field reads "is required" unless the schema set its own message. */
const PARSE_PARAMS = {
  error: (issue: { code?: string; input?: unknown }) =>
    (issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined
      ? "is required"
      : undefined,
};

function forwardIssues(ctx: z.RefinementCtx, error: z.ZodError, mapPath = (p: PropertyKey[]) => p): void {
  for (const issue of error.issues) {
    ctx.addIssue({ code: "custom", message: issueMessage(issue), path: mapPath([...issue.path]) });
  }
}

/** Finds a key spelled for the other API version (root or confirm_information.transfer_details). */
function wrongSpellingPath(raw: unknown, wrongKey: string): PropertyKey[] | null {
  if (!isPlainObject(raw)) return null;
  if (wrongKey in raw) return [wrongKey];
  const ci = raw.confirm_information;
  if (isPlainObject(ci) && isPlainObject(ci.transfer_details) && wrongKey in ci.transfer_details) {
    return ["confirm_information", "transfer_details", wrongKey];
  }
  return null;
}

const requestSchemaCache = new Map<string, z.ZodType>();

/**
 * Validates a raw request body spelled for `apiVersion` (v1: `payment_method`, v2: `payout_details`) and
 * outputs the canonical (v2-named) body. The other version's spelling is rejected with a clear message;
 * issue paths are reported in the spelling the caller used. Missing fields read "is required".
 */
export function requestSchemaFor<M extends Bank131Method>(
  method: M,
  apiVersion: ApiVersion,
): z.ZodType<ParsedRequestOf<M>, unknown> {
  const cacheKey = `${method}@${apiVersion}`;
  const cached = requestSchemaCache.get(cacheKey);
  if (cached) return cached as z.ZodType<ParsedRequestOf<M>, unknown>;

  const canonical = METHOD_SPECS[method].request as z.ZodType;
  const [wrongKey, rightKey] = apiVersion === 1 ? ["payout_details", "payment_method"] : ["payment_method", "payout_details"];
  const schema = z.unknown().transform((raw, ctx) => {
    if (!isPlainObject(raw)) {
      ctx.addIssue({ code: "custom", path: [], message: "request body must be a JSON object" });
      return z.NEVER;
    }
    const wrongPath = wrongSpellingPath(raw, wrongKey);
    if (wrongPath) {
      ctx.addIssue({
        code: "custom",
        path: wrongPath,
        message: `is not accepted in API v${apiVersion}; use ${rightKey}`,
      });
      return z.NEVER;
    }
    const parsed = canonical.safeParse(requestFromWire(raw, apiVersion), PARSE_PARAMS);
    if (parsed.success) return parsed.data;
    forwardIssues(ctx, parsed.error, apiVersion === 1 ? pathToV1 : undefined);
    return z.NEVER;
  });
  requestSchemaCache.set(cacheKey, schema);
  return schema as z.ZodType<ParsedRequestOf<M>, unknown>;
}

/** Convenience: validate and report `{ok:false, description}` ready for an `invalid_request` error. */
export function validateRequest<M extends Bank131Method>(
  method: M,
  apiVersion: ApiVersion,
  body: unknown,
): { ok: true; data: ParsedRequestOf<M> } | { ok: false; description: string } {
  const parsed = requestSchemaFor(method, apiVersion).safeParse(body);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, description: describeZodError(parsed.error) };
}

/**
 * First zod issue as `field.path: message`, e.g. `amount_details.amount: must be a positive integer`.
 * Never includes the offending value (it may be a card number).
 */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  const path = formatPath(issue.path);
  const message = issueMessage(issue);
  return path ? `${path}: ${message}` : message;
}

/** zod's defaults for enums/discriminators are rephrased; everything else keeps the schema's message. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) {
    return `must be one of ${issue.options.map((o) => String(o)).join(", ")}`;
  }
  if (issue.code === "invalid_value" && issue.message.startsWith("Invalid")) {
    return `must be one of ${issue.values.map((o) => String(o)).join(", ")}`;
  }
  return issue.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}
