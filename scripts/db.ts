import { performance } from "node:perf_hooks";
import { connectDatabase, type Database } from "../lib/db/client";
import {
  applyMigrations,
  createMigration,
  markMigrationRolledBack,
  MigrationError,
  migrationStatus,
  resetDatabase,
} from "../lib/db/migrate";
import { DatabaseLockedError } from "../lib/db/pglite";
import { env, EnvError, type DatabaseTarget } from "../lib/env";

/**
 * Database commands behind the npm scripts (WASM schema engine: no `prisma migrate` needed).
 *
 *   npm run db:migrate                        apply pending migrations
 *   npm run db:migration:create -- <name>     write prisma/migrations/<timestamp>_<name> from schema.prisma
 *   npm run db:status                         applied / pending / failed migrations (exit 1 unless up to date)
 *   npm run db:reset [-- --force]             drop everything and re-apply (refused in production without --force)
 *   npm run db:seed                           create the development operators (refused in production)
 *   tsx scripts/db.ts resolve --rolled-back <migration>   after a failed migration was undone by hand
 *
 * Uses DATABASE_URL (PostgreSQL, pglite:<dir>, pglite:memory; default ./data/pglite).
 */

const USAGE = `usage: tsx scripts/db.ts <migrate | create <name> | status | reset [--force] | seed | resolve --rolled-back <migration>>`;

class UsageError extends Error {}

function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "pglite") return target.dataDir === null ? "PGlite (in memory)" : `PGlite ${target.dataDir}`;
  try {
    const url = new URL(target.url);
    return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
  } catch {
    return "PostgreSQL";
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function list(names: string[]): string {
  return names.map((name) => `  - ${name}`).join("\n");
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const force = rest.includes("--force");
  const positional = rest.filter((arg) => !arg.startsWith("--"));
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!["migrate", "create", "status", "reset", "seed", "resolve"].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command === "create" && !positional[0]) throw new UsageError("create needs a migration name, e.g. npm run db:migration:create -- add_refunds");
  if (command === "resolve" && (!rest.includes("--rolled-back") || !positional[0])) {
    throw new UsageError("resolve needs --rolled-back <migration name>");
  }

  const config = env();
  // The development operators have published passwords: never in production, whatever the flags.
  if (command === "seed" && config.isProduction) {
    throw new UsageError("refusing to seed with NODE_ENV=production: the development operators have published passwords (invite operators instead)");
  }
  if (command === "reset" && config.isProduction && !force) {
    throw new UsageError(`refusing to ${command} with NODE_ENV=production; add --force if you really mean it`);
  }

  const target = config.database;
  console.log(`${command}: ${describeTarget(target)}`);
  const started = performance.now();
  let db: Database | undefined;
  try {
    db = await connectDatabase(target, { poolSize: 2 });
    // Connect once up front: pg's own errors (role/database missing, refused) are the clearest.
    if (db.pool) await db.pool.query("SELECT 1");
    const code = await execute(command, db, positional);
    console.log(`${code === 0 ? "done" : "finished"} in ${seconds(performance.now() - started)}`);
    return code;
  } finally {
    await db?.close().catch(() => undefined);
  }
}

async function execute(command: string, db: Database, positional: string[]): Promise<number> {
  switch (command) {
    case "migrate": {
      const { applied } = await applyMigrations(db);
      console.log(applied.length === 0 ? "No pending migrations." : `Applied ${applied.length} migration(s):\n${list(applied)}`);
      return 0;
    }
    case "create": {
      const created = await createMigration(db, positional[0]!);
      if (created?.appliedFirst.length) console.log(`Applied pending migration(s) first:\n${list(created.appliedFirst)}`);
      if (!created) {
        console.log("No schema changes: prisma/schema.prisma matches the migration history. Nothing written.");
        return 0;
      }
      console.log(`Created ${created.path}\nReview it, then apply it with: npm run db:migrate`);
      return 0;
    }
    case "status": {
      const status = await migrationStatus(db);
      if (status.applied.length) console.log(`Applied:\n${list(status.applied)}`);
      if (status.pending.length) console.log(`Pending:\n${list(status.pending)}`);
      if (status.failed.length) console.log(`Failed:\n${list(status.failed)}`);
      if (status.edited.length) console.log(`Edited after being applied:\n${list(status.edited)}`);
      if (status.missingLocally.length) console.log(`Applied but missing from prisma/migrations:\n${list(status.missingLocally)}`);
      console.log(status.summary);
      return status.upToDate ? 0 : 1;
    }
    case "reset": {
      const { applied } = await resetDatabase(db);
      console.log(`Dropped all data and schema; applied ${applied.length} migration(s):\n${list(applied)}`);
      return 0;
    }
    case "seed": {
      if (db.target.kind === "pglite") {
        // The embedded database is migrated by whoever opens it (as the app does).
        const { applied } = await applyMigrations(db);
        if (applied.length) console.log(`Applied ${applied.length} pending migration(s) first.`);
      } else {
        const status = await migrationStatus(db);
        if (!status.upToDate) throw new MigrationError(`${status.summary} Run npm run db:migrate first.`);
      }
      const { seedDevOperators } = await import("../lib/auth/seed");
      const result = await seedDevOperators(db.prisma);
      console.log(result.created.length ? `Created operators:\n${list(result.created)}` : "All development operators already exist.");
      return 0;
    }
    case "resolve": {
      await markMigrationRolledBack(db, positional[0]!);
      console.log(`Marked ${positional[0]} as rolled back; fix it, then run npm run db:migrate.`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** One line for failures a user can fix; null for bugs (those keep their stack trace). */
export function explainFailure(error: unknown): string | null {
  if (error instanceof UsageError) return `${error.message}\n${USAGE}`;
  if (error instanceof EnvError) return `invalid configuration: ${error.message}`;
  if (error instanceof DatabaseLockedError) return error.message;
  // Walk the cause chain (MigrationError → driver error; AggregateError from pg on dual-stack hosts).
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift() as ErrorLike | undefined;
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const where = [current.address ?? current.hostname, current.port].filter(Boolean).join(":");
    switch (current.code) {
      case "ECONNREFUSED":
        return `cannot connect to PostgreSQL${where ? ` at ${where}` : ""}: connection refused (is the server running? check DATABASE_URL)`;
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return `cannot connect to PostgreSQL: host ${String(current.hostname ?? "")} not found (check DATABASE_URL)`;
      case "ETIMEDOUT":
        return `cannot connect to PostgreSQL${where ? ` at ${where}` : ""}: timed out`;
      case "3D000":
        return `PostgreSQL: ${String(current.message)} (create it first, or fix DATABASE_URL)`;
      case "28P01":
      case "28000":
        return `PostgreSQL rejected the credentials: ${String(current.message)} (check DATABASE_URL)`;
      case "42501":
        return `PostgreSQL: permission denied: ${String(current.message)}`;
    }
    if (current.cause) queue.push(current.cause);
    if (Array.isArray(current.errors)) queue.push(...current.errors);
  }
  if (error instanceof MigrationError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/Can't reach database server|connection refused|ECONNREFUSED/i.test(message)) return `cannot connect to the database: ${message.split("\n")[0]}`;
  return null;
}

const started = performance.now();
try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  const explained = explainFailure(error);
  if (explained) console.error(`error: ${explained}`);
  else console.error(error);
  console.error(`failed after ${seconds(performance.now() - started)}`);
  process.exitCode = 1;
}
