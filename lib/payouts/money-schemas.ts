import { z } from "zod";
import { MONEY_PARSE_MESSAGES, parseRublesToKopecks } from "../money";

/** zod forms of lib/money.ts (kept apart so that formatting an amount in the browser needs no zod). */

/** A payout amount in kopecks: a positive safe integer. */
export const kopecksSchema = z
  .int({
    error: (issue) =>
      issue.code === "too_big" ? MONEY_PARSE_MESSAGES.too_large.ru : "Сумма должна быть целым числом копеек.",
  })
  .positive({ error: "Сумма должна быть больше нуля." });

/** A rubles string as typed by the user → positive kopecks; the parse reason becomes the issue message. */
export const rublesInputSchema = z
  .string()
  .transform((value, ctx) => {
    const parsed = parseRublesToKopecks(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.reason, params: { code: parsed.code, en: parsed.message.en } });
      return z.NEVER;
    }
    return parsed.kopecks;
  })
  .pipe(kopecksSchema);
