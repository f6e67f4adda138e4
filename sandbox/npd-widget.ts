import type { Context, Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import { z } from "zod";
import type { SandboxContext } from "./context";
import type { PublicTokenRecord } from "./instruments";
import type { BindingRec } from "./npd";
import { ERROR_DESCRIPTIONS } from "./test-instruments";
import { escapeHtml as e, formatRub, isoMicro } from "./util";
import {
  MY_TAX_PATH,
  NPD_REQUEST_PATH,
  NPD_REQUEST_STATUS_PATH,
  NPD_WIDGET_CONTAINER_ID,
  NPD_WIDGET_CSS,
  NPD_WIDGET_CSS_PATH,
  NPD_WIDGET_GLOBAL,
  NPD_WIDGET_SCRIPT_PATH,
  npdWidgetScript,
} from "./npd-widget-script";

/**
 * Self-employed linking in the sandbox: the widget script and stylesheet (at the same paths as on
 * widget-demo.bank131.ru), the endpoints the widget calls, a demo host page, a page that plays the
 * person's «Мой налог» app (confirm or reject the request), control endpoints doing the same for tests, and
 * the receipt pages that `receipt.link` points to.
 */

type Env = { Bindings: HttpBindings };

const CORS = { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" };

const requestSchema = z.object({ public_token: z.string().min(1).max(200), tax_reference_or_phone: z.string().max(40) });
const statusSchema = z.object({ public_token: z.string().min(1).max(200) });
const innParam = z.string().regex(/^\d{12}$/);

function fail(c: Context<Env>, code: string, description: string, status: 400 | 403 | 404 | 409 | 410 = 400) {
  return c.json({ status: "error", error: { code, description } }, status, CORS);
}

function answer(c: Context<Env>, rec: BindingRec) {
  return c.json({ status: "ok", state: rec.state, tax_reference: rec.tax_reference }, 200, CORS);
}

/** A token for the linking widget: issued with self_employed_widget, of this project, not expired. */
function tokenProblem(record: PublicTokenRecord | undefined): { code: string; status: 400 | 403 | 410 } | null {
  if (!record) return { code: "public_token_invalid", status: 400 };
  if (!record.widgets.includes("self_employed_widget") || !record.tax_reference) return { code: "public_token_not_for_widget", status: 403 };
  if (Date.now() >= record.expires_at_ms) return { code: "public_token_expired", status: 410 };
  return null;
}

async function body(c: Context<Env>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

export function registerSelfEmployed(app: Hono<Env>, ctx: SandboxContext): void {
  const { npd, registry } = ctx;

  app.get(NPD_WIDGET_SCRIPT_PATH, (c) =>
    c.body(npdWidgetScript(new URL(c.req.url).origin), 200, {
      "Content-Type": "application/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
      "Access-Control-Allow-Origin": "*",
      "Cross-Origin-Resource-Policy": "cross-origin",
    }),
  );
  app.get(NPD_WIDGET_CSS_PATH, (c) =>
    c.body(NPD_WIDGET_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*", "Cross-Origin-Resource-Policy": "cross-origin" }),
  );

  // The widget runs in the partner's page and calls these cross-origin.
  for (const path of [NPD_REQUEST_PATH, NPD_REQUEST_STATUS_PATH]) {
    app.options(path, (c) =>
      c.body(null, 204, { ...CORS, "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600" }),
    );
  }

  /** "Send request": the person agreed; the tax service forwards the request to «Мой налог». Spends the token. */
  app.post(NPD_REQUEST_PATH, async (c) => {
    const parsed = requestSchema.safeParse(await body(c));
    if (!parsed.success) return fail(c, "invalid_request", `${parsed.error.issues[0]?.path.join(".") || "body"}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    const record = registry.publicToken(parsed.data.public_token);
    const problem = tokenProblem(record);
    if (problem || !record?.tax_reference) return fail(c, problem?.code ?? "public_token_invalid", "public token: not valid for the self-employed widget", problem?.status ?? 400);
    if (record.spent_at) return fail(c, "public_token_spent", "public token: already used; issue a new one with token", 409);
    const value = parsed.data.tax_reference_or_phone.replace(/[\s()+-]/g, "");
    // A phone is taken as the token's person (the tax service finds the INN by phone).
    if (/^\d{12}$/.test(value)) {
      if (value !== record.tax_reference) return fail(c, "invalid_request", "tax_reference_or_phone: differs from the INN the public token was issued for");
    } else if (!/^7\d{10}$/.test(value)) {
      return fail(c, "invalid_request", "tax_reference_or_phone: must be a 12-digit INN or a phone 7XXXXXXXXXX");
    }
    const result = npd.requestBinding(record.tax_reference);
    if ("error" in result) return fail(c, result.error, ERROR_DESCRIPTIONS[result.error] ?? result.error, 409);
    registry.savePublicToken({ ...record, spent_at: isoMicro() });
    return answer(c, result);
  });

  /** "Refresh status": the widget's view of its request (a spent token still reads its own request). */
  app.post(NPD_REQUEST_STATUS_PATH, async (c) => {
    const parsed = statusSchema.safeParse(await body(c));
    if (!parsed.success) return fail(c, "invalid_request", "public_token: is required");
    const record = registry.publicToken(parsed.data.public_token);
    const problem = tokenProblem(record);
    if (problem || !record?.tax_reference) return fail(c, problem?.code ?? "public_token_invalid", "public token: not valid for the self-employed widget", problem?.status ?? 400);
    const rec = npd.binding(record.tax_reference);
    if (!rec || !record.spent_at) return fail(c, "request_not_found", "no linking request was sent with this token", 404);
    return answer(c, rec);
  });

  // A host page to try the widget by hand: it issues its own token (no signature needed).
  app.get("/self-employed/demo", (c) => {
    const inn = c.req.query("tax_reference") ?? "770713100202";
    if (!innParam.safeParse(inn).success) return c.text("tax_reference must be 12 digits", 400);
    const token = registry.issuePublicToken(ctx.config.project, ["self_employed_widget"], ctx.config.timing.publicTokenTtlMs, inn);
    return c.html(demoPage(inn, token.token));
  });

  // «Мой налог», played by the sandbox: the person confirms or rejects the open request.
  app.get(MY_TAX_PATH, (c) => {
    const inn = c.req.query("tax_reference") ?? "";
    if (!innParam.safeParse(inn).success) return c.text("tax_reference must be 12 digits", 400);
    return c.html(myTaxPage(inn, npd.binding(inn)));
  });
  app.post(`${MY_TAX_PATH}/decide`, async (c) => {
    const form = await c.req.parseBody();
    const inn = typeof form.tax_reference === "string" ? form.tax_reference : "";
    if (!innParam.safeParse(inn).success) return c.text("tax_reference must be 12 digits", 400);
    npd.decideBinding(inn, form.decision === "confirm");
    return c.redirect(`${MY_TAX_PATH}?tax_reference=${inn}`, 303);
  });

  // Control (loopback only, like the rest of /sandbox/…): the same decision for tests, and the state.
  for (const decision of ["confirm", "reject"] as const) {
    app.post(`/sandbox/npd/bindings/:inn/${decision}`, (c) => {
      const inn = c.req.param("inn");
      const rec = npd.decideBinding(inn, decision === "confirm");
      if (!rec) return c.json({ status: "error", error: { code: "not_found", description: `no open linking request for ${inn}` } }, 404);
      return c.json({ status: "ok", binding: rec });
    });
  }
  app.get("/sandbox/npd/taxpayers/:inn", (c) => {
    const inn = c.req.param("inn");
    if (!innParam.safeParse(inn).success) return c.json({ status: "error", error: { code: "invalid_request", description: "inn: must be 12 digits" } }, 400);
    return c.json({ taxpayer: npd.taxpayer(inn), income_this_year: npd.incomeThisYear(inn), binding: npd.binding(inn) ?? null });
  });

  app.get("/npd/receipts/:inn/:id", (c) => {
    const receipt = npd.receipt(c.req.param("id"));
    if (!receipt || receipt.tax_reference !== c.req.param("inn")) return c.text("Чек не найден", 404);
    const d = receipt.details;
    const rows = d.services
      .map((s, i) => `<tr><td>${i + 1}</td><td>${e(s.name)}</td><td class="num">${s.quantity}</td><td class="num">${e(formatRub(s.amount_details.amount))}</td><td class="num">${e(formatRub(s.amount_details.amount * s.quantity))}</td></tr>`)
      .join("");
    const payer = d.payer_type === "legal" ? `${e(d.payer_name ?? "")} (ИНН ${e(d.payer_tax_number ?? "")})` : d.payer_type === "foreign" ? `иностранная организация ${e(d.payer_name ?? "")}` : "физическое лицо";
    return c.html(`<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Чек №${e(receipt.id)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:16px;max-width:560px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}.num{text-align:right}</style></head><body>
<h1>Чек №${e(receipt.id)}</h1>
<p>Песочница Bank 131: не фискальный документ.</p>
<p>Дата: <time datetime="${e(receipt.created_at)}">${e(receipt.created_at.slice(0, 19).replace("T", " "))} UTC</time><br>
Налог на профессиональный доход · ИНН исполнителя <code>${e(receipt.tax_reference)}</code><br>
Покупатель: ${payer}</p>
<table><thead><tr><th>№</th><th>Услуга</th><th class="num">Кол-во</th><th class="num">Цена</th><th class="num">Сумма</th></tr></thead><tbody>${rows}</tbody></table>
<p><strong>Итого: <span data-testid="receipt-total">${e(formatRub(receipt.amount))}</span></strong></p>
<p>Сессия <code>${e(receipt.session_id)}</code>${receipt.payout_id ? `, выплата <code>${e(receipt.payout_id)}</code>` : ""}</p>
</body></html>`);
  });
}

function demoPage(inn: string, publicToken: string): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Self-employed widget demo — Bank 131 sandbox</title>
<link rel="stylesheet" href="${NPD_WIDGET_CSS_PATH}">
<style>body{font:16px/1.4 system-ui,sans-serif;margin:16px;max-width:520px}pre{white-space:pre-wrap;background:#f4f4f4;padding:8px;border-radius:6px}</style>
</head><body>
<p><a href="/">← sandbox</a></p>
<h1>Self-employed linking widget</h1>
<div id="${NPD_WIDGET_CONTAINER_ID}"></div>
<h2>Window messages</h2>
<pre id="result">—</pre>
<script src="${NPD_WIDGET_SCRIPT_PATH}"></script>
<script>
  window.addEventListener("message", function (event) {
    if (event.data && event.data.source === "bank131-self-employed") document.getElementById("result").textContent = JSON.stringify(event.data, null, 2);
  });
  new ${NPD_WIDGET_GLOBAL}({
    initialValues: { taxReferenceOrPhone: ${JSON.stringify(inn)} },
    stage: ${NPD_WIDGET_GLOBAL}.STAGES.bind,
    publicToken: ${JSON.stringify(publicToken)}
  }).render();
</script>
</body></html>`;
}

function myTaxPage(inn: string, binding: BindingRec | undefined): string {
  const open = binding?.state === "request_sent";
  const state = !binding ? "Запросов нет." : open ? "Банк 131 просит разрешение регистрировать доход и формировать чеки от вашего имени." : binding.state === "confirmed" ? "Разрешение Банку 131 выдано." : "Запрос Банка 131 отклонён.";
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>«Мой налог» (симуляция)</title>
<style>body{font:16px/1.4 system-ui,sans-serif;margin:16px;max-width:480px}button{padding:8px 14px;font:inherit;margin-right:8px}</style></head><body>
<h1>«Мой налог» — симуляция песочницы</h1>
<p>ИНН <code>${e(inn)}</code></p>
<p role="status">${e(state)}</p>
${
  open
    ? `<form method="post" action="${MY_TAX_PATH}/decide"><input type="hidden" name="tax_reference" value="${e(inn)}">
<button name="decision" value="confirm">Разрешить</button><button name="decision" value="reject">Отклонить</button></form>`
    : ""
}
</body></html>`;
}
