import "server-only";
import type { z } from "zod";
import { logUnexpected, toErrorAnswer, zodRefusal, type ErrorBody } from "./errors";

/**
 * Server actions return results instead of throwing (a thrown error reaches the browser as an
 * opaque digest). Input is parsed with zod at the edge, like route handlers; errors go through the
 * same mapper as routes, so an action's error is the body a route would have answered.
 */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export function action<S extends z.ZodType, T>(schema: S, run: (input: z.output<S>) => Promise<T>) {
  return async (raw: z.input<S>): Promise<ActionResult<T>> => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: toErrorAnswer(zodRefusal(parsed.error)).body.error };
    try {
      return { ok: true, data: await run(parsed.data) };
    } catch (error) {
      const mapped = toErrorAnswer(error);
      logUnexpected(error, mapped, "server action");
      return { ok: false, error: mapped.body.error };
    }
  };
}
