import type { z } from "zod";
import { formatKopecks, parseRublesToKopecks } from "@/lib/money";
import { CreatePayoutRequestSchema, type CreatePayoutRequest, type PAYOUT_METHODS, type SOURCE_ACCOUNTS } from "@/lib/payouts/schemas";

/**
 * The create-payout form's state and its validation, with the server's own schema
 * (`CreatePayoutRequestSchema`), so the browser and the server apply the same rules. Messages are
 * shown in Russian: checks from lib/validation and lib/money already speak it; the few English
 * sentences of the shared schema are reworded here per field.
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
}

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
  "sourceAccount",
  "beneficiaryInn",
  "beneficiaryName",
] as const;
export type FieldName = (typeof FIELD_ORDER)[number];
export type FieldErrors = Partial<Record<FieldName, string>>;

/** Which form field a schema path (or a server's `field`) belongs to. */
export function fieldOf(path: string, method: PayoutMethod): FieldName | undefined {
  const head = path.split(".")[0];
  switch (head) {
    case "amountKopecks":
      return "amount";
    case "savedInstrument":
      return method === "recurrent" ? "recurrentToken" : "savedCard";
    case "currency":
      return undefined;
    default:
      return (FIELD_ORDER as readonly string[]).includes(head ?? "") ? (head as FieldName) : undefined;
  }
}

const CYRILLIC = /[А-Яа-яЁё]/u;

/** A Russian sentence for a schema issue on `field`. */
export function russianMessage(field: FieldName, issue: Pick<z.core.$ZodIssue, "code" | "message">): string {
  if (CYRILLIC.test(issue.message)) return issue.message;
  const code = issue.code;
  switch (field) {
    case "amount":
      return "Введите сумму.";
    case "recipientName":
      return "Проверьте ФИО получателя.";
    case "recipientEmail":
      return "Введите email целиком, например ivan@example.ru, или оставьте поле пустым.";
    case "reference":
      return "Не длиннее 64 символов.";
    case "purpose":
      return code === "too_big" ? "Не длиннее 210 символов." : "Опишите назначение выплаты: не короче 3 символов.";
    case "method":
      return code === "custom"
        ? "С номинального счёта выплачивают только на карту: через виджет банка или на сохранённую карту."
        : "Выберите способ выплаты.";
    case "sourceAccount":
      return "Выберите счёт списания.";
    case "beneficiaryInn":
      return "Для выплаты с номинального счёта укажите ИНН бенефициара.";
    case "beneficiaryName":
      return code === "too_big" ? "Не длиннее 160 символов." : code === "too_small" ? "Не короче 2 символов." : "Укажите наименование бенефициара.";
    case "savedCard":
      return "Выберите сохранённую карту получателя.";
    case "recurrentToken":
      if (code === "too_small") return "Токен слишком короткий: нужно не меньше 16 символов.";
      if (code === "too_big") return "Токен слишком длинный: не больше 128 символов.";
      if (code === "invalid_format") return "Токен может содержать только латинские буквы, цифры, «-» и «_».";
      return "Укажите рекуррентный токен.";
  }
}

/** A server's field error (`"amountKopecks: must be at most 600 000,00 ₽"`) in Russian. */
export function russianServerMessage(field: FieldName, message: string): string {
  const text = message.replace(/^[\w.]+:\s*/, "");
  if (CYRILLIC.test(text)) return text;
  const atMost = /must be at most (.+)$/.exec(text);
  if (field === "amount" && atMost) return `Сумма больше допустимой: не более ${atMost[1]}.`;
  return russianMessage(field, { code: "custom", message: text });
}

/** Valid values that stand in for broken fields while the cross-field rules are checked. */
const STAND_INS: Record<string, unknown> = {
  amountKopecks: 100,
  currency: "rub",
  recipientName: "Иван Петров",
  recipientEmail: undefined,
  reference: undefined,
  purpose: "Выплата",
  method: "card_widget",
  sourceAccount: "regular",
  beneficiaryInn: "7707083893",
  beneficiaryName: "ООО Ромашка",
};

function standInInstrument(method: PayoutMethod): unknown {
  if (method === "card_saved") return { kind: "card_hash", numberHash: "0".repeat(64) };
  if (method === "recurrent") return { kind: "recurrent", token: "stand-in-token-0000" };
  return undefined;
}

export type Validation =
  | { ok: true; data: CreatePayoutRequest; errors: FieldErrors; amountKopecks: number }
  | { ok: false; errors: FieldErrors; amountKopecks: number | null };

/** Runs the shared schema over the form; every field gets its first problem. */
export function validateForm(values: FormValues, maxKopecks: number): Validation {
  const amount = parseRublesToKopecks(values.amount);
  const escrow = values.sourceAccount === "escrow";
  const input = {
    amountKopecks: amount.ok ? amount.kopecks : undefined,
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
    savedInstrument:
      values.method === "card_saved"
        ? values.savedCard
          ? { kind: "saved", id: values.savedCard.id }
          : undefined
        : values.method === "recurrent" && values.recurrentToken.trim() !== ""
          ? { kind: "recurrent", token: values.recurrentToken }
          : undefined,
  };
  const errors: FieldErrors = {};
  const collect = (issues: readonly z.core.$ZodIssue[]) => {
    for (const issue of issues) {
      const field = fieldOf(issue.path.map(String).join("."), values.method);
      if (field && !errors[field]) errors[field] = russianMessage(field, issue);
    }
  };
  const parsed = CreatePayoutRequestSchema.safeParse(input);
  if (!parsed.success) {
    collect(parsed.error.issues);
    // zod skips the schema's cross-field rules (escrow needs a beneficiary, …) while any field is
    // invalid. Run them too, with the broken fields stood in for, so every problem shows at once.
    const broken = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
    const patched: Record<string, unknown> = { ...input };
    for (const key of broken) patched[key] = key === "savedInstrument" ? standInInstrument(values.method) : STAND_INS[key];
    const crossField = CreatePayoutRequestSchema.safeParse(patched);
    if (!crossField.success) collect(crossField.error.issues.filter((issue) => !broken.has(String(issue.path[0]))));
  }
  if (!amount.ok) errors.amount = amount.reason;
  else if (amount.kopecks > maxKopecks) errors.amount = `Сумма больше допустимой: не более ${formatKopecks(maxKopecks)}.`;
  const amountKopecks = amount.ok ? amount.kopecks : null;
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, data: parsed.data, errors, amountKopecks: amountKopecks! };
  return { ok: false, errors, amountKopecks };
}
