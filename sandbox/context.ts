import type { KeyObject } from "node:crypto";
import type { SandboxConfig } from "./config";
import type { Engine } from "./engine";
import type { Faults } from "./faults";
import type { Idempotency } from "./idempotency";
import type { Registry } from "./instruments";
import type { SelfEmployed } from "./npd";
import type { RequestLog } from "./request-log";
import type { Scheduler } from "./scheduler";
import type { Store } from "./store";
import type { WebhookSender } from "./webhooks";

/** Everything the route modules need, wired once in app.ts. */
export interface SandboxContext {
  config: SandboxConfig;
  store: Store;
  registry: Registry;
  scheduler: Scheduler;
  webhooks: WebhookSender;
  engine: Engine;
  /** Tax service of the self-employed: checks, linking, income, receipts. */
  npd: SelfEmployed;
  faults: Faults;
  idempotency: Idempotency;
  requestLog: RequestLog;
  partnerPublicKey: KeyObject;
  startedAt: number;
  /** Pending "hang" faults, released on shutdown so the server can close at once. */
  hangs: Set<() => void>;
  /** Clears all state except id counters and the hash secret (POST /sandbox/reset). */
  reset(): void;
}
