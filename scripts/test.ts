/**
 * `npm test`: every suite in order — static checks, vitest (unit + integration on PGlite, and on
 * PostgreSQL when TEST_DATABASE_URL is set), the production build, Playwright e2e in Chromium —
 * then one plain line `N passed, N failed` summed over all of them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded } from "./lib/stack";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const tmp = mkdtempSync(path.join(os.tmpdir(), "portal-test-"));

interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}
const results: SuiteResult[] = [];

function run(command: string, args: string[], env: Record<string, string> = {}): number {
  const result = spawnSync(path.join(BIN, command), args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function timed<T>(fn: () => T): [T, number] {
  const started = Date.now();
  const value = fn();
  return [value, (Date.now() - started) / 1000];
}

function check(name: string, command: string, args: string[]) {
  console.log(`\n━━ ${name}`);
  const [code, seconds] = timed(() => run(command, args));
  results.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, seconds });
}

function vitest(name: string, projects: string[]) {
  console.log(`\n━━ vitest (${projects.join(" + ")})`);
  const output = path.join(tmp, `${name}.json`);
  const [code, seconds] = timed(() =>
    run("vitest", ["run", ...projects.flatMap((project) => ["--project", project]), "--reporter=default", "--reporter=json", `--outputFile.json=${output}`]),
  );
  try {
    const report = JSON.parse(readFileSync(output, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number };
    // A suite that fails to load has no failed tests but must still count as a failure.
    const failed = report.numFailedTests + (report.numFailedTests === 0 && code !== 0 ? Math.max(1, report.numFailedTestSuites) : 0);
    results.push({ name, passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests, seconds });
  } catch {
    results.push({ name, passed: 0, failed: 1, skipped: 0, seconds });
  }
}

function playwright(): boolean {
  console.log("\n━━ build");
  try {
    const [, seconds] = timed(() => buildIfNeeded());
    results.push({ name: "next build", passed: 1, failed: 0, skipped: 0, seconds });
  } catch (error) {
    console.error((error as Error).message);
    results.push({ name: "next build", passed: 0, failed: 1, skipped: 0, seconds: 0 });
    return false;
  }
  console.log("\n━━ playwright (e2e, Chromium)");
  const output = path.join(tmp, "playwright.json");
  const [code, seconds] = timed(() => run("playwright", ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: output }));
  try {
    const report = JSON.parse(readFileSync(output, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: unknown[] };
    const { expected, unexpected, flaky, skipped } = report.stats;
    const failed = unexpected + flaky + (unexpected === 0 && code !== 0 ? 1 : 0);
    results.push({ name: "playwright", passed: expected, failed, skipped, seconds });
  } catch {
    results.push({ name: "playwright", passed: 0, failed: 1, skipped: 0, seconds });
  }
  return true;
}

check("typecheck", "tsc", ["--noEmit"]);
check("lint", "eslint", [".", "--max-warnings=0"]);
vitest("vitest", ["unit", "integration"]);
if (playwright()) vitest("post-e2e", ["post-e2e"]);
rmSync(tmp, { recursive: true, force: true });

console.log("\n━━ summary");
for (const result of results) {
  console.log(
    `  ${result.name.padEnd(12)} ${String(result.passed).padStart(4)} passed ${String(result.failed).padStart(3)} failed ${String(result.skipped).padStart(3)} skipped  ${result.seconds.toFixed(1)} s`,
  );
}
const total = results.reduce((sum, result) => ({ passed: sum.passed + result.passed, failed: sum.failed + result.failed, skipped: sum.skipped + result.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(total.failed === 0 ? 0 : 1);
