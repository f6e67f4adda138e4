import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The embedded database. A PGlite data directory may be opened by ONE process at a time: two
 * processes raise no error, each sees only its own writes, and the directory is damaged. A pid lock
 * file makes a second server or script stop with a clear message instead.
 */

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function acquireLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, "utf8").trim() === String(process.pid)) rmSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
        throw new DatabaseLockedError(
          `The embedded database ${dataDir} is in use by process ${holder}. Stop that process (or set DATABASE_URL to a PostgreSQL server) and try again.`,
        );
      }
      if (holder === process.pid) return () => rmSync(lockPath, { force: true });
      rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
  throw new DatabaseLockedError(`Could not lock the embedded database ${dataDir}`);
}

/**
 * Extensions the migrations use (pg_trgm + btree_gin: the recipient-name search index). PGlite loads an
 * extension only when it is passed here, so every PGlite the app or the migration runner opens uses this.
 */
export const PGLITE_EXTENSIONS = { pg_trgm, btree_gin };

export interface OpenedPglite {
  pglite: PGlite;
  close(): Promise<void>;
}

/** Opens (creating if needed) a PGlite database; `dataDir` null means in memory. */
export async function openPglite(dataDir: string | null): Promise<OpenedPglite> {
  if (dataDir === null) {
    const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
    return { pglite, close: () => pglite.close() };
  }
  const release = acquireLock(dataDir);
  const onExit = () => release();
  process.once("exit", onExit);
  try {
    const pglite = await PGlite.create({ dataDir, extensions: PGLITE_EXTENSIONS });
    return {
      pglite,
      async close() {
        try {
          await pglite.close();
        } finally {
          process.removeListener("exit", onExit);
          release();
        }
      },
    };
  } catch (error) {
    process.removeListener("exit", onExit);
    release();
    throw error;
  }
}
