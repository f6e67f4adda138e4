import "server-only";
import type { z } from "zod";
import { isPayoutError } from "../payouts/errors";
import { isBank131Error } from "../bank131/errors";
import { logger } from "../logger";
import { firstIssue } from "./route";

/**
 * Server actions return results instead of throwing (a thrown error reaches the browser as an
 * opaque digest). Input is parsed with zod at the edge, like route handlers.
 */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } };

export function action<S extends z.ZodType, T>(schema: S, run: (input: z.output<S>) => Promise<T>) {
  return async (raw: z.input<S>): Promise<ActionResult<T>> => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return { ok: false, error: { code: "invalid_request", message, field } };
    }
    try {
      return { ok: true, data: await run(parsed.data) };
    } catch (error) {
      if (isPayoutError(error)) return { ok: false, error: { code: error.code, message: error.message, field: error.details.field } };
      if (isBank131Error(error)) {
        logger.warn({ err: error }, "bank call from a server action failed");
        const code = error.kind === "api" ? "bank_rejected" : "bank_unavailable";
        return { ok: false, error: { code, message: code === "bank_rejected" ? error.message : "The bank is not answering right now; try again in a minute." } };
      }
      logger.error({ err: error }, "server action failed");
      return { ok: false, error: { code: "internal_error", message: "Something went wrong on our side; try again." } };
    }
  };
}
