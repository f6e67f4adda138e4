import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import type { KeyObject } from "node:crypto";
import { createBank131Client } from "../bank131/client";
import { ensureDevKeys } from "../bank131/dev-keys";
import { loadPrivateKey, loadPublicKey } from "../bank131/signature";
import { getDatabase, type Database } from "../db";
import { sqlDatabaseOf } from "../db/sql";
import { env, isLoopbackHost } from "../env";
import { createEventBus, type EventBus } from "../events/bus";
import { logger } from "../logger";
import { startAuditSealer } from "../payouts/audit";
import type { PayoutDeps } from "../payouts/deps";
import { startDailyTotalsCompaction, type DailyTotalsLoop } from "../jobs/daily-totals";
import { startReconciliationLoop, type ReconciliationLoop } from "../jobs/reconciliation";
import { startRetentionLoop, type RetentionLoop } from "../jobs/retention";
import { startPartnerWebhookDelivery, type PartnerWebhookLoop } from "../jobs/partner-webhooks";
import type { EndpointSettings } from "../payouts/partner-webhooks/endpoints";
import { deriveSecretsKey } from "../payouts/partner-webhooks/secrets";
import { startBatchLoop, type BatchLoop } from "../jobs/batches";
import { batchLinkKey } from "../payouts/batch-links";
import { createRateLimits, type RateLimits } from "../auth/rate-limits";

/**
 * (No `server-only` import: the bank's webhook is a Pages API route, where that package refuses to
 * load. node:fs and pg keep this module out of any browser bundle all the same.)
 *
 * The portal's wiring: database, Bank 131 client (keys parsed once), event bus and settings, built
 * once per server process and kept on globalThis (Next evaluates server modules several times).
 */
export interface Portal extends PayoutDeps {
  db: Database;
  events: EventBus;
  bankPublicKey: KeyObject;
  reconciliation: ReconciliationLoop;
  retention: RetentionLoop;
  /** Request limits of the public edges (partner API, recipient links, webhooks). */
  rateLimits: RateLimits;
  /** Folds the dashboard's count deltas into the daily totals. */
  dailyTotals: DailyTotalsLoop;
  /** Sends the partner webhook outbox. */
  partnerWebhooks: PartnerWebhookLoop;
  /** What registering a partner webhook endpoint needs (secret encryption, URL policy). */
  partnerWebhookEndpoints: EndpointSettings;
  /** Identifies this server process in reconciliation runs and events. */
  instanceId: string;
  /** Seals batch rows' recipient link tokens (derived from NEXTAUTH_SECRET). */
  batchLinkKey: Buffer;
  /** Creates the payout requests of confirmed batches. */
  batches: BatchLoop;
}

const globalForPortal = globalThis as unknown as { __portal?: Promise<Portal> };

function readKey(file: string, variable: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

async function build(): Promise<Portal> {
  const settings = env();
  const bank = settings.bank131;
  const defaultKeysDir = path.join(settings.dataDir, "keys");
  // Development with the default key paths: create the dev pairs the sandbox also uses.
  if (!settings.isProduction && path.dirname(bank.privateKeyFile) === defaultKeysDir) ensureDevKeys(defaultKeysDir);
  const privateKey = loadPrivateKey(readKey(bank.privateKeyFile, "BANK131_PRIVATE_KEY_FILE"));
  const bankPublicKey = loadPublicKey(readKey(bank.publicKeyFile, "BANK131_PUBLIC_KEY_FILE"));
  const db = await getDatabase();
  const events = createEventBus(db, {
    onError: (error) => logger.warn({ err: error }, "event bus connection problem"),
    onUnreadable: (reason) => logger.warn({ reason }, "ignored a notification that is not a portal event"),
  });
  const instanceId = `${hostname()}:${process.pid}`;
  const deps: PayoutDeps & { db: Database } = {
    db,
    prisma: db.prisma,
    // The webhook path's transactions bypass the ORM (lib/db/sql.ts).
    sql: sqlDatabaseOf(db),
    events,
    bank: createBank131Client({ baseUrl: bank.apiUrl, project: bank.project, privateKey, apiVersion: bank.apiVersion, timeoutMs: bank.timeoutMs }),
    settings: {
      maxKopecks: settings.payouts.maxKopecks,
      linkTtlHours: settings.payouts.linkTtlHours,
      publicBaseUrl: settings.publicBaseUrl,
      twoApproversFromKopecks: settings.payouts.twoApproversFromKopecks,
      claimTtlMinutes: settings.payouts.claimTtlMinutes,
      sbp: settings.payouts.sbp,
      risk: settings.payouts.risk,
      npdPayer: { inn: settings.partnerInn, name: settings.partnerName },
    },
  };
  const reconciliation = startReconciliationLoop(deps, {
    ...settings.reconciliation,
    runner: instanceId,
    onError: (error) => logger.error({ err: error }, "reconciliation pass failed"),
  });
  const retention = startRetentionLoop(db, {
    ...settings.retention,
    onError: (error) => logger.error({ err: error }, "retention pass failed"),
    onPurged: (report) => logger.info({ ...report }, "retention pass purged old rows"),
  });
  const rateLimits = createRateLimits(db.target.kind === "postgres" ? { kind: "database", prisma: db.prisma } : { kind: "memory" }, settings.rateLimits);
  startAuditSealer(db.prisma, { onError: (error) => logger.error({ err: error }, "sealing the audit chain failed") });
  const dailyTotals = startDailyTotalsCompaction(db.prisma, { onError: (error) => logger.error({ err: error }, "daily totals compaction failed") });
  // Signing secrets must sign, so they are encrypted (not hashed) under a key derived from NEXTAUTH_SECRET.
  const secretsKey = deriveSecretsKey(settings.auth.secret ?? "");
  const partnerWebhookEndpoints: EndpointSettings = {
    secretsKey,
    // Like the portal's own URLs: https, or http on a loopback host outside production (or with ALLOW_LOOPBACK_HTTP_IN_PRODUCTION).
    allowsHttpUrl: (url) => isLoopbackHost(url.hostname) && (!settings.isProduction || settings.allowLoopbackHttpInProduction),
    secretOverlapMs: settings.partnerWebhooks.secretOverlapMs,
  };
  const partnerWebhooks = startPartnerWebhookDelivery(db.prisma, {
    ...settings.partnerWebhooks,
    secretsKey,
    runner: instanceId,
    onError: (error) => logger.error({ err: error }, "partner webhook delivery pass failed"),
  });
  const linkKey = batchLinkKey(settings.auth.secret!);
  const batches = startBatchLoop(
    { ...deps, batchLinkKey: linkKey },
    {
      intervalMs: settings.batches.intervalMs,
      onError: (error) => logger.error({ err: error }, "batch pass failed"),
      onStartError: (error) => logger.warn({ err: error }, "starting a batch payout failed"),
    },
  );
  return { ...deps, events, bankPublicKey, reconciliation, retention, rateLimits, dailyTotals, partnerWebhooks, partnerWebhookEndpoints, instanceId, batchLinkKey: linkKey, batches };
}

export function getPortal(): Promise<Portal> {
  globalForPortal.__portal ??= build().catch((error: unknown) => {
    globalForPortal.__portal = undefined;
    throw error;
  });
  return globalForPortal.__portal;
}
