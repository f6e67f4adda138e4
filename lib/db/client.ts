import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";
import type { DatabaseTarget } from "../env";
import { openPglite, type OpenedPglite } from "./pglite";

/** A connected database: the Prisma client plus what it runs on, so migrations and LISTEN use the same connection. */
export interface Database {
  prisma: PrismaClient;
  target: DatabaseTarget;
  /** Present on PGlite: the single in-process connection. */
  pglite?: PGlite;
  /** Present on PostgreSQL: the pool the Prisma adapter uses. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export async function connectDatabase(
  target: DatabaseTarget,
  options: { poolSize?: number; onPoolError?: (error: Error) => void } = {},
): Promise<Database> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover, admin) is discarded by the pool;
    // without a listener its "error" event would crash the process.
    pool.on("error", (error) => options.onPoolError?.(error));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      prisma,
      target,
      pool,
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  const opened: OpenedPglite = await openPglite(target.dataDir);
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(opened.pglite),
    // PGlite has one connection: interactive transactions queue behind each other.
    transactionOptions: { maxWait: 30_000, timeout: 30_000 },
  });
  return {
    prisma,
    target,
    pglite: opened.pglite,
    async close() {
      await prisma.$disconnect();
      await opened.close();
    },
  };
}
