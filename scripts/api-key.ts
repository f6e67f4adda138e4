import { DatabaseLockedError } from "../lib/db/pglite";
import { EnvError } from "../lib/env";
import { API_KEY_NAME_MAX, createApiKey, listApiKeys, normalizePrefix, revokeApiKey } from "../lib/partner-api/keys";
import { openMigratedDatabase } from "./lib/open-database";

/**
 * Partner API keys from the command line (DATABASE_URL as for the server):
 *
 *   npm run api-key -- create <name>     issue a key; it is printed once and cannot be shown again
 *   npm run api-key -- list              prefix, name, created, last used, revoked
 *   npm run api-key -- revoke <prefix>   stop a key at once (accepts pk_live_<prefix>… too)
 *
 * On the embedded database, stop the portal first (a PGlite directory belongs to one process), or
 * use the admin endpoint POST /api/admin/api-keys while it runs.
 */

const USAGE = "usage: npm run api-key -- create <name> | list | revoke <prefix>";
const CLI_ACTOR = { type: "system" as const, id: "cli:api-key" };

class UsageError extends Error {}

function when(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 19) + "Z" : "—";
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === "create") {
    const name = rest.join(" ").trim();
    if (!name) throw new UsageError("create needs a name, e.g. npm run api-key -- create \"CRM backend\"");
    if (name.length > API_KEY_NAME_MAX) throw new UsageError(`the name must be at most ${API_KEY_NAME_MAX} characters`);
  } else if (command === "revoke") {
    if (!rest[0] || !normalizePrefix(rest[0])) throw new UsageError("revoke needs a key prefix (12 hex characters, as `list` shows)");
  } else if (command !== "list") {
    throw new UsageError(`unknown command "${command}"`);
  }

  const db = await openMigratedDatabase();
  try {
    switch (command) {
      case "create": {
        const created = await createApiKey(db.prisma, { name: rest.join(" "), actor: CLI_ACTOR });
        console.log(`Created API key "${created.name}" (prefix ${created.prefix}).`);
        console.log("Copy it now: it is shown only this once and cannot be recovered (only its hash is stored).\n");
        console.log(`  ${created.key}\n`);
        console.log("Send it as  Authorization: Bearer <key>  (or X-API-Key: <key>).");
        return 0;
      }
      case "list": {
        const keys = await listApiKeys(db.prisma);
        if (keys.length === 0) {
          console.log("No API keys yet. Create one with: npm run api-key -- create <name>");
          return 0;
        }
        const rows = keys.map((key) => [key.prefix, key.revokedAt ? "revoked" : "active", when(key.createdAt), when(key.lastUsedAt), key.name]);
        const header = ["prefix", "state", "created", "last used", "name"];
        const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
        const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ");
        console.log(line(header));
        rows.forEach((row) => console.log(line(row)));
        return 0;
      }
      case "revoke": {
        const revoked = await revokeApiKey(db.prisma, rest[0]!, CLI_ACTOR);
        if (!revoked) {
          console.error(`No API key with prefix ${normalizePrefix(rest[0]!)}.`);
          return 1;
        }
        console.log(`Revoked ${revoked.prefix} ("${revoked.name}") at ${when(revoked.revokedAt)}; requests with it now get 401.`);
        return 0;
      }
    }
    return 2;
  } finally {
    await db.close().catch(() => undefined);
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) console.error(`error: ${error.message}\n${USAGE}`);
  else if (error instanceof EnvError) console.error(`error: invalid configuration: ${error.message}`);
  else if (error instanceof DatabaseLockedError) console.error(`error: ${error.message}\n(or use POST /api/admin/api-keys while the portal runs)`);
  else console.error(error instanceof Error && !process.env.DEBUG ? `error: ${error.message}` : error);
  process.exitCode = 1;
}
