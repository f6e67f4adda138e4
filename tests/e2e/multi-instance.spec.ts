import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { connectDatabase } from "../../lib/db/client";
import { seedDevOperators } from "../../lib/auth/seed";
import { createPostgresTestDatabase } from "../helpers/database";
import { freePort, startSandbox, type SandboxProcess } from "../helpers/sandbox-process";
import { signInThroughForm } from "./helpers/sign-in";
import { sameOrigin } from "./helpers/same-origin";

/**
 * Two portal processes on one PostgreSQL (scale-out behind a load balancer): events published by
 * one reach the dashboards served by the other, and reconciliation runs on one at a time.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

test.skip(!process.env.TEST_DATABASE_URL, "needs TEST_DATABASE_URL (a PostgreSQL server)");
test.describe.configure({ timeout: 180_000 });

interface Instance {
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function startInstance(env: Record<string, string>, port?: number): Promise<Instance> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(path.join(ROOT, "node_modules/.bin/next"), ["start", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next", NODE_ENV: "production", NEXTAUTH_URL: url, ALLOW_SANDBOX_IN_PRODUCTION: "true", ALLOW_LOOPBACK_HTTP_IN_PRODUCTION: "true", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect
    .poll(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000, message: `instance on ${url} did not start: ${output}` })
    .toBe(200);
  return { url, child, output: () => output };
}

test("a webhook received by one instance shows up live on the other; one reconciliation runner at a time", async ({ browser }) => {
  const database = await createPostgresTestDatabase();
  const db = await connectDatabase({ kind: "postgres", url: database.url });
  await seedDevOperators(db.prisma);

  let sandbox: SandboxProcess | undefined;
  const instances: Instance[] = [];
  try {
    // Webhooks go to instance A only.
    const portA = await freePort();
    sandbox = await startSandbox({ webhookUrl: `http://127.0.0.1:${portA}/api/webhooks/bank131` });
    const shared = {
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      BANK131_API_URL: sandbox.url,
      BANK131_PROJECT: sandbox.project,
      BANK131_PRIVATE_KEY_FILE: path.join(ROOT, "tests/fixtures/keys/sdk-private.pem"),
      BANK131_PUBLIC_KEY_FILE: sandbox.keys.bankPublicKeyFile,
      BANK131_TIMEOUT_MS: "3000",
      RECONCILE_INTERVAL_MS: "200",
      RECONCILE_STALE_AFTER_MS: "1",
      // The hang fault fails checks; a short back-off keeps the row in every pass so overlaps would show.
      RECONCILE_BACKOFF_MAX_MS: "100",
    };
    const step = (what: string) => console.log(`[multi-instance] ${new Date().toISOString()} ${what}`);
    const a = await startInstance(shared, portA);
    step("instance A up");
    instances.push(a);
    const b = await startInstance(shared);
    instances.push(b);
    step("instance B up");

    // An operator watches instance B's live stream.
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughForm(page, "approver", { origin: b.url });
    await page.evaluate(() => {
      const events: unknown[] = [];
      (window as unknown as { __events: unknown[] }).__events = events;
      const source = new EventSource("/api/events");
      source.addEventListener("portal", (message) => events.push(JSON.parse((message as MessageEvent).data)));
    });

    // The payout is created and started through instance A (cookies are per host, not per port,
    // and both instances share the session secret: the operator is signed in on both).
    const created = await context.request.post(
      `${a.url}/api/payouts`,
      sameOrigin({ amountKopecks: 420_000, recipientName: "Орлов Денис", purpose: "Выплата по договору", method: "card_widget" }, a.url),
    );
    expect(created.status()).toBe(201);
    const { id, link } = (await created.json()) as { id: string; link: { url: string } };
    const token = link.url.split("/").pop()!;
    const { number_hash } = await sandbox.control.card("2200240000014940");
    const started = await context.request.post(`${a.url}/api/p/${token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: number_hash } }, a.url));
    expect(started.status()).toBe(200);

    step(`payout ${id} started`);
    // ready_to_confirm reaches A; B's stream learns it through PostgreSQL LISTEN/NOTIFY.
    await expect
      .poll(async () => page.evaluate((payoutId) => (window as unknown as { __events: Array<{ payoutRequestId?: string; status?: string }> }).__events.some((event) => event.payoutRequestId === payoutId && event.status === "awaiting_approval"), id), { timeout: 30_000 })
      .toBe(true);

    step("B saw awaiting_approval");
    // Both instances keep trying to reconcile every 200 ms; make each pass slow so overlaps would show.
    await sandbox.control.addFault({ type: "api_hang", method: "session/status", count: 20, hang_ms: 300, when: "before" });
    await expect.poll(async () => (await db.prisma.reconciliationRun.count({ where: { finishedAt: { not: null }, checked: { gt: 0 } } })) >= 4, { timeout: 60_000 }).toBe(true);
    const runs = await db.prisma.reconciliationRun.findMany({ where: { finishedAt: { not: null } }, orderBy: { startedAt: "asc" } });
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!.getTime());
    }
    await context.close();
  } finally {
    await Promise.all(instances.map((instance) => new Promise<void>((resolve) => {
      if (instance.child.exitCode !== null) return resolve();
      instance.child.once("exit", () => resolve());
      instance.child.kill("SIGTERM");
    })));
    await sandbox?.stop();
    await db.close();
    await database.drop();
  }
});
