import { randomBytes } from "node:crypto";
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
const sqlParam = (value: unknown): unknown => (typeof value === "bigint" ? value.toString() : value);

/** The database's own connection (pg pool or PGlite), for transactions that bypass Prisma. */
export function sqlDatabaseOf(db: Pick<Database, "pool" | "pglite">): SqlDatabase {
  const { pool, pglite } = db;
  if (pool) {
    return {
      async transaction(work) {
        const client = await pool.connect();
        const sql: Sql = {
          rows: async (text, params = []) => (await client.query(text, params.map(sqlParam))).rows,
          execute: async (text, params = []) => (await client.query(text, params.map(sqlParam))).rowCount ?? 0,
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

/** `camelCase` → `snake_case` (the schema maps every field so). */
export const columnOf = (field: string): string => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** A time-ordered UUID (version 7), as Prisma's `@default(uuid(7))` makes for rows it creates. */
export function uuidv7(): string {
  const bytes = randomBytes(16);
  const ms = Date.now();
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
