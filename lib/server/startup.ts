/**
 * Runs once per server process from instrumentation.ts, before requests are served. A throw in
 * `register()` does not stop `next start` (it would answer 500 forever), so failures exit here
 * with one clear line. Modules are imported inside the try: several read the environment as they
 * load, and a bad setting must not escape as a stack trace.
 */
export async function startServer(): Promise<void> {
  try {
    const { assertProductionReady, env } = await import("../env");
    const settings = env();
    assertProductionReady(settings);
    const { getPortal } = await import("./portal");
    const { db } = await getPortal();
    const { logger } = await import("../logger");
    logger.info({ database: db.target.kind, bank: settings.bank131.apiUrl }, "portal started");
  } catch (error) {
    console.error(`portal: cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
