import { randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import { z } from "zod";
import type { SandboxContext } from "./context";
import type { PublicTokenRecord } from "./instruments";
import { checkCardNumber } from "./test-instruments";
import { escapeHtml, isoMicro } from "./util";
import { framePage, type WidgetErrorCode, type WidgetLocale } from "./widget-frame";
import { WIDGET_FRAME_PATH, WIDGET_GLOBAL, WIDGET_INTEGRITY_PATH, WIDGET_SCRIPT_PATH, widgetScript, widgetScriptIntegrity } from "./widget-script";

/**
 * Card widget served from the sandbox origin: the loader script, the iframe page, the tokenization endpoint
 * the iframe posts to, and a demo host page. Card numbers reach only /widget/v1/tokenize, which keeps
 * number_hash → masked data and never logs the request.
 */

type Env = { Bindings: HttpBindings };

const tokenizeSchema = z.object({
  public_token: z.string().min(1).max(200),
  number: z.string().min(1).max(40),
});

const HTTP_OF: Record<string, number> = {
  public_token_invalid: 400,
  public_token_spent: 409,
  public_token_expired: 410,
  public_token_not_for_widget: 403,
  card_number_invalid: 400,
  card_brand_unsupported: 400,
  origin_not_allowed: 403,
  invalid_request: 400,
};

/** Returns a strict origin ("https://host:port") or null: the value goes into a CSP header. */
export function parseOrigin(value: string | undefined): string | null {
  if (!value || value.length > 200) return null;
  try {
    const url = new URL(value);
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== value) return null;
    return url.origin;
  } catch {
    return null;
  }
}

function tokenProblem(record: PublicTokenRecord | undefined): WidgetErrorCode | null {
  if (!record) return "public_token_invalid";
  if (!record.widgets.includes("tokenize_widget")) return "public_token_not_for_widget";
  if (record.spent_at) return "public_token_spent";
  if (Date.now() >= record.expires_at_ms) return "public_token_expired";
  return null;
}

function errorJson(c: Context<Env>, code: string, description: string) {
  return c.json({ status: "error", error: { code, description } }, (HTTP_OF[code] ?? 400) as 400, { "Cache-Control": "no-store" });
}

export function registerWidget(app: Hono<Env>, ctx: SandboxContext): void {
  app.get(WIDGET_SCRIPT_PATH, (c) => {
    const origin = new URL(c.req.url).origin;
    return c.body(widgetScript(origin), 200, {
      "Content-Type": "application/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
      // Host pages on any origin may load the script.
      "Access-Control-Allow-Origin": "*",
      "Cross-Origin-Resource-Policy": "cross-origin",
    });
  });

  // The value for the portal's BANK131_WIDGET_INTEGRITY when it loads the script from this origin.
  app.get(WIDGET_INTEGRITY_PATH, (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({ script: `${origin}${WIDGET_SCRIPT_PATH}`, integrity: widgetScriptIntegrity(origin) }, 200, { "Cache-Control": "no-cache" });
  });

  app.get(WIDGET_FRAME_PATH, (c) => {
    const locale: WidgetLocale = c.req.query("locale") === "en" ? "en" : "ru";
    const publicToken = c.req.query("public_token") ?? "";
    const widgetId = /^[A-Za-z0-9_-]{1,64}$/.test(c.req.query("widget_id") ?? "") ? (c.req.query("widget_id") ?? "") : "w";
    const parentOrigin = parseOrigin(c.req.query("parent_origin"));
    const nonce = randomBytes(16).toString("base64");
    const initialError: WidgetErrorCode | null = parentOrigin ? tokenProblem(ctx.registry.publicToken(publicToken)) : "parent_origin_invalid";
    const html = framePage({ locale, publicToken, parentOrigin, widgetId, nonce, initialError });
    return c.html(html, 200, {
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      // Only parent_origin may embed the form; an invalid one means nobody may.
      "Content-Security-Policy": [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "connect-src 'self'",
        "img-src 'self' data:",
        "form-action 'none'",
        "base-uri 'none'",
        `frame-ancestors ${parentOrigin ?? "'none'"}`,
      ].join("; "),
    });
  });

  app.post("/widget/v1/tokenize", async (c) => {
    const ownOrigin = new URL(c.req.url).origin;
    const origin = c.req.header("origin");
    // Only the iframe page (same origin) may post card numbers here.
    if (origin !== undefined && origin !== ownOrigin) return errorJson(c, "origin_not_allowed", "cross-origin tokenization is not allowed");
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return errorJson(c, "invalid_request", "body: malformed JSON");
    }
    const parsed = tokenizeSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return errorJson(c, "invalid_request", `${issue?.path.join(".") ?? "body"}: ${issue?.message ?? "invalid"}`);
    }
    const record = ctx.registry.publicToken(parsed.data.public_token);
    const problem = tokenProblem(record);
    if (problem || !record) return errorJson(c, problem ?? "public_token_invalid", `public token: ${problem ?? "invalid"}`);
    const checked = checkCardNumber(parsed.data.number);
    if (!checked.ok) {
      return checked.problem === "brand"
        ? errorJson(c, "card_brand_unsupported", "number: only Mir, Visa and Mastercard are accepted")
        : errorJson(c, "card_number_invalid", checked.problem === "luhn" ? "number: fails the Luhn check" : "number: must be 13–19 digits");
    }
    const card = ctx.registry.registerCard(checked.digits);
    if (!card) return errorJson(c, "card_number_invalid", "number: invalid");
    // Single use: the token is spent by the first successful tokenization.
    ctx.registry.savePublicToken({ ...record, spent_at: isoMicro() });
    return c.json({ status: "ok", number_hash: card.number_hash, last4: card.last4, brand: card.brand, bin: card.bin }, 200, { "Cache-Control": "no-store" });
  });

  // A host page for trying the widget by hand; it issues its own public token (no signature needed).
  app.get("/widget/demo", (c) => {
    const locale: WidgetLocale = c.req.query("locale") === "en" ? "en" : "ru";
    const record = ctx.registry.issuePublicToken(ctx.config.project, ["tokenize_widget"], ctx.config.timing.publicTokenTtlMs);
    return c.html(demoPage(record.token, locale));
  });
}

function demoPage(publicToken: string, locale: WidgetLocale): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Card widget demo — Bank 131 sandbox</title>
<style>body{font:16px/1.4 system-ui,sans-serif;margin:16px;max-width:520px}pre{white-space:pre-wrap;word-break:break-all;background:#f4f4f4;padding:8px;border-radius:6px}</style>
</head><body>
<p><a href="/">← sandbox</a> · <a href="/widget/demo?locale=ru">RU</a> · <a href="/widget/demo?locale=en">EN</a></p>
<h1>Card widget demo</h1>
<div id="card-widget"></div>
<h2>Result</h2>
<pre id="result">—</pre>
<script src="${WIDGET_SCRIPT_PATH}"></script>
<script>
  var out = document.getElementById("result");
  new ${WIDGET_GLOBAL}({
    publicToken: ${JSON.stringify(escapeHtml(publicToken))},
    container: "#card-widget",
    locale: ${JSON.stringify(locale)},
    onSuccess: function (r) { out.textContent = "onSuccess " + JSON.stringify(r, null, 2); },
    onError: function (e) { out.textContent = "onError " + JSON.stringify(e, null, 2); }
  }).render();
</script>
</body></html>`;
}
