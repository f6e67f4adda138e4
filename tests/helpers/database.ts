import { randomBytes } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { connectDatabase, type Database } from "../../lib/db/client";
import { applyMigrations, type MigrateOptions } from "../../lib/db/migrate";

/**
 * Throw-away databases for integration and e2e tests.
 *
 * - PGlite: a fresh in-memory instance (always available).
 * - PostgreSQL: a new database `portal_test_<random>` on the server named by TEST_DATABASE_URL,
 *   dropped afterwards with `WITH (FORCE)`.
 *
 *     describe.each(testDatabaseKinds())("%s", (kind) => { ... createTestDatabase({ kind }) ... })
 *
 * Other processes (a Next server started by e2e tests) get a database URL from
 * `createPostgresTestDatabase()` or from the CLI:
 *
 *     npx tsx tests/helpers/database.ts create   # prints a fresh, migrated URL
 *     npx tsx tests/helpers/database.ts drop <url>
 *     npx tsx tests/helpers/database.ts drop-stale
 */

export type TestDatabaseKind = "pglite" | "postgres";

export interface TestDatabase extends Database {
  kind: TestDatabaseKind;
  /** PostgreSQL only: the throw-away database's URL. */
  url?: string;
  /** Closes the connection and (PostgreSQL) drops the database. Safe to call twice, and after close(). */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions extends MigrateOptions {
  kind: TestDatabaseKind;
  /** Apply the migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL server to create the database on; default TEST_DATABASE_URL. */
  baseUrl?: string;
}

export const TEST_DATABASE_PREFIX = "portal_test_";

/** `["pglite"]`, plus `"postgres"` when TEST_DATABASE_URL is set. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_DATABASE_URL?.trim() ? ["pglite", "postgres"] : ["pglite"];
}

/** A fresh database of the given kind, migrated unless `migrate: false`. */
export async function createTestDatabase(options: CreateTestDatabaseOptions): Promise<TestDatabase> {
  const { kind, migrate = true, baseUrl, ...migrateOptions } = options;
  if (kind === "pglite") {
    const db = await connectDatabase({ kind: "pglite", dataDir: null });
    return finish(db, kind, migrate, migrateOptions, undefined, async () => undefined);
  }
  const { url, drop: dropDatabase } = await createPostgresTestDatabase({ baseUrl, migrate: false });
  let db: Database;
  try {
    db = await connectDatabase({ kind: "postgres", url }, { poolSize: 5 });
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  return finish(db, kind, migrate, migrateOptions, url, dropDatabase);
}

async function finish(
  db: Database,
  kind: TestDatabaseKind,
  migrate: boolean,
  migrateOptions: MigrateOptions,
  url: string | undefined,
  dispose: () => Promise<void>,
): Promise<TestDatabase> {
  let closed: Promise<void> | undefined;
  let dropped: Promise<void> | undefined;
  const close = () => (closed ??= db.close());
  const drop = () => (dropped ??= close().finally(dispose));
  if (migrate) {
    try {
      await applyMigrations(db, migrateOptions);
    } catch (error) {
      await drop().catch(() => undefined);
      throw error;
    }
  }
  return { ...db, kind, url, close, drop };
}

function requireBaseUrl(baseUrl: string | undefined): string {
  const value = (baseUrl ?? process.env.TEST_DATABASE_URL)?.trim();
  if (!value) throw new Error("TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
  return value;
}

/** The same server and credentials, another database. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function withAdminClient<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...parseIntoClientConfig(baseUrl), application_name: "portal-tests" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates `portal_test_<random>` on the server (TEST_DATABASE_URL unless `baseUrl`), migrated unless
 * `migrate: false`, and returns its URL — for a Next server or another process to use as DATABASE_URL.
 */
export async function createPostgresTestDatabase(
  options: { baseUrl?: string; migrate?: boolean } & MigrateOptions = {},
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const { baseUrl: rawBase, migrate = true, ...migrateOptions } = options;
  const baseUrl = requireBaseUrl(rawBase);
  const name = `${TEST_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdminClient(baseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = withDatabaseName(baseUrl, name);
  const drop = () => dropPostgresTestDatabase(url);
  if (migrate) {
    try {
      const db = await connectDatabase({ kind: "postgres", url }, { poolSize: 1 });
      try {
        await applyMigrations(db, migrateOptions);
      } finally {
        await db.close();
      }
    } catch (error) {
      await drop().catch(() => undefined);
      throw error;
    }
  }
  return { url, name, drop };
}

/** Drops a database made by createPostgresTestDatabase, disconnecting whoever still uses it. */
export async function dropPostgresTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.startsWith(TEST_DATABASE_PREFIX)) throw new Error(`Refusing to drop "${name}": not a ${TEST_DATABASE_PREFIX}* database`);
  await withAdminClient(withDatabaseName(url, "postgres"), (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Drops every `portal_test_*` database left behind by killed test runs; returns their names. */
export async function dropStaleTestDatabases(baseUrl?: string): Promise<string[]> {
  const base = requireBaseUrl(baseUrl);
  return withAdminClient(base, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> current_database()`,
      [`${TEST_DATABASE_PREFIX.replace(/_/g, "\\_")}%`],
    );
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    return rows.map((row) => row.datname);
  });
}

// CLI for other processes: `npx tsx tests/helpers/database.ts create|drop <url>|drop-stale`.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [command, arg] = process.argv.slice(2);
  try {
    if (command === "create") {
      const { url } = await createPostgresTestDatabase();
      console.log(url);
    } else if (command === "drop" && arg) {
      await dropPostgresTestDatabase(arg);
    } else if (command === "drop-stale") {
      const dropped = await dropStaleTestDatabases();
      console.log(dropped.length ? `dropped ${dropped.join(", ")}` : "no stale test databases");
    } else {
      console.error("usage: tsx tests/helpers/database.ts create | drop <url> | drop-stale   (uses TEST_DATABASE_URL)");
      process.exitCode = 2;
    }
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
