import { ApiError } from "@/components/api-client";
import { errorMessage } from "@/lib/i18n/errors";

const ALREADY_DECIDED = "Уже обработано другим оператором";

/** A Russian sentence for a failed approve/cancel, by the answer's code (lib/i18n/errors.ts). */
export function decisionErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return errorMessage({ code: "internal_error" });
  // Of two operators deciding at once, the second finds the payout no longer awaiting approval.
  return error.code === "invalid_state" ? ALREADY_DECIDED : errorMessage(error);
}
