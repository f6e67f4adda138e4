import { DatabaseLockedError } from "../lib/db/pglite";
import { EnvError } from "../lib/env";
import { sealAuditChain, verifyAuditChain } from "../lib/payouts/audit";
import { openMigratedDatabase } from "./lib/open-database";

/**
 * Checks the audit log's hash chain (DATABASE_URL as for the server):
 *
 *   npm run audit:verify     seal committed events not yet linked, then walk the chain; exit 1 at the first broken link
 *
 * On the embedded database, stop the portal first (a PGlite directory belongs to one process).
 */

async function run(): Promise<number> {
  const db = await openMigratedDatabase();
  try {
    // Sealing only links events that have none yet; it can never change a sealed one.
    const sealed = await sealAuditChain(db.prisma);
    if (sealed > 0) console.log(`Sealed ${sealed} event(s) that were waiting for the chain.`);
    const verdict = await verifyAuditChain(db.prisma);
    if (verdict.ok) {
      console.log(`OK: ${verdict.count} audit event(s), the hash chain is intact.`);
      return 0;
    }
    const reasons = {
      hash_mismatch: "its stored hash does not match its contents (the row was changed)",
      prev_hash_mismatch: "its previous-hash does not match the event before it (an event was changed, removed or inserted)",
      sequence_gap: "the sequence skips here (events were removed)",
      not_hashed: "it has a place in the chain but no hash (its hash was removed)",
    } as const;
    console.error(`BROKEN at sequence ${verdict.sequence} (id ${verdict.id}): ${reasons[verdict.reason]}`);
    console.error(`  expected: ${verdict.expected ?? "—"}`);
    console.error(`  stored:   ${verdict.stored ?? "—"}`);
    console.error(`${verdict.count} event(s) before it verified.`);
    return 1;
  } finally {
    await db.close().catch(() => undefined);
  }
}

try {
  process.exitCode = await run();
} catch (error) {
  if (error instanceof EnvError) console.error(`error: invalid configuration: ${error.message}`);
  else if (error instanceof DatabaseLockedError) console.error(`error: ${error.message}`);
  else console.error(error instanceof Error && !process.env.DEBUG ? `error: ${error.message}` : error);
  process.exitCode = 2;
}
