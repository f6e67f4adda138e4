import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { Hono } from "hono";
import { serve, type HttpBindings } from "@hono/node-server";
import { loadPrivateKey, loadPublicKey } from "@/lib/bank131/signature";
import { registerApi } from "./api";
import type { SandboxConfig } from "./config";
import type { SandboxContext } from "./context";
import { registerControl } from "./control";
import { Engine } from "./engine";
import { Faults } from "./faults";
import { Idempotency } from "./idempotency";
import { Registry } from "./instruments";
import { SelfEmployed } from "./npd";
import { registerSelfEmployed } from "./npd-widget";
import { RequestLog } from "./request-log";
import { Scheduler } from "./scheduler";
import { Store } from "./store";
import { registerUi } from "./ui";
import { WebhookSender } from "./webhooks";
import { registerWidget } from "./widget";

/** Wires the sandbox together; main.ts only adds config loading, signals and printing. */

type Env = { Bindings: HttpBindings };

export interface RunningSandbox {
  url: string;
  ctx: SandboxContext;
  stop(): Promise<void>;
}

const RESETTABLE = ["sessions", "cards", "tokens", "public_tokens", "idempotency", "deliveries", "requests", "taxpayers", "npd_checks", "npd_bindings", "receipts"] as const;

export function createSandbox(config: SandboxConfig) {
  const partnerPublicKey = loadPublicKey(readFileSync(config.partnerPublicKeyFile));
  const bankPrivateKey = loadPrivateKey(readFileSync(config.bankPrivateKeyFile));

  const store = new Store(config.dataDir);
  store.open();
  const faults = new Faults(config.timing.hangMs);
  const scheduler = new Scheduler(store, (error, job) => {
    console.error(`sandbox: job ${job.id} failed:`, error instanceof Error ? error.message : String(error));
  });
  const webhooks = new WebhookSender(store, scheduler, faults, bankPrivateKey, { url: config.webhookUrl, ...config.webhook });
  const registry = new Registry(store, config.dataDir);
  const npd = new SelfEmployed(store, { checkDelayMs: config.timing.npdCheckDelayMs, publicUrl: config.publicUrl });
  const engine = new Engine(store, registry, scheduler, webhooks, config, npd);
  registry.ensureBuiltins();

  const ctx: SandboxContext = {
    config,
    store,
    registry,
    scheduler,
    webhooks,
    engine,
    npd,
    faults,
    idempotency: new Idempotency(store, config.timing.idempotencyTtlMs, config.idempotencyReuse),
    requestLog: new RequestLog(store, config.requestLogLimit),
    partnerPublicKey,
    startedAt: Date.now(),
    hangs: new Set(),
    reset() {
      scheduler.clear();
      faults.clear();
      webhooks.reset();
      for (const name of RESETTABLE) store.clear(name);
      registry.ensureBuiltins();
    },
  };

  const app = new Hono<Env>();
  app.onError((error, c) => {
    if (error instanceof SyntaxError) {
      return c.json({ status: "error", error: { code: "invalid_request", description: `body: malformed JSON (${error.message})` } }, 400);
    }
    console.error("sandbox: unhandled error:", error instanceof Error ? (error.stack ?? error.message) : String(error));
    return c.json({ status: "error", error: { code: "internal_error", description: "internal sandbox error" } }, 500);
  });
  app.notFound((c) => c.json({ status: "error", error: { code: "not_found", description: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));
  registerApi(app, ctx);
  registerControl(app, ctx);
  registerWidget(app, ctx);
  registerSelfEmployed(app, ctx);
  registerUi(app, ctx);

  return {
    app,
    ctx,
    /** Starts listening and resumes stored timers and webhook deliveries. */
    listen(): Promise<RunningSandbox> {
      return new Promise((resolve, reject) => {
        const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
          scheduler.resume();
          webhooks.resume();
          const host = info.address.includes(":") ? `[${info.address}]` : info.address;
          const url = `http://${host}:${info.port}`;
          // Longer than any client's idle keep-alive (undici: 4 s): with Node's 5 s default a busy
          // client could reuse a socket the sandbox was just closing and see "other side closed".
          (server as Server).keepAliveTimeout = 65_000;
          (server as Server).headersTimeout = 66_000;
          let stopping: Promise<void> | null = null;
          resolve({
            url,
            ctx,
            stop() {
              stopping ??= (async () => {
                scheduler.stop();
                webhooks.stop();
                for (const release of [...ctx.hangs]) release();
                await new Promise<void>((done) => {
                  (server as Server).close(() => done());
                  (server as Server).closeAllConnections();
                });
                await scheduler.idle(1_000);
                store.close();
              })();
              return stopping;
            },
          });
        }) as Server;
        // Idle keep-alive connections stay open 65 s (Node's default is 5 s): a client whose event loop is
        // busy must not send on a socket the sandbox is closing at that very moment ("other side closed").
        (server as Server).keepAliveTimeout = 65_000;
        server.once("error", reject);
      });
    },
  };
}
