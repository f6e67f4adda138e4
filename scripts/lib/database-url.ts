import type { DatabaseTarget } from "../../lib/env";

/** The DATABASE_URL spelling of a parsed target, to hand the same database to a child process. */
export function databaseUrlOf(target: DatabaseTarget): string {
  if (target.kind === "postgres") return target.url;
  return target.dataDir === null ? "pglite:memory" : `pglite:${target.dataDir}`;
}
