import { z } from "zod";
import { stripSpaces, validateAccount, validateBik, validateInn, validateRecipientName, validateRuPhone, type CheckResult } from "./ru-banking";

/**
 * The zod forms of lib/validation/ru-banking.ts, for the server's edges. Kept apart so that the
 * browser's copy of the checks (the recipient's account form) ships without a schema library.
 */

// zod wrappers. Messages are Russian (the portal's language); `params` carries the code and English text.

function schemaFor(check: (value: string) => CheckResult) {
  return z.string().transform((value, ctx) => {
    const result = check(value);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message.ru, params: { code: result.code, en: result.message.en } });
      return z.NEVER;
    }
    return result.value;
  });
}

// Control characters (U+0000 above all: PostgreSQL text cannot hold it) have no place in typed text.
const CONTROL_CHARACTER_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;

/** Free text (purpose, reference, names, reasons): no control characters, else an issue naming the field. */
export function rejectControlCharacters(value: string, ctx: z.core.$RefinementCtx<string>): void {
  if (CONTROL_CHARACTER_RE.test(value)) {
    ctx.addIssue({
      code: "custom",
      message: "Текст содержит недопустимый управляющий символ.",
      params: { code: "invalid_characters", en: "must not contain control characters" },
    });
  }
}

/** INN string → normalised INN (spaces removed). */
export const innSchema = schemaFor(validateInn);
/** BIK string → normalised BIK. */
export const bikSchema = schemaFor(validateBik);
/** Full name → normalised full name. */
export const recipientNameSchema = schemaFor(validateRecipientName);

/**
 * `{ bik, account }` with the account's control key checked against the BIK; an account problem is reported
 * on the `account` path (a BIK problem on `bik` only, without a second, derivative account issue).
 */
export const accountWithBikSchema = z
  .object({ bik: bikSchema, account: z.string().transform(stripSpaces) })
  .superRefine((value, ctx) => {
    const result = validateAccount(value.account, value.bik);
    if (!result.ok) {
      ctx.addIssue({
        code: "custom",
        path: ["account"],
        message: result.message.ru,
        params: { code: result.code, en: result.message.en },
      });
    }
  });

/** Phone string → `7XXXXXXXXXX` (SBP). */
export const ruPhoneSchema = schemaFor(validateRuPhone);
