import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "@playwright/test";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createBank131Client } from "@/lib/bank131/client";
import type { SandboxProcess } from "@/tests/helpers/sandbox-process";
import { withSandboxSuite } from "@/tests/helpers/sandbox-suite";

/**
 * The linking widget in Chromium, embedded the documented way in a partner page on ANOTHER origin:
 * render() → consent → send request → «Мой налог» confirms → refresh → confirmed, and npd/check then
 * reports is_linked. Only the sandbox runs (no portal build needed).
 */

let sandbox: SandboxProcess;
withSandboxSuite((suite) => ({ sandbox } = suite), { env: { SANDBOX_NPD_CHECK_DELAY_MS: "100" } });

const INN = "500100732283"; // not in the test list: self-employed, not linked
let browser: Browser;
let host: Server;
let hostUrl: string;
let publicToken = "";

beforeAll(async () => {
  const client = createBank131Client({ baseUrl: sandbox.url, project: sandbox.project, privateKey: sandbox.keys.partnerPrivateKey });
  publicToken = (await client.token({ self_employed_widget: { tax_reference: INN } })).public_token;
  // The partner's page, as the docs show it, served from its own origin.
  host = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="ru"><head><meta charset="utf-8"><link rel="stylesheet" href="${sandbox.url}/self-employed.css"></head><body>
<div id="bank131-self-employed"></div>
<script src="${sandbox.url}/self-employed.js"></script>
<script>
  window.__messages = [];
  window.addEventListener("message", function (e) { if (e.data && e.data.source === "bank131-self-employed") window.__messages.push(e.data); });
  new Bank131SelfEmployed({ initialValues: { taxReferenceOrPhone: "${INN}" }, stage: Bank131SelfEmployed.STAGES.bind, publicToken: "${publicToken}" }).render();
</script></body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  // "localhost" vs the sandbox's 127.0.0.1: a different origin, so the widget's calls are cross-origin.
  hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
});

test("render → consent → request sent → confirmed in «Мой налог» → refresh shows confirmed; npd/check reports is_linked", async () => {
  const page = await browser.newPage();
  await page.goto(hostUrl);
  const widget = page.locator("#bank131-self-employed");
  await expect.poll(() => widget.getAttribute("data-state")).toBe("initial");
  expect(await page.getByRole("textbox", { name: "ИНН или телефон" }).inputValue()).toBe(INN);

  // Without consent nothing is sent.
  await page.getByRole("button", { name: "Отправить запрос" }).click();
  await expect.poll(() => page.getByRole("alert").textContent()).toBe("Подтвердите согласие");

  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Отправить запрос" }).click();
  await expect.poll(() => widget.getAttribute("data-state")).toBe("request_sent");
  await expect.poll(() => page.getByRole("status").textContent()).toContain("«Мой налог»");
  expect(await page.getByRole("link", { name: "Открыть «Мой налог» (симуляция)" }).getAttribute("href")).toBe(`${sandbox.url}/npd/my-tax?tax_reference=${INN}`);

  // The person allows Bank 131 in the (simulated) app, then presses "refresh".
  await sandbox.control.post(`/sandbox/npd/bindings/${INN}/confirm`);
  await page.getByRole("button", { name: "Обновить статус" }).click();
  await expect.poll(() => widget.getAttribute("data-state")).toBe("confirmed");
  const messages = (await page.evaluate("window.__messages")) as { state: string; taxReference: string }[];
  expect(messages.map((m) => m.state)).toEqual(["request_sent", "confirmed"]);
  expect(messages.every((m) => m.taxReference === INN)).toBe(true);

  const client = createBank131Client({ baseUrl: sandbox.url, project: sandbox.project, privateKey: sandbox.keys.partnerPrivateKey });
  const check = await client.npdCheck({ tax_reference: INN });
  await expect.poll(async () => client.npdRequestStatus({ request_id: check.request_id }), { timeout: 10_000, interval: 50 }).toMatchObject({
    status: "ok",
    is_professional_income_taxpayer: true,
    is_linked: true,
  });
  await page.close();
});
