import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureDevKeys } from "../../lib/bank131/dev-keys";
import { portalNodeOptions } from "./portal-node-options";

/**
 * Starts the whole product locally: the Bank 131 sandbox and the production Next server, wired to
 * trust each other with dev keys. Used by `npm run demo` and by the e2e test server.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Matches next.config.mjs `distDir`. */
const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next";
const BIN = path.join(ROOT, "node_modules", ".bin");

export interface StackOptions {
  portalUrl: string; // http://127.0.0.1:3000
  sandboxUrl: string; // http://127.0.0.1:4131
  dataDir: string;
  /** Passed to the portal as DATABASE_URL; undefined = the embedded PGlite directory under dataDir. */
  databaseUrl?: string;
  /** Extra environment for the children (the parent's environment is inherited). */
  env?: Record<string, string>;
  log?: (line: string) => void;
  /** Pipe children's output to this process (demo) or keep it quiet unless they fail (tests). */
  inheritOutput?: boolean;
  /** Keep each child's complete output in `<logDir>/<name>.log` (tests scan them for card data). */
  logDir?: string;
}

export interface RunningStack {
  portal: ChildProcess;
  sandbox: ChildProcess;
  stop(): Promise<void>;
  exited: Promise<{ name: string; code: number | null }>;
}

/** A random NEXTAUTH_SECRET kept under the data dir so sessions survive restarts of the demo. */
export function ensureDevSecret(dataDir: string): string {
  const file = path.join(dataDir, "secrets", "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

const BUILD_INPUTS = ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.mjs", "package-lock.json", "proxy.ts", "instrumentation.ts", "tsconfig.json", "postcss.config.mjs"];

function fingerprint(): string {
  const hash = createHash("sha256");
  const visit = (relative: string) => {
    const full = path.join(ROOT, relative);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(full).sort()) visit(path.join(relative, entry));
    } else {
      hash.update(`${relative}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  BUILD_INPUTS.forEach(visit);
  return hash.digest("hex");
}

/** Runs `next build` unless the existing build was made from the same sources. */
export function buildIfNeeded(log: (line: string) => void = console.log): void {
  const marker = path.join(ROOT, DIST_DIR, "portal-build-fingerprint");
  const current = fingerprint();
  if (existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID")) && existsSync(marker) && readFileSync(marker, "utf8") === current) {
    log("build: up to date");
    return;
  }
  log("build: running next build (first run or sources changed)…");
  const started = Date.now();
  const result = spawnSync(path.join(BIN, "next"), ["build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error("next build failed (see the output above)");
  writeFileSync(marker, current);
  log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function waitForHealthy(url: string, child: ChildProcess, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} during start-up`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, inherit: boolean, logDir?: string): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"] });
  if (!inherit) {
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      const file = createWriteStream(path.join(logDir, `${name}.log`), { flags: "a" });
      child.stdout?.pipe(file, { end: false });
      child.stderr?.pipe(file, { end: false });
      child.on("exit", () => file.end());
    }
    // Keep the last lines for error reports without flooding test output.
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      tail.push(...chunk.toString().split("\n").filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 200));
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("exit", (code) => {
      if (code !== 0 && code !== null && !stopping.has(child)) console.error(`[${name}] exited with ${code}:\n${tail.join("\n")}`);
    });
  }
  return child;
}

/** Children we are stopping on purpose: their exit code is not news. */
const stopping = new WeakSet<ChildProcess>();

function stopChild(child: ChildProcess): Promise<void> {
  stopping.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? console.log;
  const portal = new URL(options.portalUrl);
  const sandbox = new URL(options.sandboxUrl);
  const keys = ensureDevKeys(path.join(options.dataDir, "keys"));
  if (keys.generated) log(`keys: generated dev key pairs in ${path.join(options.dataDir, "keys")}`);
  const secret = ensureDevSecret(options.dataDir);

  const sandboxEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    SANDBOX_HOST: sandbox.hostname,
    SANDBOX_PORT: sandbox.port || "80",
    SANDBOX_DATA_DIR: path.join(options.dataDir, "sandbox"),
    SANDBOX_PARTNER_PUBLIC_KEY_FILE: keys.partnerPublic,
    SANDBOX_BANK_PRIVATE_KEY_FILE: keys.bankPrivate,
    SANDBOX_WEBHOOK_URL: new URL("/api/webhooks/bank131", options.portalUrl).toString(),
  };
  const sandboxChild = startChild("sandbox", path.join(BIN, "tsx"), ["sandbox/main.ts"], sandboxEnv, options.inheritOutput ?? false, options.logDir);

  const portalEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    NODE_ENV: "production",
    NODE_OPTIONS: portalNodeOptions(options.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS),
    DATA_DIR: options.dataDir,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: options.portalUrl,
    BANK131_API_URL: options.sandboxUrl,
    // A production build on this machine: the bank is the local sandbox (http) and the portal
    // listens on a loopback address, both allowed explicitly (lib/env.ts assertProductionReady).
    ALLOW_SANDBOX_IN_PRODUCTION: "true",
    ALLOW_LOOPBACK_HTTP_IN_PRODUCTION: "true",
    BANK131_PRIVATE_KEY_FILE: keys.partnerPrivate,
    BANK131_PUBLIC_KEY_FILE: keys.bankPublic,
  };
  if (options.databaseUrl) portalEnv.DATABASE_URL = options.databaseUrl;
  else delete portalEnv.DATABASE_URL;
  const portalChild = startChild(
    "portal",
    path.join(BIN, "next"),
    ["start", "--hostname", portal.hostname, "--port", portal.port || "80"],
    portalEnv,
    options.inheritOutput ?? false,
    options.logDir,
  );

  const stop = async () => {
    await Promise.all([stopChild(portalChild), stopChild(sandboxChild)]);
  };
  const exited = new Promise<{ name: string; code: number | null }>((resolve) => {
    portalChild.once("exit", (code) => resolve({ name: "portal", code }));
    sandboxChild.once("exit", (code) => resolve({ name: "sandbox", code }));
  });

  try {
    await Promise.all([
      waitForHealthy(new URL("/sandbox/health", options.sandboxUrl).toString(), sandboxChild, "sandbox", 30_000),
      waitForHealthy(new URL("/api/health", options.portalUrl).toString(), portalChild, "portal", 90_000),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { portal: portalChild, sandbox: sandboxChild, stop, exited };
}
