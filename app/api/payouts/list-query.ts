import { z } from "zod";
import { rejectControlCharacters } from "@/lib/validation/ru-banking";
import { PayoutMethod, SourceAccount } from "@/lib/generated/prisma/enums";
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, PAYOUT_SORT_KEYS, Q_MAX_LENGTH, type PayoutListFilters } from "@/lib/payouts/list";
import { PAYOUT_STATUSES } from "@/lib/payouts/state-machine";

/**
 * Query parameters shared by GET /api/payouts, /counts, /stats and /export (and the dashboard's URL):
 *
 *   status=awaiting_approval|…|all  from=2026-11-01  to=2026-11-22  minKopecks=150000  maxKopecks=…
 *   method=card_widget|…  source=regular|escrow|settlement  q=…  sort=createdAt|amount|updatedAt
 *   dir=desc|asc  cursor=…  limit=1..100
 *
 * `from` / `to` are Moscow calendar days (both inclusive) or full ISO timestamps (`to` exclusive).
 * Empty values mean "not set", so a form can submit every field.
 */

const MOSCOW_OFFSET_MS = 3 * 3_600_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDayOrInstant(value: string, end: boolean): Date | null {
  const day = DAY_RE.exec(value);
  if (day) {
    const [, y, m, d] = day.map(Number) as [number, number, number, number];
    const utc = Date.UTC(y, m - 1, d + (end ? 1 : 0));
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
    return new Date(utc - MOSCOW_OFFSET_MS);
  }
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

const pageShape = {
  sort: optional(z.enum(PAYOUT_SORT_KEYS)),
  dir: optional(z.enum(["asc", "desc"])),
  cursor: optional(z.string().max(512)),
  limit: optional(z.coerce.number().int().min(1).max(PAGE_SIZE_MAX)).default(PAGE_SIZE_DEFAULT),
};

function checkRanges(value: { from?: Date; to?: Date; minKopecks?: number; maxKopecks?: number }, ctx: z.RefinementCtx) {
  if (value.from && value.to && value.from.getTime() >= value.to.getTime()) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  if (value.minKopecks !== undefined && value.maxKopecks !== undefined && value.minKopecks > value.maxKopecks) {
    ctx.addIssue({ code: "custom", path: ["maxKopecks"], message: "must not be less than minKopecks" });
  }
}

export const PayoutFilterQuerySchema = z.object(filterShape).superRefine(checkRanges);
export const PayoutListQuerySchema = z.object({ ...filterShape, ...pageShape }).superRefine(checkRanges);

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

/**
 * Coalesces identical aggregate queries (tab counts, chart) from many open dashboards: one database
 * query per key at a time, its answer reused for `ttlMs`. Every portal event empties the cache, so a
 * refetch triggered by an event never gets an answer computed before it.
 */
export function createEventAwareCache(subscribe: (onEvent: () => void) => () => void, ttlMs = 2_000, maxEntries = 500) {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  let subscribed = false;
  return async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!subscribed) {
      subscribed = true;
      subscribe(() => entries.clear());
    }
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
    if (entries.size >= maxEntries) {
      for (const [k, entry] of entries) if (now - entry.at >= ttlMs) entries.delete(k);
      if (entries.size >= maxEntries) entries.clear();
    }
    const value = load();
    entries.set(key, { at: now, value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}
