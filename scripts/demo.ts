/**
 * `npm run demo`: build if needed, migrate, seed dev operators, start the Bank 131 sandbox and the
 * portal, print where everything is. Ctrl-C stops everything it started; data stays in ./data.
 */
import { connectDatabase } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { DEV_OPERATORS, seedDevOperators } from "../lib/auth/seed";
import { env, EnvError } from "../lib/env";
import { databaseUrlOf } from "./lib/database-url";
import { buildIfNeeded, startStack } from "./lib/stack";

const log = (line: string) => console.log(`demo │ ${line}`);

async function main() {
  const settings = env();
  buildIfNeeded(log);

  // Migrate and seed here, then release the database: a PGlite directory has one owner at a time.
  const started = Date.now();
  const db = await connectDatabase(settings.database);
  try {
    const { applied } = await applyMigrations(db);
    log(`database: ${settings.database.kind}${applied.length ? `, applied ${applied.join(", ")}` : ", schema up to date"}`);
    const { created } = await seedDevOperators(db.prisma);
    if (created.length) log(`seed: created ${created.join(", ")}`);
  } finally {
    await db.close();
  }
  log(`database ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const stack = await startStack({
    portalUrl: settings.auth.url,
    sandboxUrl: settings.bank131.apiUrl,
    dataDir: settings.dataDir,
    databaseUrl: databaseUrlOf(settings.database),
    inheritOutput: true,
    log,
  });

  const portal = settings.auth.url.replace(/\/$/, "");
  const sandbox = settings.bank131.apiUrl;
  console.log(
    [
      "",
      "  Bank 131 payout portal is running",
      "",
      `  Portal (operators)   ${portal}/login`,
      `  Bank 131 sandbox     ${sandbox}/`,
      `  Health               ${portal}/api/health`,
      "",
      "  Dev operator logins:",
      ...DEV_OPERATORS.map((operator) => `    ${operator.role.padEnd(9)} ${operator.email.padEnd(22)} ${operator.password}`),
      "  A payout's creator cannot approve it: create as one approver, approve as the other.",
      "",
      `  Data: ${settings.dataDir} (delete it to start over). Ctrl-C stops everything.`,
      "",
    ].join("\n"),
  );

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    await stack.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  const { name, code } = await stack.exited;
  if (!stopping) {
    console.error(`demo │ ${name} stopped unexpectedly (exit code ${code}); stopping the rest`);
    await shutdown(1);
  }
}

main().catch((error: unknown) => {
  console.error(`demo │ ${error instanceof EnvError ? "configuration error: " : ""}${(error as Error).message}`);
  process.exit(1);
});
