/**
 * The recipient page `/p/<token>` as a recipient's phone gets it: the production build (NEXT_DIST_DIR)
 * served by `next start` with the sandbox bank, on a throw-away PGlite data dir.
 *
 *   npm run build && npm run bench:recipient [-- --runs 3]
 *
 * Prints
 * - first-load JS of the recipient page: every `<script src>` of its HTML, gzip-sized, split into
 *   Next's own runtime (the build manifest's `rootMainFiles`: React, the router, the RSC client) and
 *   the page's own JS (layouts, pages, client components);
 * - first-load JS of every app route, from the build's client reference manifests (same split);
 * - Lighthouse (mobile preset, simulated throttling, Debian Chromium) on the card-widget recipient
 *   page: the median of `--runs` runs of performance score, LCP, TBT and CLS, against the goals;
 * - the same on "Next runtime alone": the app's 404 for an unknown path (Next's built-in not-found
 *   page in the root layout: no client component of ours), run alternately with the recipient page,
 *   so the framework's own floor is measured on the same machine at the same moment;
 * - and on "without our scripts": the same recipient page through a proxy that takes the page's own
 *   `<script>` tags out of its HTML (Next's runtime fetches them later, after the first paint): what
 *   the page's pixels, stylesheet and Next's runtime score without any JS of ours in the first load
 *   (every file the split above calls the page's own, Next's layout-router chunk included);
 * - for both, the scripts' main-thread CPU (Lighthouse's bootup-time: total, of which script
 *   evaluation and parse/compile) and the long tasks' scripts.
 * - for every run, the observed (unthrottled) load up to the first paint: when it was painted and when it
 *   was on screen, its style + layout (wall time vs the main thread's CPU, and V8 compiling scripts on
 *   background threads meanwhile), and which scripts ran before it was on screen (Lantern charges those).
 * `-- --save <dir>` keeps every Lighthouse report (JSON) and its trace there. Numbers only: nothing here fails a build.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { connectDatabase } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { newLinkToken } from "../lib/payouts/links";
import { freePort } from "../tests/helpers/sandbox-process";
import { buildIfNeeded, startStack } from "../scripts/lib/stack";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    chrome: { type: "string", default: "/usr/bin/chromium" },
    save: { type: "string" },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const ROOT = path.resolve(import.meta.dirname, "..");
const DIST_DIR = path.join(ROOT, process.env.NEXT_DIST_DIR ?? ".next");

const GOALS = { performance: 98, lcpMs: 1_800, tbtMs: 50, ownJsKb: 25 };

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

/** Payout links straight in the database (one per Lighthouse run: each page load spends a widget token). */
async function createLinks(dataDir: string, count: number): Promise<string[]> {
  const db = await connectDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  try {
    await applyMigrations(db);
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const { token, hash } = newLinkToken();
      await db.prisma.payoutRequest.create({
        data: {
          amountKopecks: 1_250_000n,
          recipientName: "Анна Сергеевна Петрова",
          purpose: "Вознаграждение по договору оказания услуг № 42 за ноябрь",
          method: "card_widget",
          linkTokenHash: hash,
          linkExpiresAt: new Date(Date.now() + 7 * 24 * 3_600_000),
        },
      });
      tokens.push(token);
    }
    return tokens;
  } finally {
    await db.close();
  }
}

interface Chunk {
  file: string;
  gzip: number;
  runtime: boolean;
}

/** The page's scripts: module-capable browsers skip `nomodule` ones (Next's legacy polyfills) entirely. */
function scriptSources(html: string): { loaded: string[]; legacy: string[] } {
  const loaded = new Set<string>();
  const legacy = new Set<string>();
  for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) {
    const src = /\bsrc="([^"]+)"/.exec(tag)?.[1]?.replaceAll("&amp;", "&");
    if (src) (/\bnomodule\b/i.test(tag) ? legacy : loaded).add(src);
  }
  return { loaded: [...loaded], legacy: [...legacy] };
}

function buildManifest(): { rootMainFiles: string[] } {
  return JSON.parse(readFileSync(path.join(DIST_DIR, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
}

/** `/_next/static/chunks/x.js` → `static/chunks/x.js`, the manifests' spelling. */
const manifestName = (src: string) => decodeURIComponent(new URL(src, "http://x").pathname).replace(/^\/_next\//, "");

function gzipOfBuildFile(file: string): number {
  return gzipSync(readFileSync(path.join(DIST_DIR, file)), { level: 9 }).length;
}

/** The page's `<script src>` chunks, each gzip-sized as served, split runtime / page. */
async function pageChunks(url: string, runtimeFiles: Set<string>, status = 200): Promise<{ chunks: Chunk[]; legacy: string[]; htmlGzip: number }> {
  const response = await fetch(url, { headers: { "accept-language": "ru-RU,ru;q=0.9" } });
  if (response.status !== status) throw new Error(`GET ${url} answered ${response.status}`);
  const html = await response.text();
  const { loaded, legacy } = scriptSources(html);
  const chunks = await Promise.all(
    loaded.map(async (src) => {
      const body = Buffer.from(await (await fetch(new URL(src, url))).arrayBuffer());
      const file = manifestName(src);
      return { file, gzip: gzipSync(body, { level: 9 }).length, runtime: runtimeFiles.has(file) };
    }),
  );
  return { chunks, legacy: legacy.map(manifestName), htmlGzip: gzipSync(html, { level: 9 }).length };
}

/** Every app route's first-load JS from `server/app/**\/page_client-reference-manifest.js` (`entryJSFiles`). */
function routesFirstLoad(runtimeFiles: Set<string>): Array<{ route: string; runtime: number; own: number }> {
  const appDir = path.join(DIST_DIR, "server", "app");
  const manifests: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "page_client-reference-manifest.js") manifests.push(full);
    }
  };
  if (existsSync(appDir)) walk(appDir);
  const sizes = new Map<string, number>();
  const sizeOf = (file: string) => {
    if (!sizes.has(file)) sizes.set(file, existsSync(path.join(DIST_DIR, file)) ? gzipOfBuildFile(file) : 0);
    return sizes.get(file)!;
  };
  const rows = manifests.map((file) => {
    const route = "/" + path.relative(appDir, path.dirname(file)).split(path.sep).join("/");
    const sandbox: { globalThis: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } } = { globalThis: {} };
    new Function("globalThis", "self", readFileSync(file, "utf8"))(sandbox.globalThis, sandbox.globalThis);
    const manifest = Object.values(sandbox.globalThis.__RSC_MANIFEST ?? {})[0];
    const files = new Set(Object.values(manifest?.entryJSFiles ?? {}).flat());
    const own = [...files].filter((f) => f.endsWith(".js") && !runtimeFiles.has(f)).reduce((sum, f) => sum + sizeOf(f), 0);
    return { route: route.replace(/\/page$/, "") || "/", runtime: 0, own };
  });
  const runtime = [...runtimeFiles].filter((f) => f.endsWith(".js")).reduce((sum, f) => sum + sizeOf(f), 0);
  return rows.map((row) => ({ ...row, runtime })).sort((a, b) => a.route.localeCompare(b.route));
}

interface LighthouseRun {
  performance: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  fcpMs: number;
  /** Lighthouse's CPU benchmark of this machine at that moment: lower = busier (TBT scales with it). */
  benchmarkIndex: number;
  /** The main thread's longest tasks, as Lighthouse attributes them (simulated, ms). */
  longTasks: Array<{ url: string; ms: number }>;
  /** Every script the page loaded, the HTML's and those loaded later (a language, the bank's widget). */
  scripts: string[];
  /** Main-thread CPU per script (Lighthouse's bootup-time, simulated ms): total, evaluation, parse + compile. */
  bootup: Array<{ url: string; total: number; scripting: number; parse: number }>;
  /** Main-thread CPU by kind of work (mainthread-work-breakdown, simulated ms). */
  mainThread: Array<{ group: string; ms: number }>;
  /** The page's main thread in the trace, thread CPU time (not wall: steadier on a busy machine). */
  threadCpu: ThreadCpu;
  /** The observed (unthrottled) load up to the first paint on screen: what Lantern's LCP is built from. */
  firstPaint: FirstPaint;
}

/**
 * Lighthouse's simulated LCP charges every script that ran before the observed first paint reached
 * the screen (with its download on a slow 4G link), and none that ran after: this is that race.
 */
interface FirstPaint {
  /** The renderer's first Paint (ms after navigation start). */
  paintedMs: number;
  /** The first contentful paint: when that frame (or a later one) was on screen. */
  onScreenMs: number;
  /** Style and layout before the first paint: wall time, and the main thread's own CPU time in it. */
  layoutWallMs: number;
  layoutThreadMs: number;
  /** V8 compiling the page's scripts on background threads meanwhile (2 cores here: they compete). */
  backgroundCompileMs: number;
  /** Script files (and their bytes as transferred) that started running before the first paint was on screen. */
  scriptsBefore: number;
  scriptsBeforeKb: number;
}

interface ThreadCpu {
  /** Every top-level task's thread time, unthrottled ms. */
  totalMs: number;
  /** Σ max(0, 4 × thread time − 50) over tasks after the first paint: TBT as if every task ran alone at the preset's 4× slowdown. */
  blockingMs: number;
  /** Tasks whose 4× thread time exceeds 50 ms. */
  longTasks: number;
}

type TraceEvent = {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { frames?: Array<{ processId?: number; parent?: string }>; url?: string; isLoadingMainFrame?: boolean } };
};

/** The main frame's renderer process and its main thread. */
function mainRenderer(events: TraceEvent[]): { pid?: number; tid?: number } {
  const started = events.find((event) => event.name === "TracingStartedInBrowser");
  const pid = started?.args?.data?.frames?.find((frame) => !frame.parent)?.processId;
  const tid = events.find((event) => event.ph === "M" && event.name === "thread_name" && event.pid === pid && event.args?.name === "CrRendererMain")?.tid;
  return { pid, tid };
}

/** `scriptBytes`: every script file the page loaded, by URL, with its transfer size. */
function firstPaintOf(events: TraceEvent[], scriptBytes: Map<string, number>): FirstPaint {
  const { pid, tid } = mainRenderer(events);
  const start = events.find((event) => event.pid === pid && event.name === "navigationStart" && event.args?.data?.isLoadingMainFrame)?.ts ?? 0;
  const onScreen = events.find((event) => event.pid === pid && event.name === "firstContentfulPaint" && event.ts >= start)?.ts ?? start;
  const painted = events.find((event) => event.pid === pid && event.tid === tid && event.name === "Paint" && event.ts >= start)?.ts ?? onScreen;
  const layouts = events.filter(
    (event) => event.pid === pid && event.tid === tid && event.ph === "X" && (event.name === "Layout" || event.name === "UpdateLayoutTree") && event.ts >= start && event.ts < painted,
  );
  const overlap = (event: TraceEvent) =>
    layouts.reduce((sum, layout) => sum + Math.max(0, Math.min(layout.ts + (layout.dur ?? 0), event.ts + (event.dur ?? 0)) - Math.max(layout.ts, event.ts)), 0);
  const compiling = events.filter((event) => event.pid === pid && event.tid !== tid && event.ph === "X" && event.name === "v8.parseOnBackground");
  const ranBefore = new Set(
    events
      .filter((event) => event.pid === pid && event.tid === tid && event.name === "EvaluateScript" && event.ts >= start && event.ts < onScreen && event.args?.data?.url?.startsWith("http"))
      .map((event) => event.args!.data!.url!)
      .filter((url) => scriptBytes.has(url)),
  );
  const ms = (micros: number) => Math.round(micros / 1000);
  return {
    paintedMs: ms(painted - start),
    onScreenMs: ms(onScreen - start),
    layoutWallMs: ms(layouts.reduce((sum, layout) => sum + (layout.dur ?? 0), 0)),
    layoutThreadMs: ms(layouts.reduce((sum, layout) => sum + (layout.tdur ?? 0), 0)),
    backgroundCompileMs: ms(compiling.reduce((sum, event) => sum + overlap(event), 0)),
    scriptsBefore: ranBefore.size,
    scriptsBeforeKb: Math.round([...ranBefore].reduce((sum, url) => sum + (scriptBytes.get(url) ?? 0), 0) / 1024),
  };
}

/** The main frame's renderer main thread: its top-level tasks' thread CPU. */
function threadCpuOf(events: TraceEvent[], cpuSlowdown: number): ThreadCpu {
  const { pid, tid } = mainRenderer(events);
  const paint = events.find((event) => event.pid === pid && event.name === "firstContentfulPaint")?.ts ?? 0;
  let totalMs = 0;
  let blockingMs = 0;
  let longTasks = 0;
  for (const event of events) {
    if (event.pid !== pid || event.tid !== tid || event.ph !== "X" || event.name !== "RunTask" || event.tdur === undefined) continue;
    const ms = event.tdur / 1000;
    totalMs += ms;
    const slowed = ms * cpuSlowdown;
    if (slowed > 50) longTasks++;
    if (event.ts >= paint) blockingMs += Math.max(0, slowed - 50);
  }
  return { totalMs: Math.round(totalMs), blockingMs: Math.round(blockingMs), longTasks };
}

const NUMERIC_KEYS = ["performance", "lcpMs", "tbtMs", "cls", "fcpMs", "benchmarkIndex", "cpuMs", "cpuBlockingMs", "onScreenMs", "scriptsBefore"] as const;

let savedReports = 0;

async function runLighthouse(url: string, name: string): Promise<LighthouseRun> {
  const chrome = await chromeLauncher.launch({
    chromePath: values.chrome,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    // Lighthouse's default config is the mobile preset (Moto G Power, slow 4G, 4× CPU slowdown, simulated).
    // The floor page answers 404, which Lighthouse would otherwise refuse to score.
    const result = await lighthouse(url, { port: chrome.port, onlyCategories: ["performance"], logLevel: "error", output: "json", ignoreStatusCode: true });
    if (!result) throw new Error("lighthouse returned no result");
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
    const longTaskItems = ((lhr.audits["long-tasks"]?.details as { items?: Array<{ url?: string; duration?: number }> } | undefined)?.items ?? []).slice(0, 4);
    const requests = (lhr.audits["network-requests"]?.details as { items?: Array<{ url?: string; resourceType?: string; transferSize?: number }> } | undefined)?.items ?? [];
    const bootupItems = (lhr.audits["bootup-time"]?.details as { items?: Array<{ url?: string; total?: number; scripting?: number; scriptParseCompile?: number }> } | undefined)?.items ?? [];
    const breakdown = (lhr.audits["mainthread-work-breakdown"]?.details as { items?: Array<{ groupLabel?: string; duration?: number }> } | undefined)?.items ?? [];
    if (values.save) {
      mkdirSync(values.save, { recursive: true });
      const base = path.join(values.save, `${String(++savedReports).padStart(2, "0")}-${name}`);
      writeFileSync(`${base}.json`, JSON.stringify(lhr));
      // The trace opens in Chrome DevTools' Performance panel: what ran before the first paint.
      writeFileSync(`${base}.trace.json`, JSON.stringify(result.artifacts.Trace));
    }
    const short = (u: string | undefined) => String(u ?? "?").replace(new URL(url).origin, "");
    const traceEvents = result.artifacts.Trace.traceEvents as unknown as TraceEvent[];
    return {
      // Script files only: inline scripts are part of the document, whichever paint they precede.
      firstPaint: firstPaintOf(traceEvents, new Map(requests.filter((request) => request.resourceType === "Script").map((request) => [String(request.url), request.transferSize ?? 0]))),
      threadCpu: threadCpuOf(traceEvents, lhr.configSettings.throttling.cpuSlowdownMultiplier ?? 4),
      bootup: bootupItems.map((item) => ({ url: short(item.url), total: Math.round(item.total ?? 0), scripting: Math.round(item.scripting ?? 0), parse: Math.round(item.scriptParseCompile ?? 0) })),
      mainThread: breakdown.map((item) => ({ group: String(item.groupLabel ?? "?"), ms: Math.round(item.duration ?? 0) })),
      scripts: requests.filter((request) => request.resourceType === "Script" && request.url).map((request) => request.url!),
      benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
      longTasks: longTaskItems.map((item) => ({ url: String(item.url ?? "?").replace(url, "(page)").replace(new URL(url).origin, ""), ms: Math.round(item.duration ?? 0) })),
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      lcpMs: audit("largest-contentful-paint"),
      tbtMs: audit("total-blocking-time"),
      cls: audit("cumulative-layout-shift"),
      fcpMs: audit("first-contentful-paint"),
    };
  } finally {
    await chrome.kill();
  }
}

/**
 * A proxy to the portal that serves the recipient page's HTML without the `<script src>` tags of the
 * given files (gzip, as the portal sends it); everything else passes through unchanged.
 */
async function startWithoutScriptsProxy(portalUrl: string, removedSrcs: string[]): Promise<{ url: string; server: Server }> {
  const target = new URL(portalUrl);
  const port = await freePort();
  const server = createServer((incoming, outgoing) => {
    const isPage = incoming.method === "GET" && incoming.url?.startsWith("/p/") && String(incoming.headers.accept ?? "").includes("text/html");
    const headers = { ...incoming.headers, ...(isPage ? { "accept-encoding": "identity" } : {}) };
    const forward = httpRequest({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers }, (answer) => {
      if (!isPage) {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        return;
      }
      const parts: Buffer[] = [];
      answer.on("data", (part: Buffer) => parts.push(part));
      answer.on("end", () => {
        let html = Buffer.concat(parts).toString("utf8");
        for (const src of removedSrcs) html = html.replace(new RegExp(`<script src="${src.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*></script>`), "");
        const body = gzipSync(html);
        const { "content-length": _length, "transfer-encoding": _encoding, ...rest } = answer.headers;
        outgoing.writeHead(answer.statusCode ?? 502, { ...rest, "content-encoding": "gzip", "content-length": body.length });
        outgoing.end(body);
      });
    });
    forward.on("error", () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, server };
}

async function main() {
  buildIfNeeded();
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-recipient-"));
  const tokens = await createLinks(dataDir, 2 * RUNS + 1);
  const [portalPort, sandboxPort] = [await freePort(), await freePort()];
  const portalUrl = `http://127.0.0.1:${portalPort}`;
  // The bank's widget is on another site than the portal (bank131.ru): its iframe runs in a process of
  // its own, off the page's main thread. 127.0.0.2 is another site than 127.0.0.1 for the browser.
  const sandboxUrl = `http://127.0.0.2:${sandboxPort}`;
  const stack = await startStack({ portalUrl, sandboxUrl, dataDir, env: { LOG_LEVEL: "warn" } });
  try {
    const runtimeFiles = new Set(buildManifest().rootMainFiles);
    const { chunks, legacy, htmlGzip } = await pageChunks(`${portalUrl}/p/${tokens[0]}`, runtimeFiles);
    const runtime = chunks.filter((c) => c.runtime);
    const own = chunks.filter((c) => !c.runtime);
    const sum = (list: Chunk[]) => list.reduce((total, c) => total + c.gzip, 0);
    console.log("\nRecipient page /p/<token> (card widget): first-load JS, gzip");
    for (const chunk of [...runtime, ...own]) console.log(`  ${chunk.runtime ? "runtime" : "page   "}  ${kb(chunk.gzip).padStart(9)}  ${chunk.file}`);
    for (const file of legacy) console.log(`  (nomodule, not loaded by current browsers: ${kb(gzipOfBuildFile(file))} ${file})`);
    console.log(`  Next runtime ${kb(sum(runtime))} · page's own ${kb(sum(own))} (goal ≤ ${GOALS.ownJsKb} KB) · total ${kb(sum(chunks))} · HTML ${kb(htmlGzip)}`);

    console.log("\nFirst-load JS per app route (client reference manifests), gzip: runtime + own");
    for (const row of routesFirstLoad(runtimeFiles)) console.log(`  ${kb(row.runtime + row.own).padStart(9)}  = ${kb(row.runtime)} + ${kb(row.own).padStart(8)}  ${row.route}`);

    // The framework's floor: an unknown path answers Next's built-in not-found page in the root layout.
    const floorUrl = `${portalUrl}/no-such-page`;
    const floor = await pageChunks(floorUrl, runtimeFiles, 404);
    console.log(
      `\nNext runtime alone (${floorUrl.replace(portalUrl, "")}, 404): ${floor.chunks.length} scripts, runtime ${kb(sum(floor.chunks.filter((c) => c.runtime)))} · not runtime ${kb(sum(floor.chunks.filter((c) => !c.runtime)))}${floor.chunks.filter((c) => !c.runtime).map((c) => ` ${c.file}`).join("")} · HTML ${kb(floor.htmlGzip)}`,
    );

    // Warm both routes once so the first Lighthouse run does not measure a cold server.
    await (await fetch(`${portalUrl}/p/${tokens[0]}`)).text();
    await (await fetch(floorUrl)).text();
    const runs: LighthouseRun[] = [];
    const floorRuns: LighthouseRun[] = [];
    const withoutOwnRuns: LighthouseRun[] = [];
    const withoutOwn = await startWithoutScriptsProxy(portalUrl, own.map((chunk) => `/_next/${chunk.file}`));
    const report = (label: string, run: LighthouseRun) => {
      console.log(
        `\n${label}: performance ${run.performance}, FCP ${(run.fcpMs / 1000).toFixed(2)} s, LCP ${(run.lcpMs / 1000).toFixed(2)} s, TBT ${Math.round(run.tbtMs)} ms, CLS ${run.cls.toFixed(3)} (machine benchmark index ${run.benchmarkIndex})`,
      );
      for (const task of run.longTasks) console.log(`  long task ${String(task.ms).padStart(5)} ms  ${task.url}`);
      for (const script of run.bootup) console.log(`  script CPU ${String(script.total).padStart(5)} ms (evaluation ${script.scripting}, parse/compile ${script.parse})  ${script.url}`);
      console.log(`  main thread: ${run.mainThread.map((group) => `${group.group} ${group.ms}`).join(" · ")} ms`);
      console.log(
        `  main thread, thread CPU: ${run.threadCpu.totalMs} ms unthrottled; at 4×: ${run.threadCpu.longTasks} tasks over 50 ms, blocking ${run.threadCpu.blockingMs} ms after first paint`,
      );
      const paint = run.firstPaint;
      console.log(
        `  observed load: painted at ${paint.paintedMs} ms, on screen at ${paint.onScreenMs} ms; style + layout before it ${paint.layoutWallMs} ms wall, ${paint.layoutThreadMs} ms main-thread CPU (V8 compiling scripts in the background meanwhile: ${paint.backgroundCompileMs} ms); ${paint.scriptsBefore} scripts (${paint.scriptsBeforeKb} KB) ran before it was on screen`,
      );
    };
    // Alternately, so both pages see the same machine.
    for (let i = 0; i < RUNS; i++) {
      const run = await runLighthouse(`${portalUrl}/p/${tokens[i + 1]}`, "recipient");
      report(`Lighthouse run ${i + 1}/${RUNS}, recipient page`, run);
      runs.push(run);
      const floorRun = await runLighthouse(floorUrl, "next-runtime-alone");
      report(`Lighthouse run ${i + 1}/${RUNS}, Next runtime alone`, floorRun);
      floorRuns.push(floorRun);
      const withoutOwnRun = await runLighthouse(`${withoutOwn.url}/p/${tokens[RUNS + i + 1]}`, "without-our-scripts");
      report(`Lighthouse run ${i + 1}/${RUNS}, recipient page without our scripts`, withoutOwnRun);
      withoutOwnRuns.push(withoutOwnRun);
    }
    withoutOwn.server.close();
    // Scripts the browser fetched beyond the HTML's: the page's own (the language's texts) count as the page's JS.
    const inHtml = new Set(chunks.map((chunk) => chunk.file));
    const later = [...new Set(runs.flatMap((run) => run.scripts))].filter((src) => !inHtml.has(manifestName(src)));
    const laterOwn: Chunk[] = [];
    for (const src of later) {
      if (new URL(src).origin !== portalUrl) {
        console.log(`\nLoaded later from another origin (the bank's widget): ${src}`);
        continue;
      }
      const body = Buffer.from(await (await fetch(src)).arrayBuffer());
      laterOwn.push({ file: manifestName(src), gzip: gzipSync(body, { level: 9 }).length, runtime: false });
    }
    for (const chunk of laterOwn) console.log(`Loaded later by the page: ${kb(chunk.gzip)} ${chunk.file}`);
    console.log(`Page's own JS with what it loads later: ${kb(sum(own) + sum(laterOwn))} (goal ≤ ${GOALS.ownJsKb} KB)`);

    const numbers = (run: LighthouseRun) => ({
      ...run,
      cpuMs: run.threadCpu.totalMs,
      cpuBlockingMs: run.threadCpu.blockingMs,
      onScreenMs: run.firstPaint.onScreenMs,
      scriptsBefore: run.firstPaint.scriptsBefore,
    });
    const medianOf = (list: LighthouseRun[]) => Object.fromEntries(NUMERIC_KEYS.map((key) => [key, median(list.map((run) => numbers(run)[key]))])) as Record<(typeof NUMERIC_KEYS)[number], number>;
    const row = (label: string, m: Record<(typeof NUMERIC_KEYS)[number], number>) =>
      `  ${label.padEnd(20)} ${String(m.performance).padStart(11)}  ${`${(m.fcpMs / 1000).toFixed(2)} s`.padStart(6)}  ${`${(m.lcpMs / 1000).toFixed(2)} s`.padStart(6)}  ${`${Math.round(m.tbtMs)} ms`.padStart(7)}  ${m.cls.toFixed(3)}  ${String(m.benchmarkIndex).padStart(15)}  ${`${m.cpuMs} ms`.padStart(11)}  ${`${m.cpuBlockingMs} ms`.padStart(13)}  ${`${m.onScreenMs} ms`.padStart(9)}  ${String(m.scriptsBefore).padStart(14)}`;
    const indexes = [...runs, ...floorRuns, ...withoutOwnRuns].map((run) => run.benchmarkIndex);
    console.log(`\nLighthouse mobile, median of ${RUNS} (machine benchmark index ${Math.min(...indexes)}–${Math.max(...indexes)}):`);
    console.log(`  ${"page".padEnd(20)} performance     FCP     LCP      TBT  CLS    benchmark index  thread CPU  CPU-only TBT  on screen  scripts before`);
    console.log(row("recipient page", medianOf(runs)));
    console.log(row("without our scripts", medianOf(withoutOwnRuns)));
    console.log(row("Next runtime alone", medianOf(floorRuns)));
    console.log("  (thread CPU: the main thread's CPU time, unthrottled; CPU-only TBT: its tasks × 4 − 50 ms after first paint, ignoring waits — both barely move with the machine's load)");
    console.log("  (on screen: the observed first contentful paint, unthrottled; scripts before: how many ran before it — Lantern's LCP charges each of them with its slow-4G download)");
    console.log(`  ${"goal".padEnd(20)} ${`≥ ${GOALS.performance}`.padStart(11)}  ${"".padStart(6)}  ${`≤ ${GOALS.lcpMs / 1000} s`.padStart(6)}  ${`≤ ${GOALS.tbtMs} ms`.padStart(7)}`);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
