import { createHash, randomUUID } from "node:crypto";
import type { Database } from "./client";

/**
 * A transaction that takes SQL text with `$n` parameters — the hot webhook path runs on it directly
 * (node-postgres or PGlite), because an ORM's interactive transaction costs several times the CPU of
 * the statements themselves (bench/webhooks-tx.ts). Domain functions shared with the Prisma-based
 * paths (transition(), audit(), the partner outbox) take a Prisma transaction through `sqlOf()`, so
 * there is one copy of each.
 *
 * Values come back as the driver reads them: select bigint columns as text (or test them in SQL) and
 * json as parsed; send json as text (`JSON.stringify`) with a `::jsonb` cast.
 */
export interface Sql {
  /** The rows a statement returns. */
  rows<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** How many rows a statement changed. */
  execute(text: string, params?: readonly unknown[]): Promise<number>;
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export interface SqlDatabase {
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

type RawClient = {
  $queryRawUnsafe<R = unknown>(query: string, ...values: unknown[]): PromiseLike<R>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
};

const adapted = new WeakMap<object, Sql>();

/** A Prisma client or transaction as Sql (same statements, through Prisma's raw queries). */
export function sqlOf(client: Sql | RawClient): Sql {
  if ("rows" in client) return client;
  let sql = adapted.get(client);
  if (!sql) {
    sql = {
      rows: async <R>(text: string, params: readonly unknown[] = []) => (await client.$queryRawUnsafe<R[]>(text, ...params.map(sqlParam))),
      execute: async (text: string, params: readonly unknown[] = []) => client.$executeRawUnsafe(text, ...params.map(sqlParam)),
    };
    adapted.set(client, sql);
  }
  return sql;
}

// Bigints go as text (both drivers and Prisma's raw queries take it); the statements cast where it matters.
// Times go as ISO text too: node-postgres would format a Date field by field in local time, a
// measurable share of the webhook path's CPU (the statements cast them to timestamptz).
const sqlParam = (value: unknown): unknown => (typeof value === "bigint" ? value.toString() : value instanceof Date ? value.toISOString() : value);

/**
 * Distinct statement texts prepared by name on each pool connection. The statements here come from
 * fixed templates (a few dozen texts); past this many a text goes unnamed, as before.
 */
const MAX_PREPARED_STATEMENTS = 256;
const statementNames = new Map<string, string>();

/**
 * The name a statement text is prepared under (its hash, so one name never means two texts), or
 * undefined past MAX_PREPARED_STATEMENTS. Prepared once per connection, a statement is neither parsed
 * nor (once PostgreSQL settles on its generic plan) planned again: on the webhook path parsing and
 * planning were half of the database's time per webhook (bench/webhooks.ts, DB CPU).
 */
export function preparedName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `p_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** The database's own connection (pg pool or PGlite), for transactions that bypass Prisma. */
export function sqlDatabaseOf(db: Pick<Database, "pool" | "pglite">): SqlDatabase {
  const { pool, pglite } = db;
  if (pool) {
    return {
      async transaction(work) {
        const client = await pool.connect();
        const query = (text: string, params: readonly unknown[]) => client.query({ name: preparedName(text), text, values: params.map(sqlParam) });
        const sql: Sql = {
          rows: async (text, params = []) => (await query(text, params)).rows,
          execute: async (text, params = []) => (await query(text, params)).rowCount ?? 0,
        };
        let broken: Error | undefined;
        try {
          await client.query("BEGIN");
          const result = await work(sql);
          await client.query("COMMIT");
          return result;
        } catch (error) {
          // A connection that cannot even roll back is discarded, not returned to the pool.
          await client.query("ROLLBACK").catch((rollback: Error) => (broken = rollback));
          throw error;
        } finally {
          client.release(broken);
        }
      },
    };
  }
  if (pglite) {
    return {
      // PGlite's transaction() queues behind Prisma's (its adapter uses the same one).
      transaction: (work) =>
        pglite.transaction((tx) =>
          work({
            rows: async (text, params = []) => (await tx.query(text, params.map(sqlParam))).rows as never[],
            execute: async (text, params = []) => (await tx.query(text, params.map(sqlParam))).affectedRows ?? 0,
          }),
        ),
    };
  }
  throw new Error("sqlDatabaseOf: neither a pool nor PGlite");
}

/**
 * `col = $n, …` for the defined members of `values` (a key is its column's name), numbered from
 * `first`; `undefined` leaves a column alone, as Prisma does. Objects go as JSON text.
 */
export function assignments(values: Record<string, unknown>, first: number): { text: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of Object.entries(values)) {
    if (value === undefined) continue;
    params.push(value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value);
    parts.push(`"${column}" = $${first + params.length - 1}`);
  }
  return { text: parts.join(", "), params };
}

/** A statement, or a part of one, with its own parameters `$1…$n` and their values. */
export interface SqlFragment {
  text: string;
  params: readonly unknown[];
}

/**
 * Fragments to put into one statement after `taken` parameters of its own: each fragment's `$n`
 * renumbered to follow those before it. (Fragments use `$` only for parameters: no dollar quoting.)
 */
export function numberedAfter(taken: number, fragments: readonly SqlFragment[]): { texts: string[]; params: unknown[] } {
  const params: unknown[] = [];
  const texts = fragments.map((fragment) => {
    const offset = taken + params.length;
    params.push(...fragment.params);
    return fragment.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  return { texts, params };
}

/** `camelCase` → `snake_case` (the schema maps every field so). */
export const columnOf = (field: string): string => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * A time-ordered UUID (version 7), as Prisma's `@default(uuid(7))` makes for rows it creates: the
 * millisecond time, then 74 random bits taken from a version-4 UUID (randomUUID draws from a cached
 * entropy pool; a randomBytes call per id cost the webhook path a syscall-sized slice each time).
 */
export function uuidv7(): string {
  const random = randomUUID();
  const time = Date.now().toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
