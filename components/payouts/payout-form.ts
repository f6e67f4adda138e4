import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldError, FieldErrors, Resolver, ResolverOptions } from "react-hook-form";
import { fieldErrorMessage, zodErrorMap } from "@/lib/i18n/errors";
import { parseRublesToKopecks, type ParseRublesResult } from "@/lib/money";
import {
  CreatePayoutRequestSchema,
  type CreatePayoutRequest,
  type CreatePayoutRequestInput,
  type PAYOUT_METHODS,
  type SOURCE_ACCOUNTS,
} from "@/lib/payouts/schemas";

/**
 * The create-payout form's values and its resolver: react-hook-form with zodResolver over the
 * server's own schema (`CreatePayoutRequestSchema`), worded by the Russian zod error map. The form
 * holds what a person types (rubles, a picked card); the resolver turns it into the domain input.
 */

export type PayoutMethod = (typeof PAYOUT_METHODS)[number];
export type SourceAccount = (typeof SOURCE_ACCOUNTS)[number];

/** A saved card picked from the lookup, by its opaque id (the server holds the hash or token). */
export interface SavedChoice {
  id: string;
}

export interface FormValues {
  amount: string;
  recipientName: string;
  recipientEmail: string;
  reference: string;
  purpose: string;
  method: PayoutMethod;
  sourceAccount: SourceAccount;
  beneficiaryInn: string;
  beneficiaryName: string;
  savedCard: SavedChoice | null;
  recurrentToken: string;
  sbpPhone: string;
  /** Self-employed (НПД): the receipt's INN and services (amounts typed in rubles). */
  selfEmployed: boolean;
  selfEmployedInn: string;
  services: ServiceValues[];
}

export interface ServiceValues {
  name: string;
  amount: string;
  quantity: string;
}

export const EMPTY_SERVICE: ServiceValues = { name: "", amount: "", quantity: "1" };

export const EMPTY_FORM: FormValues = {
  amount: "",
  recipientName: "",
  recipientEmail: "",
  reference: "",
  purpose: "",
  method: "card_widget",
  sourceAccount: "regular",
  beneficiaryInn: "",
  beneficiaryName: "",
  savedCard: null,
  recurrentToken: "",
  sbpPhone: "",
  selfEmployed: false,
  selfEmployedInn: "",
  services: [EMPTY_SERVICE],
};

/** Fields that can carry an error, in the order they appear on the page (focus goes to the first). */
export const FIELD_ORDER = [
  "amount",
  "recipientName",
  "recipientEmail",
  "reference",
  "purpose",
  "method",
  "savedCard",
  "recurrentToken",
  "sbpPhone",
  "sourceAccount",
  "beneficiaryInn",
  "beneficiaryName",
  "selfEmployedInn",
  "services",
] as const satisfies ReadonlyArray<keyof FormValues>;
export type FieldName = (typeof FIELD_ORDER)[number];

/** Which form field a domain path (a schema issue's or a server's `field`) belongs to. */
export function fieldOf(path: string, method: PayoutMethod): FieldName | undefined {
  const head = path.split(".")[0];
  if (head === "amountKopecks") return "amount";
  if (head === "savedInstrument") return method === "recurrent" ? "recurrentToken" : "savedCard";
  if (head === "selfEmployed") return path.startsWith("selfEmployed.inn") ? "selfEmployedInn" : "services";
  return (FIELD_ORDER as readonly string[]).includes(head ?? "") ? (head as FieldName) : undefined;
}

function toDomainInput(values: FormValues, amount: ParseRublesResult): CreatePayoutRequestInput {
  const escrow = values.sourceAccount === "escrow";
  const saved = values.savedCard;
  return {
    amountKopecks: amount.ok ? amount.kopecks : (undefined as unknown as number),
    currency: "rub",
    recipientName: values.recipientName,
    recipientEmail: values.recipientEmail,
    reference: values.reference,
    purpose: values.purpose,
    method: values.method,
    sourceAccount: values.sourceAccount,
    // Hidden fields are not sent: the beneficiary only matters for escrow.
    beneficiaryInn: escrow ? values.beneficiaryInn : undefined,
    beneficiaryName: escrow ? values.beneficiaryName : undefined,
    sbpPhone: values.method === "sbp" ? values.sbpPhone : undefined,
    savedInstrument:
      values.method === "card_saved" && saved
        ? { kind: "saved", id: saved.id }
        : values.method === "recurrent" && values.recurrentToken.trim() !== ""
          ? { kind: "recurrent", token: values.recurrentToken }
          : undefined,
    selfEmployed: values.selfEmployed
      ? {
          inn: values.selfEmployedInn,
          services: values.services.map((service) => {
            const amount = parseRublesToKopecks(service.amount);
            const quantity = Number(service.quantity);
            return {
              name: service.name,
              amountKopecks: amount.ok ? amount.kopecks : (undefined as unknown as number),
              quantity: service.quantity.trim() !== "" && Number.isFinite(quantity) ? quantity : (undefined as unknown as number),
            };
          }),
        }
      : undefined,
  };
}

/** The first message in a (possibly nested) RHF error: `savedInstrument.token` → its message. */
function firstMessage(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { message } = error as { message?: unknown };
  if (typeof message === "string") return message;
  for (const [key, inner] of Object.entries(error)) {
    if (key === "ref") continue;
    const found = firstMessage(inner);
    if (found) return found;
  }
  return undefined;
}

const domainResolver = zodResolver(CreatePayoutRequestSchema, { error: zodErrorMap("ru") });

/** The amount is typed in rubles and checked against the portal's limit; everything else by the schema. */
export function payoutFormResolver(maxKopecks: number): Resolver<FormValues, unknown, CreatePayoutRequest> {
  return async (values, context, options) => {
    const amount = parseRublesToKopecks(values.amount);
    const result = await domainResolver(toDomainInput(values, amount), context, options as unknown as ResolverOptions<CreatePayoutRequestInput>);
    const errors: Partial<Record<FieldName, FieldError>> = {};
    for (const [path, error] of Object.entries(result.errors)) {
      const field = fieldOf(path, values.method);
      const message = firstMessage(error);
      if (field && message && !errors[field]) errors[field] = { type: "validate", message };
    }
    if (!amount.ok) errors.amount = { type: "validate", message: amount.reason };
    else if (amount.kopecks > maxKopecks) {
      errors.amount = { type: "validate", message: fieldErrorMessage({ code: "validation", field: "amountKopecks", params: { issue: "too_big", maximum: maxKopecks } }) };
    }
    if (Object.keys(errors).length > 0) return { values: {}, errors: errors as FieldErrors<FormValues> };
    return { values: result.values as CreatePayoutRequest, errors: {} };
  };
}
