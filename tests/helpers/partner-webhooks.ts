import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createEndpoint, type EndpointSettings } from "@/lib/payouts/partner-webhooks/endpoints";
import type { PartnerEventType } from "@/lib/payouts/partner-events";
import { SYSTEM } from "@/lib/payouts/audit";
import type { PayoutStatus } from "@/lib/payouts/state-machine";
import { inTransaction } from "@/lib/payouts/transaction";
import { transition } from "@/lib/payouts/transition";
import { payoutRowData } from "./payout-rows";

/** Partner webhook test pieces: endpoint settings, payouts moved through real transitions, a worker process. */

export const TEST_SECRETS_KEY = randomBytes(32);

export const testEndpointSettings: EndpointSettings = { secretsKey: TEST_SECRETS_KEY, allowsHttpUrl: () => true, secretOverlapMs: 60_000 };

export async function registerEndpoint(prisma: PrismaClient, url: string, eventTypes: PartnerEventType[] = ["payout.awaiting_approval", "payout.paid", "payout.failed", "payout.cancelled"]) {
  return createEndpoint(prisma, testEndpointSettings, { url, event_types: eventTypes }, SYSTEM);
}

const noEvents = { publish: async () => undefined };

/** A payout request row (submitted), then moved through `statuses` by transition(), one transaction each. */
export async function payoutThrough(prisma: PrismaClient, statuses: PayoutStatus[]): Promise<string> {
  const row = await prisma.payoutRequest.create({ data: payoutRowData(new Date(), { status: "submitted" }) });
  await moveThrough(prisma, row.id, statuses);
  return row.id;
}

export async function moveThrough(prisma: PrismaClient, id: string, statuses: PayoutStatus[]): Promise<void> {
  for (const status of statuses) {
    const moved = await inTransaction({ prisma, events: noEvents }, (tx) => transition(tx, id, status, SYSTEM));
    if (moved === null) throw new Error(`payout ${id} could not move to ${status}`);
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
}

/** The delivery worker in its own process against a PostgreSQL database (tests/helpers/partner-webhook-worker.ts). */
export async function startWorkerProcess(databaseUrl: string, runner: string, options: { timeoutMs?: number } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("tests", "helpers", "partner-webhook-worker.ts")], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "test",
      WORKER_DATABASE_URL: databaseUrl,
      WORKER_SECRETS_KEY: TEST_SECRETS_KEY.toString("hex"),
      WORKER_RUNNER: runner,
      WORKER_TIMEOUT_MS: String(options.timeoutMs ?? 5000),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${runner} did not start:\n${output}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`worker ${runner} exited during start:\n${output}`)));
  });
  return { child, output: () => output, exited };
}

/** Resolves when every delivery is settled (delivered or failed), polling the database. */
export async function allSettled(prisma: PrismaClient, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await prisma.partnerWebhookDelivery.count({ where: { status: "pending" } })) > 0) {
    if (Date.now() > deadline) throw new Error("deliveries still pending");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
