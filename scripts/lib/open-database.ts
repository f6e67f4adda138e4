import { connectDatabase, type Database } from "../../lib/db/client";
import { applyMigrations, migrationStatus } from "../../lib/db/migrate";
import { env } from "../../lib/env";

/**
 * The database a command-line tool works on (DATABASE_URL as for the server). PGlite is migrated by
 * whoever opens it (as the server and db:seed do); a PostgreSQL server must already be up to date.
 */
export async function openMigratedDatabase(): Promise<Database> {
  const target = env().database;
  const db = await connectDatabase(target, { poolSize: 2 });
  if (target.kind === "pglite") {
    await applyMigrations(db);
  } else {
    const status = await migrationStatus(db);
    if (!status.upToDate) {
      await db.close();
      throw new Error(`${status.summary} Run npm run db:migrate first.`);
    }
  }
  return db;
}
