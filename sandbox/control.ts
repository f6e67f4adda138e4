import type { Context, Hono, Next } from "hono";
import type { HttpBindings } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { z } from "zod";
import type { SandboxContext } from "./context";
import { faultRequestSchema } from "./faults";
import { maskedCard } from "./instruments";
import { renderSession, type SessionRec } from "./session-model";
import { FPS_BANKS, TEST_BANK_ACCOUNTS, TEST_CARDS, TEST_FPS_PHONES, TEST_TAXPAYERS, maskAccount } from "./test-instruments";
import { isoMicro } from "./util";
import { retrySpanMs, type Delivery } from "./webhooks";

/**
 * Control API under /sandbox/… for tests and people: JSON, no signature, loopback clients only.
 */

type Env = { Bindings: HttpBindings };

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

async function loopbackOnly(c: Context<Env>, next: Next) {
  const address = getConnInfo(c).remote.address;
  if (!isLoopback(address)) return c.json({ status: "error", error: { code: "forbidden", description: "the control API accepts loopback clients only" } }, 403);
  await next();
}

async function readJson(c: Context<Env>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  return JSON.parse(text) as unknown;
}

function bad(c: Context<Env>, description: string) {
  return c.json({ status: "error", error: { code: "invalid_request", description } }, 400);
}

function zodDescription(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid body";
}

export function sessionView(ctx: SandboxContext, s: SessionRec) {
  const deliveries = ctx.webhooks.list(s.id);
  const refs = new Set([s.id, ...deliveries.map((d) => d.id)]);
  return {
    session: renderSession(s, 2),
    kind: s.kind,
    api_version: s.api_version,
    behaviour: s.behaviour ?? null,
    instrument: s.instrument_label ?? null,
    confirm_information: s.confirm_information ?? null,
    history: s.history,
    // Timers of the session and of its webhook deliveries.
    pending_jobs: ctx.scheduler
      .pending()
      .filter((j) => refs.has(j.ref))
      .map((j) => ({ kind: j.kind, ref: j.ref, due_at: isoMicro(j.due_at_ms) })),
    webhooks: deliveries.map(deliveryView),
  };
}

export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    type: d.type,
    session_id: d.session_id,
    url: d.url,
    status: d.status,
    created_at: d.created_at,
    next_attempt_at: d.next_attempt_at ?? null,
    retry_until: d.retry_until ?? null,
    faults: d.faults,
    source: d.source,
    attempts: d.attempts,
    body: d.body,
  };
}

const cardSchema = z.object({ number: z.string().min(1).max(40) });
const triggerSchema = z.object({ session_id: z.string().min(1), type: z.string().regex(/^[a-z_]{1,64}$/, "must be a webhook type such as payment_finished") });

export function registerControl(app: Hono<Env>, ctx: SandboxContext): void {
  app.use("/sandbox/*", loopbackOnly);

  app.get("/sandbox/health", (c) =>
    c.json({
      status: "ok",
      pid: process.pid,
      uptime_ms: Date.now() - ctx.startedAt,
      project: ctx.config.project,
      webhook_url: ctx.config.webhookUrl,
      data_dir: ctx.config.dataDir,
      timing: ctx.config.timing,
      webhook: { ...ctx.config.webhook, retry_span_ms: retrySpanMs(ctx.config.webhook) },
      counts: { sessions: ctx.store.size("sessions"), deliveries: ctx.store.size("deliveries"), jobs: ctx.store.size("jobs") },
    }),
  );

  app.post("/sandbox/reset", (c) => {
    ctx.reset();
    return c.json({ status: "ok" });
  });

  app.get("/sandbox/requests", (c) => {
    const limit = Math.min(10_000, Math.max(1, Number(c.req.query("limit") ?? 100) || 100));
    const method = c.req.query("method");
    return c.json({ requests: ctx.requestLog.list({ limit, ...(method ? { method } : {}) }) });
  });

  app.get("/sandbox/sessions", (c) => c.json({ sessions: ctx.engine.list().map((s) => sessionView(ctx, s)) }));

  app.get("/sandbox/sessions/:id", (c) => {
    const s = ctx.engine.get(c.req.param("id"));
    if (!s) return c.json({ status: "error", error: { code: "not_found", description: "no such session" } }, 404);
    return c.json(sessionView(ctx, s));
  });

  app.get("/sandbox/webhooks", (c) => {
    const sessionId = c.req.query("session_id");
    return c.json({ paused: ctx.faults.webhooksPaused, webhooks: ctx.webhooks.list(sessionId).map(deliveryView) });
  });

  app.post("/sandbox/webhooks/trigger", async (c) => {
    const parsed = triggerSchema.safeParse(await readJson(c));
    if (!parsed.success) return bad(c, zodDescription(parsed.error));
    if (!ctx.engine.get(parsed.data.session_id)) return bad(c, `session_id: session ${parsed.data.session_id} not found`);
    const delivery = ctx.engine.trigger(parsed.data.type, parsed.data.session_id);
    return c.json({ status: "ok", webhook: deliveryView(delivery) });
  });

  app.post("/sandbox/webhooks/pause", (c) => {
    ctx.faults.webhooksPaused = true;
    return c.json({ status: "ok", paused: true });
  });

  app.post("/sandbox/webhooks/resume", (c) => {
    ctx.faults.webhooksPaused = false;
    ctx.webhooks.flushPaused();
    return c.json({ status: "ok", paused: false });
  });

  app.get("/sandbox/faults", (c) => c.json(ctx.faults.snapshot()));

  app.post("/sandbox/faults", async (c) => {
    const parsed = faultRequestSchema.safeParse(await readJson(c));
    if (!parsed.success) return bad(c, zodDescription(parsed.error));
    ctx.faults.add(parsed.data);
    return c.json({ status: "ok", faults: ctx.faults.snapshot() });
  });

  app.delete("/sandbox/faults", (c) => {
    const wasPaused = ctx.faults.webhooksPaused;
    ctx.faults.clear();
    if (wasPaused) ctx.webhooks.flushPaused();
    return c.json({ status: "ok", faults: ctx.faults.snapshot() });
  });

  // Card hash, card token and a fresh recurrent token for any valid card (tokenize/elements is UNCONFIRMED).
  app.post("/sandbox/cards", async (c) => {
    const parsed = cardSchema.safeParse(await readJson(c));
    if (!parsed.success) return bad(c, zodDescription(parsed.error));
    const card = ctx.registry.registerCard(parsed.data.number);
    if (!card) return bad(c, "number: not a valid Mir, Visa or Mastercard number");
    const recurrent = ctx.registry.recurrentToken(card.number_hash);
    return c.json({
      status: "ok",
      number_hash: card.number_hash,
      token: ctx.registry.cardToken(card.number_hash),
      recurrent_token: recurrent.token,
      recurrent_token_finished_at: recurrent.finished_at,
      card: maskedCard(card),
    });
  });

  app.get("/sandbox/test-instruments", (c) =>
    c.json({
      cards: TEST_CARDS.map((card) => {
        const hash = ctx.registry.hashOf(card.number);
        return { ...card, number_hash: hash, token: ctx.registry.cardToken(hash) };
      }),
      bank_accounts: TEST_BANK_ACCOUNTS.map((a) => ({ ...a, masked_account: maskAccount(a.account), token: ctx.registry.bankAccountToken(a.bik, a.account).token })),
      taxpayers: TEST_TAXPAYERS,
      fps_phones: TEST_FPS_PHONES,
      fps_banks: FPS_BANKS,
    }),
  );

  app.post("/sandbox/public-tokens/:token/expire", (c) => {
    const record = ctx.registry.publicToken(c.req.param("token"));
    if (!record) return c.json({ status: "error", error: { code: "not_found", description: "no such public token" } }, 404);
    ctx.registry.savePublicToken({ ...record, expires_at_ms: Date.now() - 1 });
    return c.json({ status: "ok" });
  });
}
