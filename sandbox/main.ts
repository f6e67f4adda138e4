import { existsSync } from "node:fs";
import path from "node:path";
import { ensureDevKeys } from "@/lib/bank131/dev-keys";
import { createSandbox } from "./app";
import { DEFAULT_KEYS_DIR, SandboxConfigError, loadConfig, type SandboxConfig } from "./config";

/** `npm run sandbox`: a local stand-in for demo.bank131.ru. */

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const started = performance.now();
  let config: SandboxConfig;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error instanceof SandboxConfigError ? error.message : String(error));
  }

  // Standalone runs get the same dev key pairs the portal uses (data/keys), generated on first start.
  if (config.usesDefaultKeys && (!existsSync(config.partnerPublicKeyFile) || !existsSync(config.bankPrivateKeyFile))) {
    ensureDevKeys(path.resolve(DEFAULT_KEYS_DIR));
  }
  for (const [name, file] of [
    ["SANDBOX_PARTNER_PUBLIC_KEY_FILE", config.partnerPublicKeyFile],
    ["SANDBOX_BANK_PRIVATE_KEY_FILE", config.bankPrivateKeyFile],
  ] as const) {
    if (!existsSync(file)) fail(`invalid sandbox config: ${name}: file not found: ${file}`);
  }

  let sandbox: ReturnType<typeof createSandbox>;
  try {
    sandbox = createSandbox(config);
  } catch (error) {
    fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
  let running: Awaited<ReturnType<typeof sandbox.listen>>;
  try {
    running = await sandbox.listen();
  } catch (error) {
    fail(`cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const ms = Math.round(performance.now() - started);
  console.log(`Bank 131 sandbox listening on ${running.url} (project ${config.project}, webhooks → ${config.webhookUrl}, data ${config.dataDir}, ready in ${ms} ms)`);

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`sandbox: ${signal} received, flushing state and stopping`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("sandbox: shutdown failed:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
