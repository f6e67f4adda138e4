import { env } from "../env";
import { connectDatabase, type Database } from "./client";
import { applyMigrations } from "./migrate";

/**
 * The process-wide database, created lazily on first use (never at import: `next build` would open
 * the data directory while collecting page data). Kept on globalThis because Next evaluates server
 * modules several times per process and `next dev` re-evaluates them on every edit.
 */
const globalForDb = globalThis as unknown as { __portalDb?: Promise<Database> };

async function open(): Promise<Database> {
  const target = env().database;
  const db = await connectDatabase(target, {
    // Logged lazily: the logger reads the environment, which is already parsed here.
    onPoolError: (error) => void import("../logger").then(({ logger }) => logger.warn({ err: error }, "database connection dropped")),
  });
  // A PGlite directory belongs to this process alone, so this process keeps its schema current.
  // PostgreSQL servers are migrated by the deploy step (`npm run db:migrate`).
  if (target.kind === "pglite") await applyMigrations(db);
  return db;
}

export function getDatabase(): Promise<Database> {
  globalForDb.__portalDb ??= open().catch((error: unknown) => {
    globalForDb.__portalDb = undefined;
    throw error;
  });
  return globalForDb.__portalDb;
}

export async function getPrisma() {
  return (await getDatabase()).prisma;
}

export type { Database } from "./client";
