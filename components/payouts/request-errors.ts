import { ApiError } from "@/components/api-client";
import { errorMessage } from "@/lib/i18n/errors";

/** The banner text for an error that is not about one field, by its code (lib/i18n/errors.ts). */
export function describeRequestError(error: unknown): string {
  return errorMessage(error instanceof ApiError ? error : { code: "network" });
}
