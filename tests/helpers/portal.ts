import { randomUUID, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createBank131Client } from "@/lib/bank131/client";
import { createEventBus, type EventBus, type PortalEvent } from "@/lib/events/bus";
import type { PayoutDeps } from "@/lib/payouts/deps";
import { sqlDatabaseOf } from "@/lib/db/sql";
import { startAuditSealer } from "@/lib/payouts/audit";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import { createTestDatabase, type TestDatabase } from "./database";
import { startSandbox, type SandboxProcess } from "./sandbox-process";

/**
 * The portal's domain wired to real parts: a fresh database (PGlite or PostgreSQL), the real
 * sandbox process, and a real HTTP webhook endpoint that feeds deliveries into `ingestWebhook`
 * exactly as the Next route does.
 */
export interface TestPortal {
  deps: PayoutDeps & { bankPublicKey: KeyObject; events: EventBus };
  sandbox: SandboxProcess;
  database: TestDatabase;
  webhookUrl: string;
  /** Resolves when an event matching the predicate is published (already-published events do not count). */
  nextEvent(predicate: (event: PortalEvent) => boolean, timeoutMs?: number): Promise<PortalEvent>;
  /** Waits until the payout request reaches `status` (event-driven, with a final read). */
  waitForStatus(payoutRequestId: string, status: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createTestPortal(
  kind: "pglite" | "postgres",
  options: { sandboxEnv?: Record<string, string>; bankTimeoutMs?: number; maxKopecks?: number; twoApproversFromKopecks?: number } = {},
): Promise<TestPortal> {
  const database = await createTestDatabase({ kind });
  const events = createEventBus(database);
  // The webhook endpoint must exist before the sandbox (its URL), the deps after it.
  const wired: { deps?: TestPortal["deps"] } = {};

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const signature = req.headers["x-partner-sign"];
      ingestWebhook(wired.deps!, { rawBody: Buffer.concat(chunks), signature: typeof signature === "string" ? signature : null })
        .then((outcome) => {
          res.writeHead(outcome.accepted ? 200 : 401, { "content-type": "application/json" });
          res.end(JSON.stringify(outcome));
        })
        .catch((error: unknown) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: String(error) }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/bank131`;

  const sandbox = await startSandbox({ webhookUrl, env: options.sandboxEnv });
  const deps: TestPortal["deps"] = {
    prisma: database.prisma,
    sql: sqlDatabaseOf(database),
    events,
    bankPublicKey: sandbox.keys.bankPublicKey,
    bank: createBank131Client({ baseUrl: sandbox.url, project: sandbox.project, privateKey: sandbox.keys.partnerPrivateKey, timeoutMs: options.bankTimeoutMs ?? 5_000 }),
    settings: { maxKopecks: options.maxKopecks ?? 60_000_000, linkTtlHours: 168, publicBaseUrl: "http://portal.test", twoApproversFromKopecks: options.twoApproversFromKopecks ?? 10_000_000, npdPayer: { inn: "7701001319", name: "ООО «Демо-партнёр»" } },
  };
  wired.deps = deps;
  // As in the portal: audit events are linked into the hash chain shortly after their commit.
  const stopSealer = startAuditSealer(database.prisma);

  const nextEvent: TestPortal["nextEvent"] = (predicate, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = events.subscribe((event) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(event);
      });
    });

  return {
    deps,
    sandbox,
    database,
    webhookUrl,
    nextEvent,
    async waitForStatus(payoutRequestId, status, timeoutMs = 15_000) {
      const waiting = nextEvent((event) => event.payoutRequestId === payoutRequestId && event.status === status, timeoutMs);
      const current = await database.prisma.payoutRequest.findUniqueOrThrow({ where: { id: payoutRequestId } });
      if (current.status === status) {
        waiting.catch(() => {});
        return;
      }
      await waiting;
    },
    async close() {
      await stopSealer();
      await sandbox.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await events.close();
      await database.drop();
    },
  };
}

/** A real approver row (approvals reference operators), as the actor approvals are made by. */
export async function addApprover(
  prisma: TestPortal["deps"]["prisma"],
  name: string,
  limits: { dailyApprovalLimitKopecks?: bigint | null; payoutApprovalLimitKopecks?: bigint | null } = {},
): Promise<{ type: "operator"; id: string }> {
  const operator = await prisma.operator.create({
    data: { email: `${randomUUID()}@approvers.test`, name, role: "approver", passwordHash: "scrypt$test", ...limits },
  });
  return { type: "operator", id: operator.id };
}
