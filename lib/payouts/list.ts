import { formatMaskedCard } from "../cards";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { PayoutMethod, SourceAccount } from "../generated/prisma/enums";
import { toSafeKopecks } from "../money";
import { MOSCOW_TIME_ZONE, moscowCalendarDay, moscowDayStart } from "../format/time";
import { InvalidCursorError } from "./cursor-error";
import { DEFAULT_SORT, DEFAULT_SORT_DIRECTION, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, Q_MAX_LENGTH, type PayoutSortKey, type SortDirection } from "./list-query";
import type { ReconcileFinding } from "./reconcile";
import { PAYOUT_STATUSES, type PayoutStatus } from "./state-machine";

/**
 * The operators' sessions list: filters, search, sorting and keyset pagination over payout requests,
 * plus the per-status counts and the per-day volume chart that share the same filters.
 *
 * Plain SQL (one WHERE builder for list, counts, chart and export) so that every query has a plan
 * we chose: the list walks an index in sort order (`(key DESC, id)` — see the migration
 * `dashboard_indexes`) and stops after one page, whatever the table size.
 *
 * Ordering is `key DESC, id ASC` (descending) or `key ASC, id DESC` (ascending): both are one
 * direction of the same `(key DESC, id)` index. The cursor carries the last row's exact key
 * (microsecond timestamps as text, amounts as decimal strings) and id, so pages never skip or
 * repeat rows, also when rows are inserted between page loads.
 */

/** Export and other internal callers may read bigger batches than the API's page size. */
const BATCH_SIZE_MAX = 1_000;

export interface PayoutListFilters {
  status?: PayoutStatus | "all";
  /** Created at or after (inclusive). */
  from?: Date;
  /** Created before (exclusive). */
  to?: Date;
  minKopecks?: number | bigint;
  maxKopecks?: number | bigint;
  method?: PayoutMethod;
  sourceAccount?: SourceAccount;
  /** Recipient name (contains, any case, ё = е; one or two letters: starts with), reference, request number (`PR-000042`, `42`), `ps_…`, `po_…` or a request id. */
  q?: string;
}

export interface PayoutListPage {
  sort?: PayoutSortKey;
  dir?: SortDirection;
  cursor?: string | null;
  limit?: number;
}

export interface PayoutListRow {
  id: string;
  number: number;
  status: PayoutStatus;
  amountKopecks: number;
  currency: string;
  recipientName: string;
  reference: string | null;
  method: PayoutMethod;
  sourceAccount: SourceAccount;
  instrumentLabel: string | null;
  bankSessionId: string | null;
  bankPayoutId: string | null;
  confirmDeadlineAt: string | null;
  createdAt: string;
  updatedAt: string;
  failureCode: string | null;
}

export interface PayoutListResult {
  rows: PayoutListRow[];
  nextCursor: string | null;
  hasMore: boolean;
  sort: PayoutSortKey;
  dir: SortDirection;
}

type Db = Pick<PrismaClient, "$queryRaw">;

// ---------------------------------------------------------------------------------------------
// Filters → SQL
// ---------------------------------------------------------------------------------------------

const REQUEST_NUMBER_RE = /^(?:PR-?)?0*(\d{1,9})$/i;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * Recipient names hold only letters, spaces, hyphens and apostrophes (validateRecipientName in
 * lib/validation/ru-banking.ts; any script is allowed here, to stay correct if that widens). A query
 * with anything else — a digit, `/`, `#`, `%` — cannot be part of a name, so it is looked up as a
 * reference only, through its index, instead of scanning names.
 */
const NAME_QUERY_RE = /^[\p{L}' -]+$/u;

/** How a search string is matched; exported for the UI hint and tests. */
export function searchKind(q: string): "bank_session" | "bank_payout" | "number" | "id" | "reference" | "text" {
  if (/^ps_\S+$/.test(q)) return "bank_session";
  if (/^po_\S+$/.test(q)) return "bank_payout";
  if (REQUEST_NUMBER_RE.test(q)) return "number";
  if (UUID_RE.test(q)) return "id";
  if (!NAME_QUERY_RE.test(q)) return "reference";
  return "text";
}

/**
 * A name as the search column stores it: lower case, ё read as е. The column folds Latin and
 * Cyrillic capitals explicitly, so both engines and any collation agree with this.
 */
export function foldForSearch(value: string): string {
  return value.toLowerCase().replace(/ё/g, "е");
}

function searchCondition(raw: string): Prisma.Sql | null {
  const q = raw.trim().slice(0, Q_MAX_LENGTH);
  if (q === "") return null;
  switch (searchKind(q)) {
    case "bank_session":
      return Prisma.sql`pr.id IN (SELECT bs.payout_request_id FROM bank_sessions bs WHERE bs.bank_session_id = ${q})`;
    case "bank_payout":
      return Prisma.sql`pr.id IN (SELECT bs.payout_request_id FROM bank_payouts bp JOIN bank_sessions bs ON bs.id = bp.bank_session_row_id WHERE bp.bank_payout_id = ${q})`;
    case "number":
      return Prisma.sql`(pr.number = ${Number(REQUEST_NUMBER_RE.exec(q)![1])} OR pr.reference = ${q})`;
    case "id":
      return Prisma.sql`(pr.id = ${q.toLowerCase()}::uuid OR pr.reference = ${q})`;
    case "reference":
      return Prisma.sql`pr.reference = ${q}`;
    case "text": {
      const { indexed, reference } = textSearchParts(q);
      return Prisma.sql`(${indexed} OR ${reference})`;
    }
  }
}

interface TextSearch {
  /** The folded name contains the text (or, under three letters, starts with it), for rows or index entries at hand. */
  name: Prisma.Sql;
  /** The same match, written for the trigram index to find (see textSearchParts). */
  indexed: Prisma.Sql;
  /** Or a reference equal to the text. */
  reference: Prisma.Sql;
}

/**
 * A text search matches the folded name, or a reference equal to the text. For the trigram index a
 * name of several words is asked word by word (`%петров%` AND `%анна%`) and the whole text checked
 * on the rows it returns: the whole pattern's trigrams include the words' padded edges (`ов `,
 * `  а`), which most names share, and reading those posting lists was most of the search's cost
 * (17 → 5 ms CPU for the index scan of "Петров Анна" on the failed tab at 1M rows).
 */
function textSearchParts(q: string): TextSearch {
  // recipient_search holds the name folded the same way (migration dashboard_search_rollup).
  const folded = foldForSearch(q);
  // Three letters make a trigram; one or two letters match the name's start, whose padded trigrams the same GIN index holds.
  const anywhere = [...q].length >= 3;
  const pattern = anywhere ? `%${escapeLike(folded)}%` : `${escapeLike(folded)}%`;
  // Entries and rows at hand are matched by position, not LIKE: the same answer, and half the cost a
  // walk pays per entry (30 000 entries of a common name at 1M rows: 1.4 ms of matching, LIKE 3.0 ms).
  const name = anywhere ? Prisma.sql`strpos(pr.recipient_search, ${folded}) > 0` : Prisma.sql`starts_with(pr.recipient_search, ${folded})`;
  const words = folded.split(" ").filter((word) => [...word].length >= 3);
  const indexed =
    folded.includes(" ") && words.length > 0
      ? // `|| ''` keeps the whole pattern out of the index condition: it is checked on the rows found.
        Prisma.sql`(${Prisma.join(words.map((word) => Prisma.sql`pr.recipient_search LIKE ${`%${escapeLike(word)}%`}`), " AND ")} AND (pr.recipient_search || '') LIKE ${pattern})`
      : Prisma.sql`pr.recipient_search LIKE ${pattern}`;
  return { name, indexed, reference: Prisma.sql`pr.reference = ${q}` };
}

/** The parts of a name search (the trigram-indexed kind), or null for any other search or none. */
function textSearch(filters: PayoutListFilters): TextSearch | null {
  const q = filters.q?.trim().slice(0, Q_MAX_LENGTH);
  return q && searchKind(q) === "text" ? textSearchParts(q) : null;
}

/** The condition of a name search (the trigram-indexed kind), or null for any other search or none. */
function nameSearchCondition(filters: PayoutListFilters): Prisma.Sql | null {
  const search = textSearch(filters);
  return search ? Prisma.sql`(${search.indexed} OR ${search.reference})` : null;
}

function toBigInt(value: number | bigint): bigint {
  return typeof value === "bigint" ? value : BigInt(Math.trunc(value));
}

function whereConditions(filters: PayoutListFilters, options: { withStatus: boolean; withSearch?: boolean }): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (options.withStatus && filters.status && filters.status !== "all") {
    conditions.push(Prisma.sql`pr.status = ${filters.status}::"PayoutRequestStatus"`);
  }
  if (filters.from) conditions.push(Prisma.sql`pr.created_at >= ${filters.from}`);
  if (filters.to) conditions.push(Prisma.sql`pr.created_at < ${filters.to}`);
  // BIGINT compared with BIGINT: no float ever touches an amount.
  if (filters.minKopecks !== undefined) conditions.push(Prisma.sql`pr.amount_kopecks >= ${toBigInt(filters.minKopecks)}::bigint`);
  if (filters.maxKopecks !== undefined) conditions.push(Prisma.sql`pr.amount_kopecks <= ${toBigInt(filters.maxKopecks)}::bigint`);
  if (filters.method) conditions.push(Prisma.sql`pr.method = ${filters.method}::"PayoutMethod"`);
  if (filters.sourceAccount) conditions.push(Prisma.sql`pr.source_account = ${filters.sourceAccount}::"SourceAccount"`);
  if (filters.q && options.withSearch !== false) {
    const search = searchCondition(filters.q);
    if (search) conditions.push(search);
  }
  return conditions;
}

function whereSql(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

// ---------------------------------------------------------------------------------------------
// The walks
// ---------------------------------------------------------------------------------------------

/**
 * A name search (or an amount range) first filters the entries of an index that carries every
 * column a filter or an aggregate reads, so a walk is an index-only scan (~0.14 µs an entry with a
 * name to match, a few hundredths without) that reads no table page:
 * - payout_requests_created_at_walk_idx, newest first within the dates; on a status tab
 *   payout_requests_status_walk_idx, that status's entries only (a name is as dense there as
 *   without the tab);
 * - with a name and an amount range small enough to read whole (the planner's estimate says so),
 *   payout_requests_amount_walk_idx: the range's entries that pass every other filter (checked
 *   inside the index), the name matched on those — exact, without the trigram index or a table row.
 * A name search first **probes** the newest WALK_ENTRIES.probe entries: a name found there is dense
 * enough for the walks; a name not found there is sparse, and the trigram index is asked at once
 * (its matches are few, and walking 30 000 entries to find none was most of a rare name's cost).
 * Only when the walks are not enough is the trigram index asked for every match, and those matches'
 * rows read. Which path answers is only a matter of cost: each is exact, or says it is a lower bound.
 *
 * 30 000 entries with a name (~6 ms): the first page of a name in 1 row of 600, or a capped count
 * of a name in 1 row of 30, without the trigram index, whose posting lists for a very common name
 * hold most of the table. (Tests lower these to reach the walks' ends with a few rows.)
 */
export const WALK_ENTRIES = {
  name: 30_000,
  /**
   * A name's chart, when the probe and an amount range do not settle it: fewer entries than a page's
   * walk, as grouping its matches by day costs more an entry (a common name's capped chart was the
   * dashboard's costliest query at 30 000: 10–14 ms CPU); it covers two thirds of the days.
   */
  chart: 20_000,
  /** Without a name an entry costs a few comparisons. */
  plain: 100_000,
  /** The first entries a name search looks at (~0.6 ms). */
  probe: 3_000,
  /** An amount range the planner expects to hold at most this many entries is read whole (1 000–5 000 ₽ at 1M rows a year: ~36 000). */
  amount: 40_000,
};

/** Whether a walk answers these filters: a name search, or no search (an amount range); not a reference or number lookup. */
function walkable(filters: PayoutListFilters): boolean {
  return textSearch(filters) !== null || !filters.q?.trim();
}

const WALK_COLUMNS = Prisma.raw("pr.id, pr.created_at, pr.status, pr.amount_kopecks, pr.method, pr.source_account, pr.recipient_search");

/**
 * One walk: at most `entries` entries of a walk index within `bounds`, in the index's order, as rows
 * `pr` holding only the index's columns (`window`); `filters` are the conditions left for the
 * entries (the name without the reference, which the indexes do not hold).
 */
interface Walk {
  window: Prisma.Sql;
  /**
   * The creation time of the walk's last entry, as a scalar subquery: NULL when its bounds hold fewer
   * entries than it may read (it sees every row within them). It skips the same entries without
   * carrying their columns (2 vs 3.5 ms for counting 30 000 of them).
   */
  lastEntryAt: Prisma.Sql;
  entries: number;
  filters: Prisma.Sql[];
}

/** The walk's conditions on an entry, as one expression (true when there are none). */
function walkMatch(walk: Walk): Prisma.Sql {
  return walk.filters.length ? Prisma.sql`coalesce(${Prisma.join(walk.filters, " AND ")}, false)` : Prisma.raw("true");
}

/**
 * The created_at walk: newest first ("desc") within the dates and `extraBounds` (a page's cursor);
 * on a status tab (`withStatus`) over that status's entries only. `entries` defaults to
 * WALK_ENTRIES.name with a name search, WALK_ENTRIES.plain without.
 */
function dateWalk(filters: PayoutListFilters, options: { withStatus: boolean; dir?: SortDirection; extraBounds?: Prisma.Sql[]; entries?: number }): Walk {
  const onTab = options.withStatus && filters.status !== undefined && filters.status !== "all";
  const order = (options.dir ?? "desc") === "desc" ? Prisma.raw("pr.created_at DESC, pr.id ASC") : Prisma.raw("pr.created_at ASC, pr.id DESC");
  const bounds = [...whereConditions({ status: onTab ? filters.status : undefined, from: filters.from, to: filters.to }, { withStatus: true }), ...(options.extraBounds ?? [])];
  const search = textSearch(filters);
  const entries = options.entries ?? (search ? WALK_ENTRIES.name : WALK_ENTRIES.plain);
  const rest = whereConditions({ ...filters, status: onTab ? undefined : filters.status, from: undefined, to: undefined }, { withStatus: options.withStatus, withSearch: false });
  const entriesInOrder = Prisma.sql`FROM payout_requests pr ${whereSql(bounds)} ORDER BY ${order}`;
  return {
    window: Prisma.sql`(SELECT ${WALK_COLUMNS} ${entriesInOrder} LIMIT ${entries})`,
    lastEntryAt: Prisma.sql`(SELECT pr.created_at ${entriesInOrder} OFFSET ${entries - 1} LIMIT 1)`,
    entries,
    filters: search ? [...rest, search.name] : rest,
  };
}

/**
 * The amount walk of a name search: the amount range's entries that pass every other filter (the
 * index checks them without visiting the table or the visibility map), when the planner expects
 * the range to hold at most WALK_ENTRIES.amount entries; null otherwise.
 */
async function amountWalk(prisma: Db, filters: PayoutListFilters, options: { withStatus: boolean; extraBounds?: Prisma.Sql[] }): Promise<Walk | null> {
  const search = textSearch(filters);
  if (!search || (filters.minKopecks === undefined && filters.maxKopecks === undefined)) return null;
  const range = whereConditions({ minKopecks: filters.minKopecks, maxKopecks: filters.maxKopecks }, { withStatus: false });
  if ((await estimatedRows(prisma, range)) > WALK_ENTRIES.amount) return null;
  const bounds = [...whereConditions(filters, { withStatus: options.withStatus, withSearch: false }), ...(options.extraBounds ?? [])];
  const entriesInOrder = Prisma.sql`FROM payout_requests pr ${whereSql(bounds)} ORDER BY pr.amount_kopecks DESC, pr.id ASC`;
  return {
    window: Prisma.sql`(SELECT ${WALK_COLUMNS} ${entriesInOrder} LIMIT ${WALK_ENTRIES.amount})`,
    lastEntryAt: Prisma.sql`(SELECT pr.created_at ${entriesInOrder} OFFSET ${WALK_ENTRIES.amount - 1} LIMIT 1)`,
    entries: WALK_ENTRIES.amount,
    filters: [search.name],
  };
}

/** The planner's estimate of the rows `conditions` select (from the statistics, without reading them). */
async function estimatedRows(prisma: Db, conditions: Prisma.Sql[]): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ "QUERY PLAN": unknown }>>`EXPLAIN (FORMAT JSON) SELECT 1 FROM payout_requests pr ${whereSql(conditions)}`;
  const plan = row?.["QUERY PLAN"];
  const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as Array<{ Plan: { "Plan Rows": number } }>;
  return parsed[0]!.Plan["Plan Rows"];
}

/** Whether a walk reaches the end of its bounds (it holds fewer entries than it may read), so it sees every row they hold. */
async function walkSeesAll(prisma: Db, walk: Walk): Promise<boolean> {
  const [row] = await prisma.$queryRaw<Array<{ seesAll: boolean }>>`SELECT ${walk.lastEntryAt} IS NULL AS "seesAll"`;
  return row!.seesAll;
}

/**
 * Rows per status matching a reference equal to the search text and not its name (those the walk
 * counted): the reference index, then the other filters.
 */
function referenceOnlyConditions(filters: PayoutListFilters, options: { withStatus: boolean }): Prisma.Sql[] | null {
  const search = textSearch(filters);
  if (!search) return null;
  return [...whereConditions(filters, { ...options, withSearch: false }), search.reference, Prisma.sql`NOT (${search.name})`];
}

// ---------------------------------------------------------------------------------------------
// Keyset cursor
// ---------------------------------------------------------------------------------------------

const SORT_COLUMN: Record<PayoutSortKey, Prisma.Sql> = {
  createdAt: Prisma.raw("pr.created_at"),
  amount: Prisma.raw("pr.amount_kopecks"),
  updatedAt: Prisma.raw("pr.updated_at"),
};
/** The key as exact text: microsecond UTC timestamps (JS Dates would round to ms), decimal amounts. */
const SORT_KEY_TEXT: Record<PayoutSortKey, Prisma.Sql> = {
  createdAt: Prisma.raw(`to_char(pr.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`),
  amount: Prisma.raw("pr.amount_kopecks::text"),
  updatedAt: Prisma.raw(`to_char(pr.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`),
};
const SORT_KEY_CAST: Record<PayoutSortKey, (value: string) => Prisma.Sql> = {
  createdAt: (value) => Prisma.sql`${value}::timestamptz`,
  amount: (value) => Prisma.sql`${value}::bigint`,
  updatedAt: (value) => Prisma.sql`${value}::timestamptz`,
};
const KEY_FORMAT: Record<PayoutSortKey, RegExp> = {
  createdAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  amount: /^\d{1,19}$/,
  updatedAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
};

interface CursorData {
  s: PayoutSortKey;
  d: SortDirection;
  k: string;
  id: string;
}

export function encodeCursor(data: CursorData): string {
  return Buffer.from(JSON.stringify([data.s, data.d, data.k, data.id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, sort: PayoutSortKey, dir: SortDirection): CursorData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError("The cursor is not valid");
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || !parsed.every((part) => typeof part === "string")) {
    throw new InvalidCursorError("The cursor is not valid");
  }
  const [s, d, k, id] = parsed as [string, string, string, string];
  if (s !== sort || d !== dir) throw new InvalidCursorError("The cursor belongs to another sort order; start from the first page");
  if (!KEY_FORMAT[sort].test(k) || !UUID_RE.test(id)) throw new InvalidCursorError("The cursor is not valid");
  return { s: sort, d: dir, k, id };
}

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

interface RawRow {
  id: string;
  number: number;
  status: string;
  amount_kopecks: bigint;
  currency: string;
  recipient_name: string;
  reference: string | null;
  method: string;
  source_account: string;
  card_brand: string | null;
  card_last4: string | null;
  masked_account: string | null;
  has_card: boolean;
  has_account: boolean;
  bank_session_id: string | null;
  bank_payout_id: string | null;
  confirm_deadline_at: Date | null;
  created_at: Date;
  updated_at: Date;
  failure_code: string | null;
  sort_key: string;
}

function instrumentLabel(row: RawRow): string | null {
  if (row.has_account) return row.masked_account ? `Счёт ${row.masked_account}` : "Банковский счёт";
  if (row.card_last4 || row.has_card) return formatMaskedCard({ brand: row.card_brand, last4: row.card_last4 });
  return null;
}

function toRow(row: RawRow): PayoutListRow {
  return {
    id: row.id,
    number: Number(row.number),
    status: row.status as PayoutStatus,
    amountKopecks: toSafeKopecks(row.amount_kopecks),
    currency: row.currency,
    recipientName: row.recipient_name,
    reference: row.reference,
    method: row.method as PayoutMethod,
    sourceAccount: row.source_account as SourceAccount,
    instrumentLabel: instrumentLabel(row),
    bankSessionId: row.bank_session_id,
    bankPayoutId: row.bank_payout_id,
    confirmDeadlineAt: row.confirm_deadline_at ? row.confirm_deadline_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    failureCode: row.failure_code,
  };
}

/**
 * A name search pages in two steps. Walking the sort index and filtering names stops early when
 * names match densely, but reads the whole table when they are rare among the rows the other filters
 * keep (and the planner cannot know which from a LIKE pattern). So: first the name filter over
 * bounded walks (walkedPage); if they do not settle the page, the matches are sparse, and the page
 * comes from the trigram index's matches, sorted. Sorted by creation, the walks are index-only; by
 * amount or update time, whose indexes do not hold the name, the window is SEARCH_WINDOW_ROWS rows.
 */
const SEARCH_WINDOW_ROWS = 5_000;

async function selectPage(
  prisma: Db,
  filters: PayoutListFilters,
  sort: PayoutSortKey,
  dir: SortDirection,
  cursor: CursorData | null,
  limit: number,
): Promise<PayoutListResult> {
  const nameCondition = nameSearchCondition(filters);
  const conditions = whereConditions(filters, { withStatus: true, withSearch: nameCondition === null });
  const column = SORT_COLUMN[sort];
  let afterCursor: Prisma.Sql | null = null;
  if (cursor) {
    const key = SORT_KEY_CAST[sort](cursor.k);
    // The redundant `<=` / `>=` bound is what lets PostgreSQL START the index walk at the cursor
    // (an OR alone is only a filter: a deep page would re-read every row before it).
    afterCursor =
      dir === "desc"
        ? Prisma.sql`${column} <= ${key} AND (${column} < ${key} OR pr.id > ${cursor.id}::uuid)`
        : Prisma.sql`${column} >= ${key} AND (${column} > ${key} OR pr.id < ${cursor.id}::uuid)`;
    conditions.push(afterCursor);
  }
  const order = dir === "desc" ? Prisma.sql`${column} DESC, pr.id ASC` : Prisma.sql`${column} ASC, pr.id DESC`;
  const orderKeyed = dir === "desc" ? Prisma.raw("pr.sort_value DESC, pr.id ASC") : Prisma.raw("pr.sort_value ASC, pr.id DESC");
  const keyed = Prisma.sql`SELECT pr.*, ${column} AS sort_value, ${SORT_KEY_TEXT[sort]} AS sort_key FROM payout_requests pr`;
  // MATERIALIZED: planned for all matches (the trigram index), not for the first few in sort order.
  const everyMatch = (name: Prisma.Sql) =>
    withDisplayColumns(
      prisma,
      sort,
      dir,
      Prisma.sql`WITH matched AS MATERIALIZED (${keyed} ${whereSql([...conditions, name])})
                 SELECT pr.* FROM matched pr ORDER BY ${orderKeyed} LIMIT ${limit + 1}`,
    );
  let raw: RawRow[];
  if (!nameCondition) {
    // An index walk that stops after limit+1 rows.
    raw = await withDisplayColumns(prisma, sort, dir, Prisma.sql`${keyed} ${whereSql(conditions)} ORDER BY ${order} LIMIT ${limit + 1}`);
  } else if (sort === "createdAt") {
    const walked = await walkedPage(prisma, filters, dir, afterCursor, limit);
    if (walked) {
      // With a full page of name matches, no reference match or unwalked row can precede its last row.
      const byName = walked.length ? [Prisma.sql`pr.id = ANY(${walked}::uuid[])`] : [];
      const byReference = Prisma.sql`(${Prisma.join([...conditions, textSearch(filters)!.reference], " AND ")})`;
      raw = await withDisplayColumns(
        prisma,
        sort,
        dir,
        Prisma.sql`${keyed} WHERE ${Prisma.join([...byName, byReference], " OR ")} ORDER BY ${order} LIMIT ${limit + 1}`,
      );
    } else {
      raw = await everyMatch(nameCondition);
    }
  } else {
    raw = await withDisplayColumns(
      prisma,
      sort,
      dir,
      Prisma.sql`SELECT pr.* FROM (${keyed} ${whereSql(conditions)} ORDER BY ${order} LIMIT ${SEARCH_WINDOW_ROWS}) pr
                 WHERE ${nameCondition} ORDER BY ${orderKeyed} LIMIT ${limit + 1}`,
    );
    if (raw.length <= limit) raw = await everyMatch(nameCondition);
  }
  const hasMore = raw.length > limit;
  const pageRows = hasMore ? raw.slice(0, limit) : raw;
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows.map(toRow),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor({ s: sort, d: dir, k: last.sort_key, id: last.id }) : null,
    sort,
    dir,
  };
}

/**
 * The ids of the first limit+1 name matches in created_at order (after the cursor) from the walks, or
 * null when they do not settle the page (fewer matches, and rows they did not reach; or none in the
 * probe: sparse), and the trigram index is asked.
 */
async function walkedPage(prisma: Db, filters: PayoutListFilters, dir: SortDirection, afterCursor: Prisma.Sql | null, limit: number): Promise<string[] | null> {
  const extraBounds = afterCursor ? [afterCursor] : [];
  const order = dir === "desc" ? Prisma.raw("pr.created_at DESC, pr.id ASC") : Prisma.raw("pr.created_at ASC, pr.id DESC");
  // An amount range small enough to read whole settles the page first, at a bounded cost (~0.3 µs an
  // entry): its matches sorted into page order. The walks below fill a page only where the name and
  // the range match densely among the newest entries — at a range of ≤ WALK_ENTRIES.amount entries, a
  // very common name — and a walk that falls short would leave the range to be read all the same.
  const amount = await amountWalk(prisma, filters, { withStatus: true, extraBounds });
  if (amount) {
    const [row] = await prisma.$queryRaw<Array<{ walked: bigint | number; ids: string[] | null }>>`
      SELECT count(*) AS walked, (array_agg(pr.id::text ORDER BY ${order}) FILTER (WHERE pr.hit))[1:${limit + 1}::int] AS ids
      FROM (SELECT pr.id, pr.created_at, ${walkMatch(amount)} AS hit FROM ${amount.window} pr OFFSET 0) pr`;
    // Fewer entries than it may read: the range was read whole (else it held more than the estimate).
    if (Number(row!.walked) < amount.entries) return row!.ids ?? [];
  }
  // In the index's order: stops after limit+1 matches when they are dense.
  const firstMatches = async (walk: Walk) =>
    (await prisma.$queryRaw<Array<{ id: string }>>`SELECT pr.id::text AS id FROM ${walk.window} pr WHERE ${walkMatch(walk)} ORDER BY ${order} LIMIT ${limit + 1}`).map((row) => row.id);
  const probe = dateWalk(filters, { withStatus: true, dir, extraBounds, entries: WALK_ENTRIES.probe });
  const probed = await firstMatches(probe);
  if (probed.length > limit || (await walkSeesAll(prisma, probe))) return probed;
  if (probed.length === 0) return null;
  const walk = dateWalk(filters, { withStatus: true, dir, extraBounds });
  const walked = await firstMatches(walk);
  return walked.length > limit || (await walkSeesAll(prisma, walk)) ? walked : null;
}

/** The page's rows (`pageSql` yields payout_requests rows plus sort_value and sort_key), then what the rows show. */
function withDisplayColumns(prisma: Db, sort: PayoutSortKey, dir: SortDirection, pageSql: Prisma.Sql): Promise<RawRow[]> {
  const orderPage = dir === "desc" ? Prisma.raw("p.sort_value DESC, p.id ASC") : Prisma.raw("p.sort_value ASC, p.id DESC");
  return prisma.$queryRaw<RawRow[]>`
    WITH page AS (${pageSql})
    SELECT p.id::text AS id, p.number, p.status::text AS status, p.amount_kopecks, p.currency, p.recipient_name, p.reference,
           p.method::text AS method, p.source_account::text AS source_account, p.card_brand, p.card_last4, p.masked_account,
           (p.card_number_hash IS NOT NULL OR p.card_token IS NOT NULL OR p.recurrent_token IS NOT NULL) AS has_card,
           (p.bank_account_token IS NOT NULL) AS has_account,
           bs.bank_session_id, bs.confirm_deadline_at,
           (SELECT bp.bank_payout_id FROM bank_payouts bp WHERE bp.bank_session_row_id = bs.id ORDER BY bp.created_at DESC, bp.id DESC LIMIT 1) AS bank_payout_id,
           p.created_at, p.updated_at, p.failure_code, p.sort_key
    FROM page p
    LEFT JOIN bank_sessions bs ON bs.payout_request_id = p.id
    ORDER BY ${orderPage}`;
}

/** One page of the filtered list. Throws InvalidCursorError for a bad or mismatched cursor. */
export async function listPayouts(prisma: Db, filters: PayoutListFilters, page: PayoutListPage = {}): Promise<PayoutListResult> {
  const sort = page.sort ?? DEFAULT_SORT;
  const dir = page.dir ?? DEFAULT_SORT_DIRECTION;
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? PAGE_SIZE_DEFAULT), 1), PAGE_SIZE_MAX);
  const cursor = page.cursor ? decodeCursor(page.cursor, sort, dir) : null;
  return selectPage(prisma, filters, sort, dir, cursor, limit);
}

/** Every row of the filtered list, batch by batch in keyset order (CSV export). */
export async function* iteratePayouts(
  prisma: Db,
  filters: PayoutListFilters,
  options: { sort?: PayoutSortKey; dir?: SortDirection; batchSize?: number } = {},
): AsyncGenerator<PayoutListRow[], void, void> {
  const sort = options.sort ?? DEFAULT_SORT;
  const dir = options.dir ?? DEFAULT_SORT_DIRECTION;
  const batchSize = Math.min(Math.max(options.batchSize ?? 500, 1), BATCH_SIZE_MAX);
  let cursor: CursorData | null = null;
  for (;;) {
    const page = await selectPage(prisma, filters, sort, dir, cursor, batchSize);
    if (page.rows.length > 0) yield page.rows;
    if (!page.hasMore || !page.nextCursor) return;
    cursor = decodeCursor(page.nextCursor, sort, dir);
  }
}

// ---------------------------------------------------------------------------------------------
// Counts per status (the tabs) and volume by day (the chart)
// ---------------------------------------------------------------------------------------------

/**
 * Tab counts stop counting here when a filter the daily totals cannot answer (name search, amount
 * range) matches more rows: `capped` is then true and every number is a lower bound ("1 000+").
 * Counting further would read every matching row; an operator narrows the search instead.
 */
export const COUNT_CAP = 1_000;

export type PayoutStatusCounts = { all: number; capped: boolean } & Record<PayoutStatus, number>;

/**
 * The tabs and the chart read payout_daily_totals (per Moscow day, status, method, source account)
 * plus the deltas not yet folded into it, instead of the payout rows. Those totals can answer every
 * filter but a name/reference search and an amount range.
 */
function totalsAnswer(filters: PayoutListFilters): boolean {
  return filters.minKopecks === undefined && filters.maxKopecks === undefined && (filters.q === undefined || filters.q.trim() === "");
}

const isMoscowMidnight = (at: Date) => moscowDayStart(at).getTime() === at.getTime();

/**
 * Rows per (Moscow day, status) with count and kopeck sum, for the filters (status, dates, method,
 * source account) from the totals: whole Moscow days from the totals and pending deltas, the
 * partial first and last day (a `from`/`to` that is not a Moscow midnight) from payout_requests
 * through the created_at index.
 */
async function totalsByDayAndStatus(
  prisma: Db,
  filters: PayoutListFilters,
  options: { byDay: boolean },
): Promise<Array<{ day: string | null; status: string; count: bigint | number; amount: string }>> {
  // Tab counts need no day: grouping by status alone keeps the sum over a year of totals cheap.
  const totalsDay = options.byDay ? Prisma.raw("day") : Prisma.raw("NULL::date");
  const rowDay = options.byDay ? Prisma.sql`(pr.created_at AT TIME ZONE ${MOSCOW_TIME_ZONE})::date` : Prisma.raw("NULL::date");
  const dims: Prisma.Sql[] = [];
  const rowDims: Prisma.Sql[] = [];
  if (filters.status && filters.status !== "all") {
    dims.push(Prisma.sql`status = ${filters.status}::"PayoutRequestStatus"`);
    rowDims.push(Prisma.sql`pr.status = ${filters.status}::"PayoutRequestStatus"`);
  }
  if (filters.method) {
    dims.push(Prisma.sql`method = ${filters.method}::"PayoutMethod"`);
    rowDims.push(Prisma.sql`pr.method = ${filters.method}::"PayoutMethod"`);
  }
  if (filters.sourceAccount) {
    dims.push(Prisma.sql`source_account = ${filters.sourceAccount}::"SourceAccount"`);
    rowDims.push(Prisma.sql`pr.source_account = ${filters.sourceAccount}::"SourceAccount"`);
  }
  // Whole days: [firstDay, endDay) as Moscow calendar days; the edges before/after come from rows.
  const firstWhole = filters.from ? (isMoscowMidnight(filters.from) ? filters.from : moscowDayStart(filters.from, -1)) : undefined;
  const endWhole = filters.to ? moscowDayStart(filters.to) : undefined;
  const parts: Prisma.Sql[] = [];
  const rowsBetween = (from: Date | undefined, to: Date | undefined) => {
    const conditions = [...rowDims];
    if (from) conditions.push(Prisma.sql`pr.created_at >= ${from}`);
    if (to) conditions.push(Prisma.sql`pr.created_at < ${to}`);
    parts.push(Prisma.sql`
      SELECT ${rowDay} AS day, pr.status, count(*) AS count, sum(pr.amount_kopecks) AS amount
      FROM payout_requests pr ${whereSql(conditions)} GROUP BY 1, 2`);
  };
  if (firstWhole && endWhole && firstWhole.getTime() >= endWhole.getTime()) {
    rowsBetween(filters.from, filters.to); // less than two days, inside one or two Moscow days
  } else {
    const dayConditions = [...dims];
    if (firstWhole) dayConditions.push(Prisma.sql`day >= ${moscowCalendarDay(firstWhole)}::date`);
    if (endWhole) dayConditions.push(Prisma.sql`day < ${moscowCalendarDay(endWhole)}::date`);
    const where = whereSql(dayConditions);
    parts.push(Prisma.sql`SELECT ${totalsDay} AS day, status, sum(count) AS count, sum(amount_kopecks) AS amount FROM payout_daily_totals ${where} GROUP BY 1, 2`);
    parts.push(Prisma.sql`SELECT ${totalsDay} AS day, status, sum(count) AS count, sum(amount_kopecks) AS amount FROM payout_daily_deltas ${where} GROUP BY 1, 2`);
    if (filters.from && firstWhole && firstWhole.getTime() !== filters.from.getTime()) rowsBetween(filters.from, firstWhole);
    if (filters.to && endWhole && endWhole.getTime() !== filters.to.getTime()) rowsBetween(endWhole, filters.to);
  }
  return prisma.$queryRaw`
    SELECT to_char(t.day, 'YYYY-MM-DD') AS day, t.status::text AS status, t.count, t.amount::text AS amount
    FROM (
      SELECT day, status, sum(count) AS count, sum(amount) AS amount
      FROM (${Prisma.join(parts, " UNION ALL ")}) p
      GROUP BY day, status
    ) t
    WHERE t.count <> 0
    ORDER BY t.day, t.status::text`;
}

function statusCounts(rows: Array<{ status: string; count: bigint | number }>, capped: boolean): PayoutStatusCounts {
  const counts = Object.fromEntries(PAYOUT_STATUSES.map((status) => [status, 0])) as Record<PayoutStatus, number>;
  let all = 0;
  for (const row of rows) {
    const count = Number(row.count);
    if ((PAYOUT_STATUSES as readonly string[]).includes(row.status)) counts[row.status as PayoutStatus] += count;
    all += count;
  }
  return { all, capped, ...counts };
}

/** Over COUNT_CAP the numbers are lower bounds ("1 000+"), and so is the cap itself. */
function capped(counts: PayoutStatusCounts): PayoutStatusCounts {
  return counts.all > COUNT_CAP ? { ...counts, all: COUNT_CAP, capped: true } : counts;
}

type StatusCountRow = { status: string; count: bigint | number };

type WalkCount = { rows: StatusCountRow[]; seesAll: boolean };

/** The matches per status among every entry of a walk (one pass), and whether it saw every row within its bounds. */
async function countWholeWalk(prisma: Db, walk: Walk): Promise<WalkCount> {
  const rows = await prisma.$queryRaw<Array<StatusCountRow & { walked: bigint | number }>>`
    SELECT w.status::text AS status, count(*) FILTER (WHERE w.hit) AS count, count(*) AS walked
    FROM (SELECT pr.status, ${walkMatch(walk)} AS hit FROM ${walk.window} pr OFFSET 0) w
    GROUP BY w.status`;
  return { rows, seesAll: rows.reduce((sum, row) => sum + Number(row.walked), 0) < walk.entries };
}

/** The matches per status of a walk in its order, stopping at COUNT_CAP + 1 (dense matches stop early), and whether it saw every row within its bounds. */
async function countWalkToCap(prisma: Db, walk: Walk): Promise<WalkCount> {
  const rows = await prisma.$queryRaw<StatusCountRow[]>`
    SELECT m.status::text AS status, count(*) AS count
    FROM (SELECT pr.status FROM ${walk.window} pr WHERE ${walkMatch(walk)} LIMIT ${COUNT_CAP + 1}) m
    GROUP BY m.status`;
  return { rows, seesAll: statusCounts(rows, false).all <= COUNT_CAP && (await walkSeesAll(prisma, walk)) };
}

/**
 * The walks that count a name search (null: none found in the probe, sparse — the trigram index
 * counts it): the probe when it settles the count, the amount range read whole, else the walk.
 */
async function countNameWalks(prisma: Db, filters: PayoutListFilters): Promise<WalkCount | null> {
  const probe = await countWholeWalk(prisma, dateWalk(filters, { withStatus: false, entries: WALK_ENTRIES.probe }));
  const found = statusCounts(probe.rows, false).all;
  if (found > COUNT_CAP || probe.seesAll) return probe;
  const byAmount = await amountWalk(prisma, filters, { withStatus: false });
  const whole = byAmount ? await countWholeWalk(prisma, byAmount) : null;
  if (whole?.seesAll) return whole;
  return found === 0 ? null : countWalkToCap(prisma, dateWalk(filters, { withStatus: false }));
}

/**
 * Rows per status under every filter but the status itself. Exact from the daily totals; with a
 * name search or an amount range, counted up to COUNT_CAP matching rows (then `capped`): first on
 * the walks, which stop at the cap, then (sparse matches) through the trigram or amount index.
 */
export async function countByStatus(prisma: Db, filters: Omit<PayoutListFilters, "status">): Promise<PayoutStatusCounts> {
  if (totalsAnswer(filters)) return statusCounts(await totalsByDayAndStatus(prisma, filters, { byDay: false }), false);
  if (walkable(filters)) {
    const walked = textSearch(filters) ? await countNameWalks(prisma, filters) : await countWalkToCap(prisma, dateWalk(filters, { withStatus: false }));
    const counts = walked ? statusCounts(walked.rows, false) : null;
    if (walked && counts && counts.all > COUNT_CAP) return capped(counts);
    if (walked?.seesAll) {
      const referenceOnly = referenceOnlyConditions(filters, { withStatus: false });
      const byReference = referenceOnly
        ? await prisma.$queryRaw<StatusCountRow[]>`SELECT pr.status::text AS status, count(*) AS count FROM payout_requests pr ${whereSql(referenceOnly)} GROUP BY pr.status`
        : [];
      return capped(statusCounts([...walked.rows, ...byReference], false));
    }
    // Matches, but fewer than the cap among the walked entries: the rest are spread over rows the
    // walk did not reach, and finding them (index matches the other filters then discard) is what
    // costs. What was counted is a lower bound.
    if (counts && counts.all > 0) return { ...counts, capped: true };
  }
  // No match among the walked entries: sparse, so the index's matches are few (the trigram index
  // intersects the name with method, source account and status itself).
  // MATERIALIZED: planned for every match (the trigram or amount index unless matches are dense),
  // and read lazily, so the LIMIT stops it at the cap.
  const rows = await prisma.$queryRaw<StatusCountRow[]>`
    WITH matched AS MATERIALIZED (SELECT pr.status FROM payout_requests pr ${whereSql(whereConditions(filters, { withStatus: false }))})
    SELECT m.status::text AS status, count(*) AS count
    FROM (SELECT status FROM matched LIMIT ${COUNT_CAP + 1}) m
    GROUP BY m.status`;
  return capped(statusCounts(rows, false));
}

/** Without a `from` filter the chart shows this many days back (the list itself stays unbounded). */
export const CHART_DEFAULT_DAYS = 30;
/** A chart never spans more days than this: about a quarter by day is readable, and bounds the aggregate to ~a quarter of the rows a year holds. */
export const CHART_MAX_DAYS = 92;

export interface VolumeBucket {
  day: string;
  status: PayoutStatus;
  count: number;
  amountKopecks: number;
}

/** The chart's effective range: the filters' dates, or the last CHART_DEFAULT_DAYS days; capped. */
export function chartRange(filters: Pick<PayoutListFilters, "from" | "to">, now: Date = new Date()): { from: Date; to: Date } {
  const to = filters.to ?? moscowDayStart(now, -1);
  let from = filters.from ?? moscowDayStart(new Date(to.getTime() - 1), CHART_DEFAULT_DAYS - 1);
  if (to.getTime() - from.getTime() > CHART_MAX_DAYS * 86_400_000) from = new Date(to.getTime() - CHART_MAX_DAYS * 86_400_000);
  return { from, to };
}

/** The chart: buckets for the days from `from` to `to`; `capped` when a name matches too many rows to count them all, and `from` is then the first day counted. */
export interface VolumeByDay {
  from: Date;
  to: Date;
  capped: boolean;
  buckets: VolumeBucket[];
}

type DayRow = { day: string | null; status: string; count: bigint | number; amount: string };

function toBuckets(rows: DayRow[]): VolumeBucket[] {
  const byKey = new Map<string, VolumeBucket>();
  for (const row of rows) {
    const day = row.day ?? ""; // always set when grouped by day
    const key = `${day}|${row.status}`;
    const bucket = byKey.get(key) ?? { day, status: row.status as PayoutStatus, count: 0, amountKopecks: 0 };
    bucket.count += Number(row.count);
    bucket.amountKopecks = toSafeKopecks(BigInt(bucket.amountKopecks) + BigInt(row.amount));
    byKey.set(key, bucket);
  }
  return [...byKey.values()].sort((a, b) => (a.day === b.day ? a.status.localeCompare(b.status) : a.day.localeCompare(b.day)));
}

/** Count and amount per Moscow day and status of the rows `conditions` select. Groups on a plain date (cheap per row); formats only the few result rows. */
function rowsByDay(prisma: Db, conditions: Prisma.Sql[], limit?: number): Promise<Array<DayRow & { matched: bigint | number }>> {
  // MATERIALIZED: planned for every match (the trigram index), read lazily so the LIMIT stops it.
  const rows = limit === undefined ? Prisma.raw("payout_requests pr") : Prisma.sql`(SELECT * FROM matched LIMIT ${limit}) pr`;
  const matched = limit === undefined ? Prisma.empty : Prisma.sql`WITH matched AS MATERIALIZED (SELECT pr.created_at, pr.status, pr.amount_kopecks FROM payout_requests pr ${whereSql(conditions)})`;
  return prisma.$queryRaw`
    ${matched}
    SELECT to_char(t.day, 'YYYY-MM-DD') AS day, t.status::text AS status, t.count, t.amount::text AS amount, sum(t.count) OVER () AS matched
    FROM (
      SELECT (pr.created_at AT TIME ZONE ${MOSCOW_TIME_ZONE})::date AS day, pr.status, count(*) AS count, sum(pr.amount_kopecks) AS amount
      FROM ${rows} ${limit === undefined ? whereSql(conditions) : Prisma.empty}
      GROUP BY 1, 2
    ) t
    ORDER BY t.day, t.status::text`;
}

interface ChartWalk {
  /** The matches per (day, status). */
  hits: DayRow[];
  /** Whether the walk saw every row within its bounds (it held fewer entries than it may read). */
  seesAll: boolean;
  /** The creation of the walk's last entry when it did not see them all (a walk newest first: the oldest it counted). */
  lastEntryAt: Date | null;
}

/**
 * A walk's matches per (day, status) — grouped alone (cheaper than one pass grouping every entry: 9
 * vs 11 ms CPU for 30 000 entries of a common name) — and its last entry (`lastEntryAt`, the same
 * entries skipped: 2 ms where counting them again took 3.5).
 */
async function chartWalk(prisma: Db, walk: Walk): Promise<ChartWalk> {
  const rows = await prisma.$queryRaw<Array<DayRow & { lastEntryAt: Date | null; hit: boolean }>>`
    SELECT to_char(h.day, 'YYYY-MM-DD') AS day, h.status::text AS status, true AS hit, h.count, h.amount::text AS amount, NULL::timestamptz AS "lastEntryAt"
    FROM (
      SELECT (pr.created_at AT TIME ZONE ${MOSCOW_TIME_ZONE})::date AS day, pr.status, count(*) AS count, sum(pr.amount_kopecks) AS amount
      FROM ${walk.window} pr WHERE ${walkMatch(walk)} GROUP BY 1, 2
    ) h
    UNION ALL
    SELECT NULL, NULL, false, 0, '0', ${walk.lastEntryAt}`;
  const last = rows.find((row) => !row.hit)!.lastEntryAt;
  return { hits: rows.filter((row) => row.hit), seesAll: last === null, lastEntryAt: last };
}

/**
 * Count and amount per Moscow calendar day (the operators and the bank both live in Europe/Moscow)
 * and status, for rows matching the filters within chartRange. From the daily totals when they
 * answer the filters; an amount range or a reference from the matching rows (index-only for an
 * amount range, within at most CHART_MAX_DAYS days). A name search is counted on the walks (the
 * probe, a small amount range read whole, then WALK_ENTRIES.chart entries newest first; on a tab that
 * status's entries). When none sees the whole range: with no match in the probe, from the trigram
 * index (sparse: at most COUNT_CAP rows read); with matches, the chart is `capped` and shows the
 * whole days the walk counted, from the day after its oldest entry — reading the rest would visit a
 * row for every match of the name the other filters may then discard.
 */
export async function payoutVolumeByDay(prisma: Db, filters: PayoutListFilters, now: Date = new Date()): Promise<VolumeByDay> {
  const range = chartRange(filters, now);
  const ranged = { ...filters, from: range.from, to: range.to };
  const exact = (buckets: VolumeBucket[]): VolumeByDay => ({ ...range, capped: false, buckets });
  if (totalsAnswer(filters)) return exact(toBuckets(await totalsByDayAndStatus(prisma, ranged, { byDay: true })));
  const search = textSearch(filters);
  if (!search) return exact(toBuckets(await rowsByDay(prisma, whereConditions(ranged, { withStatus: true }))));

  const referenceOnly = referenceOnlyConditions(ranged, { withStatus: true })!;
  const exactWith = async (walked: ChartWalk) => exact(toBuckets([...walked.hits, ...(await rowsByDay(prisma, referenceOnly))]));
  const probe = dateWalk(ranged, { withStatus: true, entries: WALK_ENTRIES.probe });
  const probed = await chartWalk(prisma, probe);
  if (probed.seesAll) return exactWith(probed);
  const byAmount = await amountWalk(prisma, ranged, { withStatus: true });
  if (byAmount) {
    const whole = await chartWalk(prisma, byAmount);
    if (whole.seesAll) return exactWith(whole);
  }
  if (probed.hits.length === 0) {
    // No match among the probed entries: sparse, so the trigram index's matches are few; at most COUNT_CAP are read.
    const every = await rowsByDay(prisma, [...whereConditions(ranged, { withStatus: true, withSearch: false }), Prisma.sql`(${search.indexed} OR ${search.reference})`], COUNT_CAP + 1);
    if (Number(every[0]?.matched ?? 0) <= COUNT_CAP) return exact(toBuckets(every));
  }
  const walk = dateWalk(ranged, { withStatus: true, entries: WALK_ENTRIES.chart });
  const walked = await chartWalk(prisma, walk);
  if (walked.seesAll) return exactWith(walked);
  const byName = walked.hits;
  const oldest = walked.lastEntryAt!; // newest first: the oldest entry the walk counted
  // Too many to count: the whole days after the oldest walked entry's.
  const countedFrom = new Date(Math.min(moscowDayStart(oldest, -1).getTime(), range.to.getTime()));
  const firstDay = moscowCalendarDay(countedFrom);
  const byReference = await rowsByDay(prisma, [...referenceOnly, Prisma.sql`pr.created_at >= ${countedFrom}`]);
  return {
    from: countedFrom,
    to: range.to,
    capped: true,
    buckets: toBuckets([...byName.filter((row) => row.day! >= firstDay), ...byReference]),
  };
}

/**
 * Folds the pending deltas into payout_daily_totals (one transaction, under an advisory lock so two
 * servers never fold the same deltas twice). Returns how many deltas were folded, or null when
 * another compaction is running. Readers are correct either way; this keeps their reads short.
 */
export async function compactDailyTotals(prisma: Db): Promise<number | null> {
  const [row] = await prisma.$queryRaw<Array<{ folded: bigint }>>`SELECT compact_payout_daily_deltas() AS folded`;
  const folded = Number(row!.folded);
  return folded < 0 ? null : folded;
}

// ---------------------------------------------------------------------------------------------
// Reconciliation runs
// ---------------------------------------------------------------------------------------------

export interface ReconciliationRunView {
  id: string;
  runner: string;
  startedAt: string;
  finishedAt: string | null;
  checked: number;
  changed: number;
  errors: number;
  findings: ReconcileFinding[];
}

type RunRow = {
  id: string;
  runner: string;
  startedAt: Date;
  finishedAt: Date | null;
  checked: number;
  changed: number;
  errors: number;
  findings: unknown;
};

function runView(run: RunRow): ReconciliationRunView {
  return {
    id: run.id,
    runner: run.runner,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    checked: run.checked,
    changed: run.changed,
    errors: run.errors,
    findings: Array.isArray(run.findings) ? (run.findings as ReconcileFinding[]) : [],
  };
}

/** The newest reconciliation run (finished or still running), with its findings. */
export async function lastReconciliation(prisma: Pick<PrismaClient, "reconciliationRun">): Promise<ReconciliationRunView | null> {
  const run = await prisma.reconciliationRun.findFirst({ orderBy: [{ startedAt: "desc" }, { id: "desc" }] });
  return run ? runView(run) : null;
}

/** The newest `n` runs (at most 100), newest first. */
export async function recentReconciliations(prisma: Pick<PrismaClient, "reconciliationRun">, n: number): Promise<ReconciliationRunView[]> {
  const take = Math.min(Math.max(Math.trunc(n), 1), 100);
  const runs = await prisma.reconciliationRun.findMany({ orderBy: [{ startedAt: "desc" }, { id: "desc" }], take });
  return runs.map(runView);
}
