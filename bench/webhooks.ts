/**
 * Signed-webhook ingest: the built portal (`next start`) against a bare `node:http` handler doing the
 * same RSA verify + transaction (bench/webhooks-bare.ts), each on its own throw-away PostgreSQL
 * database filled identically, driven with the same pre-signed `ready_to_confirm` deliveries. Two more
 * targets serve the bare handler's exact code from an app with nothing else (bench/next-floor, built by
 * this script): the framework's floor, from a Pages API route (what the portal's webhook is), and from
 * an App Router route handler (what it was: the difference is why it moved).
 *
 *   npm run build && TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:webhooks \
 *     [-- --count 1000 --concurrency 32 --rounds 3 --slices 5 --warmup 1000 --cpu-prof --heap-snapshot --no-floor]
 *
 * Each round's deliveries go out in `--slices` slices, the targets taking turns slice by slice.
 * Prints per round and target: rate, p50/p99 latency, CPU time per webhook (user + system) of the
 * server process tree and of the PostgreSQL backends serving its database, each target's ratios to the
 * bare handler, and the portal's RSS after the load. `--no-floor` drives only the portal and the bare
 * handler. `--cpu-prof` writes the portal's and the floor's CPU profiles to bench/profiles/, `--heap-snapshot`
 * a heap snapshot of the portal taken after the load (open it in Chrome DevTools → Memory). Numbers only.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadPrivateKey, loadPublicKey, signBody } from "../lib/bank131/signature";
import { parseWebhook } from "../lib/bank131/webhook";
import { createPostgresTestDatabase } from "../tests/helpers/database";
import { freePort } from "../tests/helpers/sandbox-process";
import { portalNodeOptions } from "../scripts/lib/portal-node-options";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "32" },
    rounds: { type: "string", default: "3" },
    slices: { type: "string", default: "5" },
    warmup: { type: "string", default: "1000" },
    "cpu-prof": { type: "boolean", default: false },
    "heap-snapshot": { type: "boolean", default: false },
    "no-floor": { type: "boolean", default: false },
  },
});
const COUNT = Number(values.count);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const SLICES = Number(values.slices);
const WARMUP = Number(values.warmup);
const ROOT = path.resolve(import.meta.dirname, "..");
const WITH_FLOOR = !values["no-floor"];
const FLOOR_APP = path.join(ROOT, "bench/next-floor");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
/** The floor app's two routes: a Pages API route (as the portal's webhook is), and an App Router route handler. */
const FLOOR_PATH = "/api/webhooks/bank131";
const HANDLER_PATH = "/api/route-handler/bank131";

type Target = "bare" | "floor" | "handler" | "portal";

const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/** Builds the floor app unless its build is newer than its sources. */
function buildFloor(): void {
  const built = path.join(FLOOR_APP, ".next/BUILD_ID");
  const sources = [
    path.join(FLOOR_APP, "pages/api/webhooks/bank131.ts"),
    path.join(FLOOR_APP, "app/api/route-handler/bank131/route.ts"),
    path.join(FLOOR_APP, "next.config.mjs"),
    path.join(ROOT, "bench/webhooks-bare-handler.ts"),
  ];
  if (existsSync(built) && sources.every((file) => statSync(file).mtimeMs < statSync(built).mtimeMs)) return;
  console.log("building the floor app (bench/next-floor)…");
  execFileSync(process.execPath, [NEXT_BIN, "build", FLOOR_APP], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
}

if (!process.env.TEST_DATABASE_URL?.trim()) {
  console.error("TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
  process.exit(2);
}

/** Payout requests waiting for the bank's ready_to_confirm, with their bank sessions `ps_b_<n>`. */
async function fill(url: string, sessions: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO payout_requests (id, status, amount_kopecks, currency, recipient_name, purpose, method, link_token_hash, link_expires_at, link_used_at,
                                   card_number_hash, card_brand, card_last4, updated_at)
      SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'submitted', 100000, 'rub', 'Получатель ' || g, 'Вознаграждение', 'card_widget',
             md5(g::text) || md5('t' || g::text), now() + interval '7 days', now(), md5('card' || g::text), 'mir', '4940', now()
      FROM generate_series(1, ${sessions}) g`);
    await client.query(`
      INSERT INTO bank_sessions (id, payout_request_id, bank_session_id, idempotency_key, status, flow, start_plan, updated_at)
      SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'ps_b_' || g, 'bench-' || g, 'in_progress', 'create_start', '{}'::jsonb, now()
      FROM generate_series(1, ${sessions}) g`);
    await client.query("VACUUM ANALYZE");
  } finally {
    await client.end();
  }
}

async function checkpoint(): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query("CHECKPOINT");
  } finally {
    await admin.end();
  }
}

function readyToConfirm(n: number): string {
  const at = new Date().toISOString();
  return JSON.stringify({
    type: "ready_to_confirm",
    session: {
      id: `ps_b_${n}`,
      status: "in_progress",
      created_at: at,
      updated_at: at,
      next_action: "confirm",
      payout_list: [
        {
          id: `po_b_${n}`,
          status: "pending",
          created_at: at,
          payout_details: { type: "card", card: { brand: "mir", last4: "4940", bin: "220024" } },
          amount_details: { amount: 100000, currency: "rub" },
        },
      ],
    },
  });
}

interface Delivery {
  body: string;
  signature: string;
}

interface RoundResult {
  rate: number;
  p50: number;
  p99: number;
  failures: number;
  /** Non-200 answers by status, e.g. `500×3`. */
  failed: string;
}

/** What one stretch of load at one target gave: each delivery's latency, the wall time, and refusals by status. */
interface Driven {
  latencies: number[];
  seconds: number;
  failed: Map<number, number>;
}

async function drive(url: string, deliveries: Delivery[]): Promise<Driven> {
  const latencies: number[] = [];
  const failed = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = next++; index < deliveries.length; index = next++) {
        const delivery = deliveries[index]!;
        const t0 = performance.now();
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-partner-sign": delivery.signature }, body: delivery.body });
        const answer = await response.text();
        // The first refusal says why (a 500 page, an error code) once, instead of only counting.
        if (response.status !== 200 && failed.size === 0) console.log(`first non-200 answer from ${url}: ${response.status} ${answer.slice(0, 300)}`);
        latencies.push(performance.now() - t0);
        if (response.status !== 200) failed.set(response.status, (failed.get(response.status) ?? 0) + 1);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, failed };
}

/** A round's result at one target from the slices it was driven in. */
function roundResult(slices: Driven[]): RoundResult {
  const latencies = slices.flatMap((slice) => slice.latencies).sort((a, b) => a - b);
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  const failed = new Map<number, number>();
  for (const slice of slices) for (const [status, count] of slice.failed) failed.set(status, (failed.get(status) ?? 0) + count);
  const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
  const failures = [...failed.values()].reduce((sum, count) => sum + count, 0);
  return { rate: latencies.length / seconds, p50: pick(50), p99: pick(99), failures, failed: [...failed].map(([status, count]) => `${status}×${count}`).join(" ") };
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${output()}`);
    const status = await fetch(url).then((response) => response.status).catch(() => 0);
    if (status > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not up after 90 s:\n${output()}`);
}

function start(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Resident memory of a process and its descendants (`next start` may run the server in a child), in MB, and its anonymous part (heaps, not mapped files). */
function treeRss(pid: number): string {
  const [rss, anon] = [treeRssMb(pid, "VmRSS"), treeRssMb(pid, "RssAnon")];
  return `${rss.toFixed(0)} MB (anonymous ${anon.toFixed(0)} MB)`;
}

/**
 * CPU time (user + system, ms) a process and its descendants have used so far. On a machine shared
 * with other work, CPU per webhook is the steadier figure: the rate also measures the neighbours.
 */
function treeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, id) => sum + processCpuMs(id), 0);
}

/** CPU time (user + system, ms) one process has used so far; 0 once it has ended. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat (here 12 and 13, after pid and comm); USER_HZ is 100 on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0; // the process ended while we looked
  }
}

/**
 * CPU time (ms) the PostgreSQL backends serving `database` have used so far: the server processes'
 * share of each webhook, which competes with them for the same cores. Backends that ended since the
 * last reading take their time with them (the pools here keep theirs through a round).
 */
async function databaseCpuMs(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [database]);
  return rows.reduce((sum, row) => sum + processCpuMs(row.pid), 0);
}

/** A process and its descendants. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const tree: number[] = [];
  const visit = (id: number) => {
    tree.push(id);
    for (const child of children.get(id) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}

function treeRssMb(pid: number, field: "VmRSS" | "RssAnon"): number {
  let kb = 0;
  for (const id of processTree(pid)) {
    try {
      const match = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${id}/status`, "utf8"));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // the process ended while we looked
    }
  }
  return kb / 1024;
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), "bench-webhooks-"));
  const bank = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const bankPublicKeyFile = path.join(work, "bank-public.pem");
  writeFileSync(bankPublicKeyFile, bank.publicKey.export({ type: "spki", format: "pem" }));
  const bankPrivateKey = loadPrivateKey(bank.privateKey.export({ type: "pkcs8", format: "pem" }));

  const sessions = WARMUP + ROUNDS * COUNT;
  const deliveries: Delivery[] = [];
  for (let n = 1; n <= sessions; n++) {
    const body = readyToConfirm(n);
    deliveries.push({ body, signature: signBody(body, bankPrivateKey) });
  }
  // The portal must accept exactly these bodies: a shape it refuses would measure the wrong path.
  parseWebhook(deliveries[0]!.body, deliveries[0]!.signature, loadPublicKey(readFileSync(bankPublicKeyFile)));

  if (WITH_FLOOR) buildFloor();
  const [portalDb, bareDb, floorDb, handlerDb] = await Promise.all([
    createPostgresTestDatabase(),
    createPostgresTestDatabase(),
    WITH_FLOOR ? createPostgresTestDatabase() : null,
    WITH_FLOOR ? createPostgresTestDatabase() : null,
  ]);
  const children: ChildProcess[] = [];
  try {
    await Promise.all([fill(portalDb.url, sessions), fill(bareDb.url, sessions), ...[floorDb, handlerDb].map((db) => (db ? fill(db.url, sessions) : null))]);
    // The fills' pages written out now, not by a checkpoint in the middle of the first round.
    await checkpoint();
    console.log(`${sessions.toLocaleString("en")} payouts awaiting ready_to_confirm in each database; ${COUNT} webhooks × ${ROUNDS} rounds at concurrency ${CONCURRENCY} (+${WARMUP} warm-up)`);

    const portalPort = await freePort();
    const barePort = await freePort();
    const floorPort = await freePort();
    const profiles = path.join(ROOT, "bench/profiles");
    if (values["cpu-prof"] || values["heap-snapshot"]) mkdirSync(profiles, { recursive: true });
    const nodeFlags = [
      ...(values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${profiles}`] : []),
      ...(values["heap-snapshot"] ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${profiles}`] : []),
    ];
    const portal = start(process.execPath, [...nodeFlags, NEXT_BIN, "start", "--hostname", "127.0.0.1", "--port", String(portalPort)], {
      NODE_ENV: "production",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
      DATABASE_URL: portalDb.url,
      NEXTAUTH_URL: `http://127.0.0.1:${portalPort}`,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      BANK131_PRIVATE_KEY_FILE: path.join(ROOT, "tests/fixtures/keys/sdk-private.pem"),
      BANK131_PUBLIC_KEY_FILE: bankPublicKeyFile,
      BANK131_API_URL: "http://127.0.0.1:9",
      ALLOW_SANDBOX_IN_PRODUCTION: "true",
      ALLOW_LOOPBACK_HTTP_IN_PRODUCTION: "true",
      RECONCILE_INTERVAL_MS: "3600000",
      LOG_LEVEL: "warn",
      // The production server's V8 settings; NODE_OPTIONS set for the bench come after them (and win).
      NODE_OPTIONS: portalNodeOptions(process.env.NODE_OPTIONS),
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
    });
    const bare = start(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "bench/webhooks-bare.ts"), bareDb.url, bankPublicKeyFile, String(barePort)], {});
    // The floor app, once per route (each on its own database), with the portal server's Node settings, so only the code differs.
    const startFloor = (database: { url?: string }, port: number) =>
      start(process.execPath, [...nodeFlags, NEXT_BIN, "start", FLOOR_APP, "--hostname", "127.0.0.1", "--port", String(port)], {
        FLOOR_DATABASE_URL: database.url!,
        FLOOR_PUBLIC_KEY_FILE: bankPublicKeyFile,
        NODE_OPTIONS: portalNodeOptions(process.env.NODE_OPTIONS),
      });
    const handlerPort = await freePort();
    const floor = floorDb ? startFloor(floorDb, floorPort) : null;
    const handler = handlerDb ? startFloor(handlerDb, handlerPort) : null;
    children.push(portal.child, bare.child, ...(floor ? [floor.child] : []), ...(handler ? [handler.child] : []));
    const servers: Partial<Record<Target, { url: string; child: ChildProcess; output: () => string; database: string }>> = {
      bare: { url: `http://127.0.0.1:${barePort}/`, ...bare, database: databaseName(bareDb.url!) },
      portal: { url: `http://127.0.0.1:${portalPort}/api/webhooks/bank131`, ...portal, database: databaseName(portalDb.url!) },
      ...(floor ? { floor: { url: `http://127.0.0.1:${floorPort}${FLOOR_PATH}`, ...floor, database: databaseName(floorDb!.url!) } } : {}),
      ...(handler ? { handler: { url: `http://127.0.0.1:${handlerPort}${HANDLER_PATH}`, ...handler, database: databaseName(handlerDb!.url!) } } : {}),
    };
    await Promise.all(
      Object.entries(servers).map(([name, server]) => waitUntilUp(name === "portal" ? `http://127.0.0.1:${portalPort}/api/health` : server.url, server.child, server.output)),
    );

    const warm = deliveries.slice(0, WARMUP);
    for (const server of Object.values(servers)) await drive(server.url, warm);
    console.log(`portal RSS after warm-up: ${treeRss(portal.child.pid!)}\n`);

    console.log(`${"round".padEnd(6)} ${"target".padEnd(7)} ${"rate/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"CPU ms".padStart(8)} ${"DB CPU".padStart(8)} ${"non-200".padStart(8)}`);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const ratios: string[] = [];
    const targets = Object.keys(servers) as Target[];
    for (let round = 0; round < ROUNDS; round++) {
      const load = deliveries.slice(WARMUP + round * COUNT, WARMUP + (round + 1) * COUNT);
      // The round's load goes out in slices, the targets taking turns slice by slice (and rotating who
      // goes first), so a machine that slows down or speeds up for a while (a shared host) weighs on
      // every target alike instead of on whichever was running then.
      const driven = Object.fromEntries(targets.map((name) => [name, [] as Driven[]])) as Record<Target, Driven[]>;
      const used = Object.fromEntries(targets.map((name) => [name, { cpu: 0, database: 0 }])) as Record<Target, { cpu: number; database: number }>;
      const sliceSize = Math.ceil(load.length / SLICES);
      for (let slice = 0; slice < SLICES; slice++) {
        const part = load.slice(slice * sliceSize, (slice + 1) * sliceSize);
        const order = targets.map((_, index) => targets[(index + round + slice) % targets.length]!);
        for (const name of order) {
          const { url, child, database } = servers[name]!;
          const cpuBefore = treeCpuMs(child.pid!);
          const databaseBefore = await databaseCpuMs(admin, database);
          driven[name].push(await drive(url, part));
          used[name].cpu += treeCpuMs(child.pid!) - cpuBefore;
          used[name].database += (await databaseCpuMs(admin, database)) - databaseBefore;
        }
      }
      const results: Partial<Record<Target, RoundResult>> = {};
      const cpu: Partial<Record<Target, number>> = {};
      for (const name of targets) {
        const result = roundResult(driven[name]);
        results[name] = result;
        cpu[name] = used[name].cpu / load.length;
        const databaseCpu = used[name].database / load.length;
        console.log(
          `${String(round + 1).padEnd(6)} ${name.padEnd(7)} ${result.rate.toFixed(0).padStart(8)} ${result.p50.toFixed(1).padStart(8)} ${result.p99.toFixed(1).padStart(8)} ${cpu[name]!.toFixed(2).padStart(8)} ${databaseCpu.toFixed(2).padStart(8)} ${String(result.failures).padStart(8)} ${result.failed}`,
        );
      }
      const versusBare = (name: Target) =>
        `${name} rate ${(results[name]!.rate / results.bare!.rate).toFixed(2)}×, p99 ${(results[name]!.p99 / results.bare!.p99).toFixed(2)}×, CPU per webhook ${(cpu[name]! / cpu.bare!).toFixed(2)}×`;
      ratios.push(`round ${round + 1}: ${targets.filter((name) => name !== "bare").map(versusBare).join(" · ")}`);
    }
    await admin.end();
    console.log(
      `\nagainst the bare handler (floor = the same code in a Pages API route, as the portal's webhook is; handler = in an App Router route handler; both in an app with nothing else):\n  ${ratios.join("\n  ")}`,
    );
    const problems = portal.output().split("\n").filter((line) => /"level":(50|60)/.test(line));
    if (problems.length > 0) console.log(`portal logged ${problems.length} errors, the first: ${problems[0]!.slice(0, 2000)}`);
    console.log(`portal RSS after the load: ${treeRss(portal.child.pid!)}`);
    if (values["heap-snapshot"]) {
      const before = new Set(readdirSync(profiles));
      portal.child.kill("SIGUSR2");
      // The snapshot is complete once its file has stopped growing.
      let size = 0;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const written = readdirSync(profiles).find((name) => name.endsWith(".heapsnapshot") && !before.has(name));
        const now = written ? statSync(path.join(profiles, written)).size : 0;
        if (written && now > 0 && now === size) {
          console.log(`portal heap snapshot: bench/profiles/${written} (${(now / 1e6).toFixed(0)} MB)`);
          break;
        }
        size = now;
      }
    }
    const check = new pg.Client({ connectionString: portalDb.url });
    await check.connect();
    const effects = await check.query<{ effect: string; n: string }>("SELECT coalesce(effect, '(none)') AS effect, count(*)::text AS n FROM webhook_inbox GROUP BY 1 ORDER BY 2 DESC");
    const moved = await check.query<{ n: string }>("SELECT count(*)::text AS n FROM payout_requests WHERE status = 'awaiting_approval'");
    await check.end();
    console.log(`portal: ${moved.rows[0]!.n} of ${sessions} payouts awaiting approval; inbox effects: ${effects.rows.map((row) => `${row.effect} ×${row.n}`).join(", ")}`);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null)));
    await Promise.all([portalDb.drop(), bareDb.drop(), floorDb?.drop(), handlerDb?.drop()]);
    if (values["cpu-prof"]) {
      // Written when each server exits, named after its process id.
      const written = readdirSync(path.join(ROOT, "bench/profiles")).filter((name) => name.endsWith(".cpuprofile"));
      for (const [name, child] of [["portal", children[0]], ["floor", children[2]]] as const) {
        const file = child && written.find((candidate) => candidate.includes(`.${child.pid}.`));
        if (file) console.log(`${name} CPU profile: bench/profiles/${file} (npx tsx bench/cpu-profile-summary.ts <file> groups it)`);
      }
    }
  }
}

await main();
