import type { Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { SandboxContext } from "./context";
import { NPD_WIDGET_GLOBAL, NPD_WIDGET_SCRIPT_PATH } from "./npd-widget-script";
import { FPS_BANKS, TEST_BANK_ACCOUNTS, TEST_CARDS, TEST_FPS_PHONES, TEST_TAXPAYERS } from "./test-instruments";
import { escapeHtml as e, formatRub } from "./util";
import { WIDGET_GLOBAL, WIDGET_SCRIPT_PATH } from "./widget-script";

/**
 * GET / — a plain server-rendered overview for people testing by hand: sessions, webhook deliveries and
 * the test instruments. No scripts; `?refresh=N` adds a meta refresh.
 */

type Env = { Bindings: HttpBindings };

function behaviourText(b: { kind: string; code?: string; stage?: string } | undefined): string {
  if (!b) return "";
  if (b.kind === "fail") return `fails: ${b.code} (${b.stage === "checks" ? "at checks" : "after confirm"})`;
  return b.kind;
}

/** 2025-05-27T02:03:00.340663Z → 2025-05-27 02:03:00 UTC, enough for eyes. */
function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function groupDigits(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, "$1 ");
}

export function registerUi(app: Hono<Env>, ctx: SandboxContext): void {
  app.get("/", (c) => {
    const refresh = Math.min(60, Math.max(0, Number(c.req.query("refresh") ?? 0) || 0));
    const sessions = ctx.engine.list().reverse().slice(0, 200);
    const deliveries = ctx.webhooks.list().reverse().slice(0, 200);

    const sessionRows = sessions
      .map((s) => {
        const p = s.payout;
        const amount = p?.amount_details ? formatRub(p.amount_details.amount) : "—";
        const payoutStatus = p ? `${p.status}${p.error ? ` (${p.error.code})` : ""}${p.refunds?.length ? ", refunded" : ""}` : "—";
        return `<tr><td><code>${e(s.id)}</code></td><td>${e(s.kind)}</td><td>${e(s.status)}${s.next_action ? ` → ${e(s.next_action)}` : ""}</td>
<td>${e(payoutStatus)}</td><td>${e(s.instrument_label ?? "—")}</td><td class="num">${e(amount)}</td><td>${e(shortTime(s.updated_at))}</td></tr>`;
      })
      .join("\n");

    const deliveryRows = deliveries
      .map((d) => {
        const attempts = d.attempts.map((a) => `#${a.n} ${a.status_code ?? e(a.error ?? "?")}${a.duplicate ? " (dup)" : ""}${a.signature === "wrong_key" ? " (wrong key)" : ""}`).join(", ");
        return `<tr><td><code>${e(d.id)}</code></td><td>${e(d.type)}</td><td><code>${e(d.session_id)}</code></td><td>${e(d.status)}</td>
<td>${d.attempts.length}</td><td>${e(attempts || "—")}</td><td>${e(d.next_attempt_at ? shortTime(d.next_attempt_at) : "—")}</td></tr>`;
      })
      .join("\n");

    const cardRows = TEST_CARDS.map(
      (card) => `<tr><td><code>${e(groupDigits(card.number))}</code></td><td>${e(card.brand)}</td><td>${e(card.id)}</td><td>${e(card.description)}</td></tr>`,
    ).join("\n");
    const accountRows = TEST_BANK_ACCOUNTS.map(
      (a) => `<tr><td><code>${e(a.bik)}</code></td><td><code>${e(a.account)}</code></td><td>${e(behaviourText(a.behaviour))}</td><td>${e(a.description)}</td></tr>`,
    ).join("\n");

    const taxpayerRows = TEST_TAXPAYERS.map(
      (t) => `<tr><td><code>${e(t.tax_reference)}</code></td><td>${e(t.id)}</td><td>${e(t.description)}</td><td><a href="/self-employed/demo?tax_reference=${e(t.tax_reference)}">link</a></td></tr>`,
    ).join("\n");
    const phoneRows = TEST_FPS_PHONES.map((p) => `<tr><td><code>${e(p.phone)}</code></td><td>${e(p.id)}</td><td>${e(p.description)}</td></tr>`).join("\n");
    const bankRows = FPS_BANKS.map((b) => `<tr><td><code>${e(b.id)}</code></td><td>${e(b.ru_name)}</td><td>${e(b.eng_name)}</td></tr>`).join("\n");

    const faults = ctx.faults.snapshot();
    const faultsOn = faults.api.length > 0 || faults.webhooks.paused || faults.webhooks.duplicate > 0 || faults.webhooks.reorder > 0 || faults.webhooks.delay || faults.webhooks.wrong_key > 0;

    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refresh > 0 ? `<meta http-equiv="refresh" content="${refresh}">` : ""}
<title>Bank 131 sandbox</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px;color:#1a1a1a}
table{border-collapse:collapse;width:100%;margin:8px 0 24px;font-size:14px}
th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f8} td.num{text-align:right;white-space:nowrap} code{font-size:13px}
.wrap{overflow-x:auto} .warn{background:#fff3cd;padding:8px;border-radius:6px}
</style></head><body>
<h1>Bank 131 sandbox</h1>
<p>Project <code>${e(ctx.config.project)}</code> · webhooks to <code>${e(ctx.config.webhookUrl)}</code> · API at <code>/api/v1/…</code>, <code>/api/v2/…</code>
· <a href="/?refresh=3">auto-refresh</a> · <a href="/widget/demo">card widget demo</a> · <a href="/sandbox/sessions">JSON</a></p>
${faultsOn ? `<p class="warn">Fault injection is active: <code>${e(JSON.stringify(faults))}</code></p>` : ""}
<h2>Sessions (${sessions.length})</h2>
<div class="wrap"><table><thead><tr><th>Session</th><th>Kind</th><th>Status</th><th>Payout</th><th>Instrument</th><th>Amount</th><th>Updated</th></tr></thead>
<tbody>${sessionRows || `<tr><td colspan="7">No sessions yet.</td></tr>`}</tbody></table></div>
<h2>Webhook deliveries (${deliveries.length})${faults.webhooks.paused ? " — paused" : ""}</h2>
<div class="wrap"><table><thead><tr><th>Id</th><th>Type</th><th>Session</th><th>Status</th><th>Attempts</th><th>Answers</th><th>Next attempt</th></tr></thead>
<tbody>${deliveryRows || `<tr><td colspan="7">No webhooks yet.</td></tr>`}</tbody></table></div>
<h2>Test cards</h2>
<p>Any other valid Mir, Visa or Mastercard number succeeds. Get a hash with the <a href="/widget/demo">widget demo</a>, or hash, card token and recurrent token with <code>POST /sandbox/cards {"number": "…"}</code>.</p>
<div class="wrap"><table><thead><tr><th>Number</th><th>Brand</th><th>Id</th><th>Behaviour</th></tr></thead><tbody>${cardRows}</tbody></table></div>
<h2>Test bank accounts</h2>
<div class="wrap"><table><thead><tr><th>BIK</th><th>Account</th><th>Behaviour</th><th>Notes</th></tr></thead><tbody>${accountRows}</tbody></table></div>
<h2>Self-employed (НПД) test INNs</h2>
<p>Any other 12-digit INN is self-employed and not linked. <code>npd/check</code> → <code>npd/request/status</code> answers <code>pending</code>, then <code>ok</code>. Link with the <a href="/self-employed/demo">linking widget demo</a> and confirm in the simulated «Мой налог».</p>
<div class="wrap"><table><thead><tr><th>INN</th><th>Id</th><th>Behaviour</th><th>Widget</th></tr></thead><tbody>${taxpayerRows}</tbody></table></div>
<h2>SBP (FPS) test phones</h2>
<p>Any other phone <code>7XXXXXXXXXX</code> verifies and receives payouts. SBP payouts are never refunded.</p>
<div class="wrap"><table><thead><tr><th>Phone</th><th>Id</th><th>Behaviour</th></tr></thead><tbody>${phoneRows}</tbody></table></div>
<h2>SBP banks (<code>fps/banks</code>)</h2>
<div class="wrap"><table><thead><tr><th>bank_id</th><th>ru_name</th><th>eng_name</th></tr></thead><tbody>${bankRows}</tbody></table></div>
<h2>Linking widget</h2>
<p>Script <code>${e(NPD_WIDGET_SCRIPT_PATH)}</code>, global <code>${e(NPD_WIDGET_GLOBAL)}</code>. See sandbox/README.md.</p>
<h2>Card widget</h2>
<p>Script <code>${e(WIDGET_SCRIPT_PATH)}</code>, global <code>${e(WIDGET_GLOBAL)}</code>. See sandbox/README.md.</p>
</body></html>`);
  });
}
