import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { loadPrivateKey, loadPublicKey, signBody } from "@/lib/bank131/signature";

/**
 * Runs the REAL sandbox (`sandbox/main.ts` under tsx) as a child process for integration tests: free port,
 * fresh temp data dir, partner keys = tests/fixtures/keys/sdk-*.pem, bank keys generated per sandbox.
 *
 *   const sandbox = await startSandbox({ webhookUrl: receiver.url });
 *   const res = await sandbox.api("session/create", { metadata: "x" });       // signed, v2 by default
 *   await sandbox.control.post("/sandbox/faults", { type: "webhook_duplicate" });
 *   await sandbox.restart();                                                   // same port and data dir
 *   await sandbox.stop();
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURE_KEYS = path.join(ROOT, "tests/fixtures/keys");

/** Fast timings so suites finish quickly; override any SANDBOX_* variable through `env`. */
export const FAST_TIMINGS: Record<string, string> = {
  SANDBOX_READY_DELAY_MS: "50",
  SANDBOX_SLOW_READY_DELAY_MS: "1200",
  SANDBOX_EXECUTE_DELAY_MS: "50",
  SANDBOX_CONFIRM_TIMEOUT_MS: "60000",
  SANDBOX_ERROR_RESOLVE_DELAY_MS: "800",
  SANDBOX_REFUND_DELAY_MS: "300",
  SANDBOX_WEBHOOK_BACKOFF_BASE_MS: "100",
  SANDBOX_WEBHOOK_BACKOFF_MAX_MS: "2000",
  SANDBOX_WEBHOOK_MAX_ATTEMPTS: "6",
  SANDBOX_WEBHOOK_TIMEOUT_MS: "1000",
  SANDBOX_HANG_MS: "1500",
};

export interface StartSandboxOptions {
  /** Where webhooks go; default is a closed port (deliveries fail and retry). */
  webhookUrl?: string;
  project?: string;
  /** Extra or overriding SANDBOX_* variables. */
  env?: Record<string, string>;
  /** Reuse a data dir (otherwise a fresh temp dir, removed by stop()). */
  dataDir?: string;
  startTimeoutMs?: number;
}

export interface ApiCallOptions {
  /** API version in the path (default 2; token, tokenize, token/info are v1-only). */
  version?: 1 | 2;
  idempotencyKey?: string;
  /** X-PARTNER-PROJECT; null omits the header. */
  project?: string | null;
  /** Signing key; null omits X-PARTNER-SIGN; a string is sent verbatim as the header. */
  sign?: KeyObject | string | null;
  /** Exact bytes to send instead of JSON.stringify(body). */
  rawBody?: string;
  headers?: Record<string, string>;
  httpMethod?: string;
  signal?: AbortSignal;
}

export interface ApiResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
  body: any;
  text: string;
  headers: Headers;
  /** The exact request body that was sent. */
  sent: string;
}

export interface ControlClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get(pathname: string): Promise<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  post(pathname: string, body?: unknown): Promise<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  del(pathname: string): Promise<any>;
  health(): Promise<{ status: string; pid: number }>;
  reset(): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  session(id: string): Promise<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  webhooks(sessionId?: string): Promise<any[]>;
  /** Card hash, card token and a fresh recurrent token for a card number. */
  card(number: string): Promise<{ number_hash: string; token: string; recurrent_token: string; card: { last4: string; brand: string; bin: string; country_iso3: string } }>;
  addFault(fault: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  /** Polls GET /sandbox/sessions/:id until `predicate` holds (state waits, never timing asserts). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  waitForSession(id: string, predicate: (view: any) => boolean, timeoutMs?: number): Promise<any>;
}

export interface SandboxProcess {
  url: string;
  port: number;
  dataDir: string;
  project: string;
  env: Record<string, string>;
  keys: {
    partnerPrivateKey: KeyObject;
    partnerPublicKeyFile: string;
    bankPublicKey: KeyObject;
    bankPublicKeyFile: string;
    bankPrivateKeyFile: string;
  };
  /** Milliseconds from spawn to a healthy /sandbox/health, for the last start. */
  startupMs: number;
  pid(): number | undefined;
  api(method: string, body?: unknown, opts?: ApiCallOptions): Promise<ApiResult>;
  control: ControlClient;
  /** Stops (SIGTERM, or SIGKILL with hard) and starts again on the same port and data dir. */
  restart(options?: { hard?: boolean; env?: Record<string, string> }): Promise<void>;
  /** SIGKILL: simulates a crash; no graceful flush. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Everything the process printed so far. */
  output(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function generateBankKeys(dir: string): { privateFile: string; publicFile: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const privateFile = path.join(dir, "bank-private.pem");
  const publicFile = path.join(dir, "bank-public.pem");
  writeFileSync(privateFile, privateKey, { mode: 0o600 });
  writeFileSync(publicFile, publicKey);
  return { privateFile, publicFile };
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<SandboxProcess> {
  const tempRoot = mkdtempSync(path.join(os.tmpdir(), "bank131-sandbox-"));
  const dataDir = options.dataDir ?? path.join(tempRoot, "data");
  mkdirSync(dataDir, { recursive: true });
  const keyDir = path.join(tempRoot, "keys");
  mkdirSync(keyDir);
  const bank = generateBankKeys(keyDir);
  const port = await freePort();
  const project = options.project ?? "test-project";
  const url = `http://127.0.0.1:${port}`;
  const partnerPublicKeyFile = path.join(FIXTURE_KEYS, "sdk-public.pem");
  const partnerPrivateKey = loadPrivateKey(readFileSync(path.join(FIXTURE_KEYS, "sdk-private.pem")));
  const bankPublicKey = loadPublicKey(readFileSync(bank.publicFile));

  let env: Record<string, string> = {
    ...FAST_TIMINGS,
    SANDBOX_PORT: String(port),
    SANDBOX_HOST: "127.0.0.1",
    SANDBOX_PROJECT: project,
    SANDBOX_PARTNER_PUBLIC_KEY_FILE: partnerPublicKeyFile,
    SANDBOX_BANK_PRIVATE_KEY_FILE: bank.privateFile,
    SANDBOX_WEBHOOK_URL: options.webhookUrl ?? "http://127.0.0.1:9/unreachable",
    SANDBOX_DATA_DIR: dataDir,
    ...options.env,
  };

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = "";

  async function spawnChild(): Promise<number> {
    const started = performance.now();
    const proc = spawn(process.execPath, ["--import", "tsx", "sandbox/main.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), NODE_ENV: "test", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let exitInfo: string | null = null;
    exited = new Promise<void>((resolve) =>
      proc.once("exit", (code, signal) => {
        exitInfo = `exit code ${code} signal ${signal}`;
        resolve();
      }),
    );
    const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
    for (;;) {
      if (exitInfo) throw new Error(`sandbox exited during start (${exitInfo}):\n${output}`);
      try {
        const res = await fetch(`${url}/sandbox/health`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) {
          await res.arrayBuffer();
          return Math.round(performance.now() - started);
        }
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`sandbox did not become healthy in time:\n${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function terminate(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async function request(pathname: string, init: RequestInit = {}) {
    const res = await fetch(url + pathname, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // non-JSON answer
    }
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${pathname} → ${res.status}: ${text}`);
    return body as never;
  }

  const control: ControlClient = {
    get: (p) => request(p),
    post: (p, body) => request(p, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) }),
    del: (p) => request(p, { method: "DELETE" }),
    health: () => request("/sandbox/health"),
    reset: async () => {
      await request("/sandbox/reset", { method: "POST" });
    },
    session: (id) => request(`/sandbox/sessions/${encodeURIComponent(id)}`),
    webhooks: async (sessionId) => {
      const body = (await request(`/sandbox/webhooks${sessionId ? `?session_id=${encodeURIComponent(sessionId)}` : ""}`)) as { webhooks: unknown[] };
      return body.webhooks as never[];
    },
    card: (number) => control.post("/sandbox/cards", { number }),
    addFault: async (fault) => {
      await control.post("/sandbox/faults", fault);
    },
    clearFaults: async () => {
      await control.del("/sandbox/faults");
    },
    waitForSession: async (id, predicate, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const view = await control.session(id);
        if (predicate(view)) return view;
        if (Date.now() > deadline) throw new Error(`session ${id} did not reach the expected state: ${JSON.stringify(view.session)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };

  const sandbox: SandboxProcess = {
    url,
    port,
    dataDir,
    project,
    get env() {
      return env;
    },
    keys: { partnerPrivateKey, partnerPublicKeyFile, bankPublicKey, bankPublicKeyFile: bank.publicFile, bankPrivateKeyFile: bank.privateFile },
    startupMs: 0,
    pid: () => child?.pid,
    async api(method, body = {}, opts = {}) {
      const version = opts.version ?? (method === "token" || method === "tokenize" || method === "token/info" ? 1 : 2);
      const sent = opts.rawBody ?? JSON.stringify(body);
      const headers: Record<string, string> = { "Content-Type": "application/json", ...opts.headers };
      const projectHeader = opts.project === undefined ? project : opts.project;
      if (projectHeader !== null) headers["X-PARTNER-PROJECT"] = projectHeader;
      if (opts.sign !== null) {
        headers["X-PARTNER-SIGN"] = typeof opts.sign === "string" ? opts.sign : signBody(sent, opts.sign ?? partnerPrivateKey);
      }
      if (opts.idempotencyKey !== undefined) headers["X-PARTNER-IDEMPOTENCY-KEY"] = opts.idempotencyKey;
      const httpMethod = opts.httpMethod ?? "POST";
      const res = await fetch(`${url}/api/v${version}/${method}`, {
        method: httpMethod,
        headers,
        ...(httpMethod === "GET" ? {} : { body: sent }),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        // non-JSON (e.g. a fault's HTML page)
      }
      return { status: res.status, body: parsed, text, headers: res.headers, sent };
    },
    control,
    async restart(restartOptions = {}) {
      await terminate(restartOptions.hard ? "SIGKILL" : "SIGTERM");
      if (restartOptions.env) env = { ...env, ...restartOptions.env };
      sandbox.startupMs = await spawnChild();
    },
    async kill() {
      await terminate("SIGKILL");
    },
    async stop() {
      await terminate("SIGTERM");
      rmSync(tempRoot, { recursive: true, force: true });
    },
    output: () => output,
  };

  try {
    sandbox.startupMs = await spawnChild();
  } catch (error) {
    await terminate("SIGKILL");
    rmSync(tempRoot, { recursive: true, force: true });
    throw error;
  }
  return sandbox;
}
