import { z } from "zod";
import { rejectControlCharacters } from "../validation/ru-banking-schemas";
import { isCalendarDay, moscowMidnight, addCalendarDays } from "../format/time";
import { PayoutMethod, SourceAccount } from "../generated/prisma/enums";
import type { PayoutListFilters } from "./list";
import { PAYOUT_STATUSES } from "./state-machine";

/**
 * The payouts list's query parameters, shared by GET /api/payouts, /counts, /stats and /export and
 * by the dashboard, whose URL uses the same names. Client-safe: zod, enums and pure modules only.
 *
 *   status=awaiting_approval|…|all  from=2026-11-01  to=2026-11-22  minKopecks=150000  maxKopecks=…
 *   method=card_widget|…  source=regular|escrow|settlement  q=…  sort=createdAt|amount|updatedAt
 *   dir=desc|asc  cursor=…  limit=1..100
 *
 * `from` / `to` are Moscow calendar days (both inclusive) or full ISO timestamps (`to` exclusive).
 * Empty values mean "not set", so a form can submit every field.
 */

export const PAYOUT_SORT_KEYS = ["createdAt", "amount", "updatedAt"] as const;
export type PayoutSortKey = (typeof PAYOUT_SORT_KEYS)[number];
export const SORT_DIRECTIONS = ["desc", "asc"] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];
export const DEFAULT_SORT: PayoutSortKey = "createdAt";
export const DEFAULT_SORT_DIRECTION: SortDirection = "desc";

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 100;
export const Q_MAX_LENGTH = 200;

function parseDayOrInstant(value: string, end: boolean): Date | null {
  if (isCalendarDay(value)) return moscowMidnight(end ? addCalendarDays(value, 1) : value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const dateParam = (end: boolean) =>
  optional(
    z.string().transform((value, ctx) => {
      const date = parseDayOrInstant(value.trim(), end);
      if (!date) {
        ctx.addIssue({ code: "custom", message: "expected a date YYYY-MM-DD or an ISO timestamp" });
        return z.NEVER;
      }
      return date;
    }),
  );

const kopecksParam = optional(
  z
    .string()
    .regex(/^\d{1,15}$/, { error: "expected a whole number of kopecks" })
    .transform((value) => Number(value)),
);

const filterShape = {
  status: optional(z.enum([...PAYOUT_STATUSES, "all"])),
  from: dateParam(false),
  to: dateParam(true),
  minKopecks: kopecksParam,
  maxKopecks: kopecksParam,
  method: optional(z.enum(Object.values(PayoutMethod) as [PayoutMethod, ...PayoutMethod[]])),
  source: optional(z.enum(Object.values(SourceAccount) as [SourceAccount, ...SourceAccount[]])),
  q: optional(z.string().max(Q_MAX_LENGTH).superRefine(rejectControlCharacters)),
};

const sortShape = {
  sort: optional(z.enum(PAYOUT_SORT_KEYS)),
  dir: optional(z.enum(SORT_DIRECTIONS)),
};

const pageShape = {
  ...sortShape,
  cursor: optional(z.string().max(512)),
  limit: optional(z.coerce.number().int().min(1).max(PAGE_SIZE_MAX)).default(PAGE_SIZE_DEFAULT),
};

/** Each URL parameter's own schema, for readers (the dashboard) that check one value at a time. */
export const PAYOUT_LIST_PARAM_SCHEMAS = { ...filterShape, ...sortShape };

function checkRanges(value: { from?: Date; to?: Date; minKopecks?: number; maxKopecks?: number }, ctx: z.RefinementCtx) {
  if (value.from && value.to && value.from.getTime() >= value.to.getTime()) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  if (value.minKopecks !== undefined && value.maxKopecks !== undefined && value.minKopecks > value.maxKopecks) {
    ctx.addIssue({ code: "custom", path: ["maxKopecks"], message: "must not be less than minKopecks" });
  }
}

export const PayoutFilterQuerySchema = z.object(filterShape).superRefine(checkRanges);
export const PayoutListQuerySchema = z.object({ ...filterShape, ...pageShape }).superRefine(checkRanges);
/** The export: the list's filters and order, every page. */
export const PayoutExportQuerySchema = z.object({ ...filterShape, ...sortShape }).superRefine(checkRanges);

export type PayoutFilterQuery = z.output<typeof PayoutFilterQuerySchema>;

export function filtersFromQuery(query: PayoutFilterQuery): PayoutListFilters {
  return {
    status: query.status,
    from: query.from,
    to: query.to,
    minKopecks: query.minKopecks,
    maxKopecks: query.maxKopecks,
    method: query.method,
    sourceAccount: query.source,
    q: query.q?.trim() || undefined,
  };
}
