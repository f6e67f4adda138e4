/**
 * The stack Playwright tests run against: a fresh data dir (or a fresh PostgreSQL database from
 * E2E_DATABASE_URL), the real sandbox, the production build. Started by playwright.config.ts.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { connectDatabase } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { seedDevOperators } from "../lib/auth/seed";
import { parseDatabaseUrl } from "../lib/env";
import { databaseUrlOf } from "./lib/database-url";
import { buildIfNeeded, startStack } from "./lib/stack";
import { E2E_PORTAL_URL, E2E_SANDBOX_URL } from "../tests/e2e/urls";
import { widgetScriptIntegrity } from "../sandbox/widget-script";

const options = z
  .object({ E2E_DATABASE_URL: z.string().optional(), E2E_DATA_DIR: z.string().default(`data/e2e-${process.env.E2E_PORTAL_PORT ?? 3100}`) })
  .parse(process.env);

async function main() {
  const dataDir = path.resolve(options.E2E_DATA_DIR);
  rmSync(dataDir, { recursive: true, force: true });
  const target = parseDatabaseUrl(options.E2E_DATABASE_URL, path.join(dataDir, "pglite"));
  buildIfNeeded();
  const db = await connectDatabase(target);
  try {
    await applyMigrations(db);
    await seedDevOperators(db.prisma);
  } finally {
    await db.close();
  }
  const stack = await startStack({
    portalUrl: E2E_PORTAL_URL,
    sandboxUrl: E2E_SANDBOX_URL,
    dataDir,
    databaseUrl: databaseUrlOf(target),
    // The widget script loads with Subresource Integrity, as production should run it.
    env: { LOG_LEVEL: "info", BANK131_WIDGET_INTEGRITY: widgetScriptIntegrity(E2E_SANDBOX_URL) },
    logDir: path.join(dataDir, "logs"),
  });
  console.log(`e2e stack ready: ${E2E_PORTAL_URL} (sandbox ${E2E_SANDBOX_URL})`);
  const shutdown = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
  const { name, code } = await stack.exited;
  console.error(`e2e stack: ${name} exited with ${code}`);
  await stack.stop();
  process.exit(1);
}

main().catch((error: unknown) => {
  console.error(`e2e stack: ${(error as Error).message}`);
  process.exit(1);
});
