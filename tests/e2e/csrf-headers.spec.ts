import http from "node:http";
import type { Page } from "@playwright/test";
import { widgetScriptIntegrity } from "../../sandbox/widget-script";
import { expect, test } from "./helpers/operator";
import { sameOrigin } from "./helpers/same-origin";
import { signInThroughForm } from "./helpers/sign-in";
import { E2E_PORTAL_URL, E2E_SANDBOX_URL } from "./urls";

/**
 * Issue 11 against the production build: cross-site state changes refused (ours and Next's server
 * actions), the security headers and nonce CSP on pages with the card widget still working (loaded
 * with Subresource Integrity: scripts/e2e-server.ts sets BANK131_WIDGET_INTEGRITY), bodies cut at
 * the limit while streaming.
 */

const EVIL = "https://evil.example";
const WIDGET_SCRIPT = `${E2E_SANDBOX_URL}/widget/v1/bank131-card-widget.js`;
// The self-employed linking widget runs in the page; the proxy cannot tell which payouts need it, so every recipient page allows it.
const LINKING_WIDGET_SCRIPT = `${E2E_SANDBOX_URL}/self-employed.js`;

test.use({ locale: "ru-RU" });

/** Collects CSP violations the page reports (the init script is injected by the browser, not the page). */
async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

const cspOf = (headers: Record<string, string>) => new Map((headers["content-security-policy"] ?? "").split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]));

test.describe("CSRF", () => {
  test("an approver's cookie from a foreign origin or as text/plain changes nothing (403 csrf); the same request from the portal works", async ({ playwright, operatorSession, operator }) => {
    const payout = await operator.createPayout({ amountKopecks: 150_000, recipientName: "Петров Пётр", purpose: "Проверка CSRF", method: "card_widget" });
    const api = await playwright.request.newContext({ baseURL: E2E_PORTAL_URL, storageState: operatorSession });
    try {
      // The request, verbatim: a cross-site text/plain POST carrying the approver's cookie.
      const forged = await api.post(`/api/payouts/${payout.id}/confirm`, { headers: { origin: EVIL, "content-type": "text/plain" }, data: "{}" });
      expect(forged.status()).toBe(403);
      expect(await forged.json()).toMatchObject({ error: { code: "csrf", params: { reason: "origin" } } });

      const forgedJson = await api.post(`/api/payouts/${payout.id}/revoke`, { headers: { origin: EVIL }, data: { reason: "Подделанный отзыв" } });
      expect((await forgedJson.json()).error.code).toBe("csrf");
      const noOrigin = await api.post(`/api/payouts/${payout.id}/revoke`, { data: { reason: "Без заголовка Origin" } });
      expect((await noOrigin.json()).error.code).toBe("csrf");
      const plain = await api.post(`/api/payouts/${payout.id}/revoke`, { headers: { origin: E2E_PORTAL_URL, "content-type": "text/plain" }, data: JSON.stringify({ reason: "Текстом" }) });
      expect(plain.status()).toBe(403);
      expect(await plain.json()).toMatchObject({ error: { code: "csrf", params: { reason: "content_type" } } });
      // A recipient link's state change is refused cross-site as well.
      const start = await api.post(`/api/p/${payout.token}/start`, { headers: { origin: EVIL }, data: { instrument: { kind: "card_hash", numberHash: "a".repeat(64) } } });
      expect((await start.json()).error.code).toBe("csrf");

      const detail = await api.get(`/api/payouts/${payout.id}`);
      expect(await detail.json()).toMatchObject({ status: "awaiting_recipient" });

      const revoked = await api.post(`/api/payouts/${payout.id}/revoke`, sameOrigin({ reason: "Выплата больше не нужна" }));
      expect(revoked.status(), await revoked.text()).toBe(200);
    } finally {
      await api.dispose();
    }
  });

  test("Next's own origin check refuses a server action replayed from a foreign origin", async ({ page, operator }) => {
    const payout = await operator.createPayout({ amountKopecks: 90_000, recipientName: "Сидоров Илья", purpose: "Проверка действий", method: "card_widget" });
    // The page asks its server action for a widget token on load: replay that exact call.
    const [action] = await Promise.all([page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined), page.goto(payout.path)]);
    const replay = (origin: string) =>
      page.request.post(payout.path, {
        headers: { "next-action": action.headers()["next-action"]!, "content-type": action.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component", origin },
        data: action.postData() ?? "",
      });
    const foreign = await replay(EVIL);
    expect(foreign.status()).toBe(500);
    expect(await foreign.text()).not.toContain("publicToken");
    const own = await replay(E2E_PORTAL_URL);
    expect(own.status()).toBe(200);
    expect(await own.text()).toContain("publicToken");
  });
});

test.describe("security headers and CSP", () => {
  test("every page: a fresh nonce on its scripts, no frames, framed by no one; Permissions-Policy, Referrer-Policy; no HSTS over http", async ({ page, request }) => {
    const first = await request.get("/login");
    const second = await request.get("/login");
    const csp = cspOf(first.headers());
    const nonce = /'nonce-([^']+)'/.exec(csp.get("script-src") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(cspOf(second.headers()).get("script-src")).not.toContain(nonce!);
    expect(csp.get("script-src")).toBe(`'self' 'nonce-${nonce}'`);
    expect(csp.get("frame-src")).toBe("'none'");
    expect(csp.get("connect-src")).toBe("'self'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    // Every inline script Next rendered carries this response's nonce.
    const html = await first.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    for (const attributes of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    expect(first.headers()["permissions-policy"]).toContain("camera=()");
    expect(first.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(first.headers()["strict-transport-security"]).toBeUndefined();

    // The pages run under it: sign-in and the dashboard with its live stream, with no violation.
    const violations = await recordCspViolations(page);
    await page.goto("/login");
    await page.getByLabel("Email").fill("approver@portal.test");
    await page.getByLabel("Пароль").fill("approver-demo-131");
    await expect(async () => {
      await page.getByRole("button", { name: "Войти" }).click();
      await expect(page).toHaveURL(/\/dashboard/, { timeout: 5_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId("connection-indicator").first()).toHaveAttribute("data-state", "live");
    expect(await violations()).toEqual([]);
  });

  test("recipient page: the widget (script with integrity, iframe of the sandbox) works under the CSP", async ({ page, operator }) => {
    const payout = await operator.createPayout({ amountKopecks: 77_700, recipientName: "Кузнецова Анна", purpose: "Проверка CSP", method: "card_widget" });
    const violations = await recordCspViolations(page);
    const response = await page.goto(payout.path);
    const csp = cspOf(response!.headers());
    expect(csp.get("script-src")).toMatch(new RegExp(`^'self' 'nonce-[^']+' ${WIDGET_SCRIPT.replace(/[.]/g, "\\.")} ${LINKING_WIDGET_SCRIPT.replace(/[.]/g, "\\.")}$`));
    expect(csp.get("frame-src")).toBe(E2E_SANDBOX_URL);
    expect(response!.headers()["referrer-policy"]).toBe("no-referrer");

    const integrity = widgetScriptIntegrity(E2E_SANDBOX_URL);
    // The sandbox tells the same hash an operator would configure.
    expect(await (await page.request.get(`${E2E_SANDBOX_URL}/widget/v1/integrity`)).json()).toEqual({ script: WIDGET_SCRIPT, integrity });
    await expect(page.locator("script[data-card-widget]")).toHaveAttribute("integrity", integrity);
    const widget = page.getByTestId("card-widget").locator("iframe").contentFrame();
    await widget.getByLabel("Номер карты").fill("2200240000014940");
    await widget.getByRole("button", { name: "Сохранить карту" }).click();
    await expect(page.getByTestId("card-label")).toHaveText("МИР •••• 4940");
    expect(await violations()).toEqual([]);
  });

  test("a widget script that does not match the configured hash never runs: the page says so instead of hanging", async ({ page, operator }) => {
    const payout = await operator.createPayout({ amountKopecks: 66_600, recipientName: "Волков Олег", purpose: "Проверка SRI", method: "card_widget" });
    // What a compromised CDN would do: serve the script with one byte more.
    await page.route(WIDGET_SCRIPT, async (route) => {
      const original = await route.fetch();
      await route.fulfill({ response: original, body: `${await original.text()}\n;window.tampered = true;` });
    });
    await page.goto(payout.path);
    await expect(page.getByTestId("widget-error")).toContainText("Не удалось загрузить форму банка");
    expect(await page.evaluate(() => (window as unknown as { tampered?: boolean }).tampered)).toBeUndefined();
    await expect(page.getByTestId("card-widget").locator("iframe")).toHaveCount(0);
  });
});

/** Sends `total` bytes chunked (no Content-Length); resolves with the answer and how much had been sent by then. */
function chunkedPost(path: string, headers: Record<string, string>, total: number): Promise<{ status: number; body: string; sentWhenAnswered: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(`${E2E_PORTAL_URL}${path}`, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } });
    request.on("response", (response) => {
      answered = true;
      const sentWhenAnswered = sent;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body, sentWhenAnswered });
      });
    });
    // The server may close the upload once it has answered.
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.byteLength;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

test.describe("body limits while streaming", () => {
  const OFFERED = 32 * 1024 * 1024;

  test("the webhook route cuts a chunked body at 1 MiB with 413 before the upload ends", async () => {
    const answer = await chunkedPost("/api/webhooks/bank131", { "content-type": "application/json", "x-partner-sign": "x" }, OFFERED);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "payload_too_large", params: { limit: 1024 * 1024 } } });
    expect(answer.sentWhenAnswered).toBeLessThan(OFFERED);
  });

  test("route() cuts a chunked body at 256 KiB with 413", async ({ operator }) => {
    const payout = await operator.createPayout({ amountKopecks: 55_500, recipientName: "Орлова Мария", purpose: "Проверка размера", method: "card_widget" });
    const answer = await chunkedPost(`/api/p/${payout.token}/start`, { "content-type": "application/json", origin: E2E_PORTAL_URL }, OFFERED);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "payload_too_large", params: { limit: 256 * 1024 } } });
    expect(answer.sentWhenAnswered).toBeLessThan(OFFERED);
  });

  test("the partner API cuts a chunked body at 256 KiB with 413", async ({ browser }) => {
    const admin = await browser.newContext({ baseURL: E2E_PORTAL_URL });
    let key: string;
    try {
      await signInThroughForm(await admin.newPage(), "admin");
      const created = await admin.request.post("/api/admin/api-keys", sameOrigin({ name: "e2e chunked upload" }));
      expect(created.status()).toBe(201);
      key = ((await created.json()) as { key: string }).key;
    } finally {
      await admin.close();
    }
    const answer = await chunkedPost("/api/v1/payout-requests", { "content-type": "application/json", "x-api-key": key }, OFFERED);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "payload_too_large", params: { limit: 256 * 1024 } } });
    expect(answer.sentWhenAnswered).toBeLessThan(OFFERED);
  });
});

/** Opens a stream and resolves once its answer's head arrived; `close` hangs up. */
function openStream(path: string): Promise<{ status: number; body: () => Promise<string>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${E2E_PORTAL_URL}${path}`, { headers: { accept: "text/event-stream" } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      const ended = new Promise<string>((done) => response.on("end", () => done(body)));
      resolve({ status: response.statusCode ?? 0, body: () => ended, close: () => request.destroy() });
    });
    request.on("error", reject);
  });
}

test("a payout link holds at most 5 live streams (429 too_many_streams); a closed one frees its place", async ({ operator }) => {
  const payout = await operator.createPayout({ amountKopecks: 44_400, recipientName: "Лебедев Антон", purpose: "Проверка потоков", method: "card_widget" });
  const path = `/api/p/${payout.token}/events`;
  const open = [];
  try {
    for (let i = 0; i < 5; i++) open.push(await openStream(path));
    expect(open.map((stream) => stream.status)).toEqual([200, 200, 200, 200, 200]);
    const refused = await openStream(path);
    expect(refused.status).toBe(429);
    expect(JSON.parse(await refused.body())).toMatchObject({ error: { code: "too_many_streams", params: { limit: 5 } } });

    open.shift()!.close();
    await expect
      .poll(async () => {
        const again = await openStream(path);
        if (again.status === 200) open.push(again);
        return again.status;
      })
      .toBe(200);
  } finally {
    for (const stream of open) stream.close();
  }
});
