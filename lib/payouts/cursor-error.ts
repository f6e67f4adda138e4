import { PayoutError } from "./errors";

const BRAND = Symbol.for("portal.invalid-cursor-error");

/**
 * A page cursor that does not decode, or belongs to another list or sort order (payouts list,
 * webhook inbox). A `validation` refusal on the `cursor` field, so every route answers it with a 400.
 */
export class InvalidCursorError extends PayoutError {
  override name = "InvalidCursorError";
  readonly [BRAND] = true;

  /** PayoutError recognises itself by brand; this class needs its own, or every PayoutError would match. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  constructor(message = "The cursor is not valid") {
    super("validation", message, { field: "cursor" });
  }
}
