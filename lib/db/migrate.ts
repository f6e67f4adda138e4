import { randomBytes } from "node:crypto";
import type { EventEmitter } from "node:events";
import { type Dirent, existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type {
  CreateMigrationOutput,
  DiagnoseMigrationHistoryOutput,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Database } from "./client";
import { PGLITE_EXTENSIONS } from "./pglite";

/**
 * Prisma migrations without the native schema engine (which cannot be downloaded offline).
 *
 * The WASM build of Prisma's schema engine is driven through the same driver adapters the app
 * uses, on the SAME PGlite instance or PostgreSQL server. It reads `prisma/migrations` in the
 * layout `prisma migrate` uses and writes the standard `_prisma_migrations` table, so a machine
 * with the native engine can run `prisma migrate deploy` on the same history.
 *
 * No Next.js imports: used by scripts, tests and the server's instrumentation.
 */

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface MigrateOptions {
  /** Folder holding `schema.prisma` and `migrations/`; default `<cwd>/prisma`. */
  prismaDir?: string;
  /** Engine log lines (JSON), for debugging. */
  onEngineLog?: (line: string) => void;
}

export interface MigrationStatus {
  /** Migrations recorded as finished (and not rolled back), in order. */
  applied: string[];
  /** Migrations in the folder that the database has not run yet. */
  pending: string[];
  /** Migrations that started and failed; nothing else applies until they are resolved. */
  failed: string[];
  /** Applied migrations whose migration.sql changed afterwards (checksum mismatch). */
  edited: string[];
  /** Recorded in the database but missing from the folder. */
  missingLocally: string[];
  hasMigrationsTable: boolean;
  upToDate: boolean;
  /** One line for humans. */
  summary: string;
}

export interface CreatedMigration {
  /** Directory name, `<timestamp>_<name>`. */
  name: string;
  /** Absolute path of the written migration.sql. */
  path: string;
  sql: string;
  /** Pending migrations that were applied first (as `prisma migrate dev --create-only` does). */
  appliedFirst: string[];
}

/** An expected migration failure with a readable one-line message (the cause keeps driver details). */
export class MigrationError extends Error {
  override name = "MigrationError";
  /** The migration that failed to apply, when that is what happened. */
  readonly failedMigration: string | undefined;
  constructor(message: string, options: { cause?: unknown; failedMigration?: string } = {}) {
    super(message, { cause: options.cause });
    this.failedMigration = options.failedMigration;
  }
}

/** Applies every pending migration (like `prisma migrate deploy`). Idempotent. */
export async function applyMigrations(db: Database, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  return exclusive(db, () =>
    withEngine(db, options, async (engine, ctx) => {
      const list = await loadMigrationList(ctx.migrationsDir);
      const output = await ctx.call(() => engine.applyMigrations({ migrationsList: list, filters: NO_FILTER }));
      return { applied: output.appliedMigrationNames };
    }),
  );
}

/** Compares the migrations folder with the database's `_prisma_migrations` table. */
export async function migrationStatus(db: Database, options: MigrateOptions = {}): Promise<MigrationStatus> {
  return exclusive(db, () =>
    withEngine(db, options, async (engine, ctx) => {
      const list = await loadMigrationList(ctx.migrationsDir);
      const diagnostic = await ctx.call(() =>
        engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTER }),
      );
      const applied = diagnostic.hasMigrationsTable ? await readAppliedMigrations(db) : [];
      return describeStatus(list, diagnostic, applied);
    }),
  );
}

/**
 * Writes `<migrationsDir>/<timestamp>_<name>/migration.sql` with the SQL that takes the migration
 * history to the current `schema.prisma` (computed on a throw-away shadow database), plus
 * `migration_lock.toml`. Pending migrations are applied to `db` first. Returns null when the schema
 * has no changes. The new migration itself is NOT applied.
 */
export async function createMigration(db: Database, name: string, options: MigrateOptions = {}): Promise<CreatedMigration | null> {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (slug === "") throw new MigrationError(`Invalid migration name "${name}": use letters, digits and underscores`);
  return exclusive(db, () =>
    withEngine(db, options, async (engine, ctx) => {
      const list = await loadMigrationList(ctx.migrationsDir);
      const { appliedMigrationNames } = await ctx.call(() => engine.applyMigrations({ migrationsList: list, filters: NO_FILTER }));
      // Detects drift, and the engine only accepts a shadow database for a migration list
      // devDiagnostic has seen (after the pending migrations were applied).
      await ensureNoDrift(engine, ctx, list);
      const output: CreateMigrationOutput = await ctx.call(() =>
        engine.createMigration({
          draft: false,
          migrationName: slug,
          migrationsList: list,
          schema: { files: [{ path: ctx.schemaPath, content: ctx.schemaText }] },
          filters: NO_FILTER,
        }),
      );
      if (output.migrationScript === null) return null;
      const dir = path.join(ctx.migrationsDir, output.generatedMigrationName);
      if (existsSync(dir)) throw new MigrationError(`The migration directory already exists: ${dir}`);
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `migration.${output.extension}`);
      await writeFile(file, output.migrationScript, "utf8");
      await writeFile(
        path.join(ctx.migrationsDir, LOCKFILE),
        `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${output.connectorType}"\n`,
        "utf8",
      );
      return { name: output.generatedMigrationName, path: file, sql: output.migrationScript, appliedFirst: appliedMigrationNames };
    }),
  );
}

/** Drops everything in the database (tables, types, data, migration history), then re-applies all migrations. */
export async function resetDatabase(db: Database, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  return exclusive(db, () =>
    withEngine(db, options, async (engine, ctx) => {
      await ctx.call(() => engine.reset({ filter: NO_FILTER }));
      const list = await loadMigrationList(ctx.migrationsDir);
      const output = await ctx.call(() => engine.applyMigrations({ migrationsList: list, filters: NO_FILTER }));
      return { applied: output.appliedMigrationNames };
    }),
  );
}

/**
 * Marks a failed migration as rolled back (like `prisma migrate resolve --rolled-back`), after its
 * effects were undone by hand, so a fixed version can be applied.
 */
export async function markMigrationRolledBack(db: Database, migrationName: string, options: MigrateOptions = {}): Promise<void> {
  await exclusive(db, () =>
    withEngine(db, options, async (engine, ctx) => {
      await ctx.call(() => engine.markMigrationRolledBack({ migrationName }));
    }),
  );
}

/** Reads `prisma/migrations` into the engine's MigrationList shape (same as @prisma/migrate). */
export async function loadMigrationList(migrationsDir: string): Promise<MigrationList> {
  const lockContent = await readFile(path.join(migrationsDir, LOCKFILE), "utf8").catch(() => null);
  let entries: Dirent[] = [];
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const migrationDirectories: MigrationList["migrationDirectories"] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const content = await readFile(path.join(migrationsDir, entry.name, "migration.sql"), "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (error: Error) => ({ tag: "error" as const, value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  return { baseDir: migrationsDir, lockfile: { path: LOCKFILE, content: lockContent }, shadowDbInitScript: "", migrationDirectories };
}

// ---------------------------------------------------------------------------------------------
// Status helpers
// ---------------------------------------------------------------------------------------------

const LOCKFILE = "migration_lock.toml";
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

async function readAppliedMigrations(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at, migration_name`,
  );
  return rows.map((row) => row.migration_name);
}

function describeStatus(list: MigrationList, diagnostic: DiagnoseMigrationHistoryOutput, applied: string[]): MigrationStatus {
  const history = diagnostic.history;
  let pending: string[] = [];
  let missingLocally: string[] = [];
  if (history?.diagnostic === "databaseIsBehind") pending = history.unappliedMigrationNames;
  if (history?.diagnostic === "migrationsDirectoryIsBehind") missingLocally = history.unpersistedMigrationNames;
  if (history?.diagnostic === "historiesDiverge") {
    pending = history.unappliedMigrationNames;
    missingLocally = history.unpersistedMigrationNames;
  }
  const failed = diagnostic.failedMigrationNames;
  const edited = diagnostic.editedMigrationNames;
  // A failed migration is not "pending" for the engine's history diagnostic; keep it out of both lists.
  pending = pending.filter((name) => !failed.includes(name));
  const upToDate = pending.length === 0 && failed.length === 0 && edited.length === 0 && missingLocally.length === 0;
  const total = list.migrationDirectories.length;
  const parts: string[] = [];
  if (failed.length > 0) parts.push(`FAILED: ${failed.join(", ")} (fix it, then reset or mark it rolled back)`);
  if (edited.length > 0) parts.push(`edited after being applied: ${edited.join(", ")}`);
  if (missingLocally.length > 0) parts.push(`applied but missing from the migrations folder: ${missingLocally.join(", ")}`);
  if (pending.length > 0) parts.push(`${pending.length} pending: ${pending.join(", ")}`);
  const summary = upToDate
    ? `Database schema is up to date (${applied.length} of ${total} migration${total === 1 ? "" : "s"} applied).`
    : `${applied.length} of ${total} migration${total === 1 ? "" : "s"} applied; ${parts.join("; ")}.`;
  return { applied, pending, failed, edited, missingLocally, hasMigrationsTable: diagnostic.hasMigrationsTable, upToDate, summary };
}

async function ensureNoDrift(engine: SchemaEngine, ctx: EngineContext, list: MigrationList): Promise<void> {
  const { action } = await ctx.call(() => engine.devDiagnostic({ migrationsList: list, filters: NO_FILTER }));
  if (action.tag === "reset") {
    throw new MigrationError(
      `The database does not match the migration history, so no migration can be generated from it: ${oneLine(action.reason).replace(/\.?$/, ".")} Run \`npm run db:reset\` on a development database.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Engine plumbing
// ---------------------------------------------------------------------------------------------

interface EngineContext {
  schemaPath: string;
  schemaText: string;
  migrationsDir: string;
  /** Runs an engine call, turning its errors (and `External error id#N`) into MigrationError. */
  call<T>(fn: () => Promise<T>): Promise<T>;
}

/** Migration commands on one database run one at a time within this process. */
const queues = new WeakMap<Database, Promise<unknown>>();
function exclusive<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(db) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  queues.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}

async function withEngine<T>(db: Database, options: MigrateOptions, fn: (engine: SchemaEngine, ctx: EngineContext) => Promise<T>): Promise<T> {
  const prismaDir = path.resolve(options.prismaDir ?? path.join(process.cwd(), "prisma"));
  const schemaPath = path.join(prismaDir, "schema.prisma");
  const migrationsDir = path.join(prismaDir, "migrations");
  let schemaText: string;
  try {
    schemaText = await readFile(schemaPath, "utf8");
  } catch (error) {
    throw new MigrationError(`Cannot read the Prisma schema ${schemaPath}: ${(error as Error).message}`, { cause: error });
  }

  const factory = createMigrationAdapterFactory(db);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const ctx: EngineContext = {
    schemaPath,
    schemaText,
    migrationsDir,
    call: async (run) => {
      try {
        return await run();
      } catch (error) {
        // After a panic the WASM instance cannot be trusted: the next command loads a new one.
        if (error instanceof WebAssembly.RuntimeError) globalForEngine.__portalSchemaEngine = undefined;
        throw toMigrationError(error, bound);
      }
    },
  };
  const { SchemaEngine } = await loadSchemaEngine();
  let engine: SchemaEngine | undefined;
  try {
    engine = await ctx.call(() => SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] }, (line: string) => options.onEngineLog?.(line), bound));
    return await fn(engine, ctx);
  } finally {
    try {
      engine?.free();
    } finally {
      await factory.cleanup();
    }
  }
}

/** Turns an engine rejection into a MigrationError with a readable message. */
function toMigrationError(error: unknown, bound: ErrorCapturingSqlMigrationAwareDriverAdapterFactory): Error {
  if (error instanceof MigrationError) return error;
  let cause: unknown = error;
  // Errors our adapters threw that are not DriverAdapterErrors come back as `External error id#N`.
  const text = errorMessage(error).replace(/External error id#(\d+)/g, (match, id: string) => {
    const record = bound.errorRegistry.consumeError(Number(id));
    if (!record) return match;
    cause = record.error;
    return errorMessage(record.error);
  });
  const code = typeof (error as { code?: unknown } | null)?.code === "string" ? (error as { code: string }).code : undefined;
  // The engine appends a span trace ("   0: sql_schema_connector::... with migration_name=...").
  const body = oneLine((text.split(/\n\s*\d+: /)[0] ?? text).replace(/external connector error\s*/gi, ""));
  const failedNow = /migration_name="([^"]+)"/.exec(text)?.[1];
  const failedBefore = /The `([^`]+)` migration started at [^\n]* failed/.exec(text)?.[1];
  if (failedNow) {
    return new MigrationError(`Migration ${failedNow} failed and is recorded as failed: ${body}`, { cause, failedMigration: failedNow });
  }
  if (code === "P3009" && failedBefore) {
    return new MigrationError(
      `Migration ${failedBefore} is recorded as failed, so no migration applies until it is resolved (development: npm run db:reset; production: undo its effects, then mark it rolled back) [P3009]`,
      { cause, failedMigration: failedBefore },
    );
  }
  return new MigrationError(code && !body.includes(code) ? `${body} [${code}]` : body, { cause });
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  if (error && typeof error === "object") {
    const record = error as { message?: unknown; error?: unknown };
    if (typeof record.message === "string") return record.message;
    if (typeof record.error === "string") return record.error;
    try {
      return JSON.stringify(error);
    } catch {
      // fall through
    }
  }
  return String(error);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------
// The WASM engine, loaded lazily and once per process
// ---------------------------------------------------------------------------------------------

interface EngineModule {
  SchemaEngine: typeof SchemaEngine;
}

const globalForEngine = globalThis as unknown as { __portalSchemaEngine?: Promise<EngineModule> };

function loadSchemaEngine(): Promise<EngineModule> {
  globalForEngine.__portalSchemaEngine ??= instantiateSchemaEngine().catch((error: unknown) => {
    globalForEngine.__portalSchemaEngine = undefined;
    throw new MigrationError(`Cannot load @prisma/schema-engine-wasm: ${errorMessage(error)}`, { cause: error });
  });
  return globalForEngine.__portalSchemaEngine;
}

async function instantiateSchemaEngine(): Promise<EngineModule> {
  // Resolved from the project root: under Turbopack `createRequire(import.meta.url).resolve()`
  // becomes a numeric module id.
  const require = createRequire(path.join(process.cwd(), "package.json"));
  const jsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(path.dirname(jsPath), "schema_engine_bg.wasm");
  const bindings = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(jsPath).href)) as Record<string, unknown> & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
    SchemaEngine: typeof SchemaEngine;
  };
  // The package entry imports the .wasm file as an ES module (needs a Node flag): instantiate it
  // here with the JS glue as the import object.
  const imports: Record<string, unknown> = { ...bindings };
  for (const [key, value] of Object.entries(bindings)) {
    if (key.startsWith("__wbg_setTimeout_") && typeof value === "function") {
      // The engine leaves 10 s timers behind; unref them so commands do not linger.
      imports[key] = (...args: unknown[]) => {
        const timer = (value as (...a: unknown[]) => unknown)(...args);
        (timer as { unref?: () => void } | null)?.unref?.();
        return timer;
      };
    }
  }
  const compiled = await WebAssembly.compile(await readFile(wasmPath));
  const instance = await WebAssembly.instantiate(compiled, { "./schema_engine_bg.js": imports as WebAssembly.ModuleImports });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return { SchemaEngine: bindings.SchemaEngine };
}

// ---------------------------------------------------------------------------------------------
// Driver adapters for the migration connection
// ---------------------------------------------------------------------------------------------

interface MigrationAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Closes every connection and shadow database this factory opened. */
  cleanup(): Promise<void>;
}

interface PgErrorFields {
  code?: unknown;
  severity?: unknown;
  message?: unknown;
  detail?: unknown;
  column?: unknown;
  hint?: unknown;
}

/** A PostgreSQL error from pg or PGlite as the engine understands it (its message lands in `_prisma_migrations.logs`). */
function toDriverError(error: unknown): unknown {
  const e = error as PgErrorFields | null;
  if (e && typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.message === "string") {
    return new DriverAdapterError({
      kind: "postgres",
      code: e.code,
      severity: typeof e.severity === "string" ? e.severity : "ERROR",
      message: e.message,
      detail: typeof e.detail === "string" ? e.detail : undefined,
      column: typeof e.column === "string" ? e.column : undefined,
      hint: typeof e.hint === "string" ? e.hint : undefined,
    });
  }
  return error;
}

/**
 * Migration scripts run as ONE multi-statement simple query, as Prisma's native engine does:
 * PostgreSQL (and PGlite) run it in a single implicit transaction, so a failing migration leaves
 * nothing half-applied. (adapter-pg splits on ";", pglite-prisma-adapter does not await.)
 */
function withScriptRunner(adapter: SqlDriverAdapter, run: (script: string) => Promise<unknown>): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await run(script);
    } catch (error) {
      throw toDriverError(error);
    }
  };
  return adapter;
}

function createMigrationAdapterFactory(db: Database): MigrationAdapterFactory {
  if (db.target.kind === "pglite") {
    if (!db.pglite) throw new MigrationError("The PGlite database has no open instance");
    return pgliteFactory(db.pglite);
  }
  return postgresFactory(db.target.url);
}

/** Empties a PGlite shadow database for its next use (cheaper than starting another instance). */
const RESET_SHADOW_SQL = `DO $$ DECLARE s name; BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
END $$;
CREATE SCHEMA public;`;

function pgliteFactory(pglite: PGlite): MigrationAdapterFactory {
  const base = new PrismaPGlite(pglite);
  // The shadow is an in-memory PGlite, started once per command and emptied between uses.
  let shadow: { pglite: PGlite; used: boolean } | undefined;
  return {
    provider: "postgres",
    adapterName: base.adapterName,
    async connect() {
      const adapter = await base.connect();
      // The app's instance stays open: the adapter's dispose is a no-op.
      return withScriptRunner(adapter, (script) => pglite.exec(script));
    },
    async connectToShadowDb() {
      if (!shadow) shadow = { pglite: await PGlite.create({ extensions: PGLITE_EXTENSIONS }), used: false };
      else if (shadow.used) await shadow.pglite.exec(RESET_SHADOW_SQL);
      shadow.used = true;
      const instance = shadow.pglite;
      return withScriptRunner(await new PrismaPGlite(instance).connect(), (script) => instance.exec(script));
    },
    async cleanup() {
      if (shadow && !shadow.pglite.closed) await shadow.pglite.close().catch(() => undefined);
      shadow = undefined;
    },
  };
}

/**
 * adapter-pg 7.10 cannot decode PostgreSQL's internal `"char"` type (OID 18), which the engine's
 * introspection reads (pg_class.relkind, ...). For migration connections only, report such
 * columns as text.
 */
class CharAsTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const connection = (this as unknown as { connection: EventEmitter }).connection;
    // Runs before pg's own RowDescription handler (registered on connect).
    connection.prependListener("rowDescription", (msg: { fields?: Array<{ dataTypeID: number }> }) => {
      for (const field of msg.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    });
  }
}

function postgresFactory(url: string): MigrationAdapterFactory {
  // Separate host/port/user/database fields (a connectionString would override `database`).
  const baseConfig = parseIntoClientConfig(url);
  const pools: pg.Pool[] = [];
  const shadowDatabases: string[] = [];

  const newPool = (database?: string) => {
    // One connection, like the native engine: its advisory lock and session state stay put.
    const pool = new pg.Pool({
      ...baseConfig,
      ...(database ? { database } : {}),
      application_name: "portal-migrate",
      Client: CharAsTextClient as unknown as new () => pg.ClientBase,
      max: 1,
      idleTimeoutMillis: 0,
    });
    pool.on("error", () => undefined); // idle-connection errors surface on the next query
    pools.push(pool);
    return pool;
  };
  const endPool = async (pool: pg.Pool) => {
    if (!pool.ended) await pool.end().catch(() => undefined);
  };
  const adapterOn = async (pool: pg.Pool, dispose: () => Promise<void>) => {
    const adapter = withScriptRunner(await new PrismaPg(pool).connect(), (script) => pool.query(script));
    adapter.dispose = dispose;
    return adapter;
  };
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ ...baseConfig, application_name: "portal-migrate" });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const dropShadow = async (name: string) => {
    await admin(async (client) => {
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      } catch (error) {
        // Still in use (55006): PostgreSQL 13+ can force it.
        if ((error as PgErrorFields).code !== "55006") throw error;
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    });
    const index = shadowDatabases.indexOf(name);
    if (index >= 0) shadowDatabases.splice(index, 1);
  };

  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    async connect() {
      const pool = newPool();
      return adapterOn(pool, () => endPool(pool));
    },
    async connectToShadowDb() {
      const name = `prisma_shadow_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
      try {
        await admin((client) => client.query(`CREATE DATABASE "${name}"`));
      } catch (error) {
        throw new Error(
          `Cannot create a shadow database to compute the migration (the user needs CREATEDB): ${errorMessage(error)}`,
          { cause: error },
        );
      }
      shadowDatabases.push(name);
      const pool = newPool(name);
      // Close the shadow's connections first, then drop it.
      return adapterOn(pool, async () => {
        await endPool(pool);
        await dropShadow(name);
      });
    },
    async cleanup() {
      await Promise.allSettled(pools.map(endPool));
      for (const name of [...shadowDatabases]) await dropShadow(name).catch(() => undefined);
    },
  };
}
