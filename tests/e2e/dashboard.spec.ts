import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { OperatorRole } from "../../lib/generated/prisma/enums";
import { signInThroughForm } from "./helpers/sign-in";
import { E2E_SANDBOX_URL } from "./urls";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { sameOrigin } from "./helpers/same-origin";

/**
 * The operators' sessions dashboard: a viewer sees payout requests (created by an approver through
 * the API) with tab counts, narrows them with search and filters kept in the URL, sees a new request
 * appear live (no reload), exports the filtered list as CSV, and sees the connection as online.
 *
 * DASHBOARD_SCREENSHOTS=<dir> also saves desktop and 390 px screenshots there.
 */

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
test.describe.configure({ mode: "serial", timeout: 120_000 });

// Unique per run, so rows other specs created on the same stack never interfere.
// (Recipient names may hold letters only.)
const LETTERS = "бвгджзклмнпрстфхцчшщ";
const TAG = `Дэш${Array.from({ length: 6 }, () => LETTERS[Math.floor(Math.random() * LETTERS.length)]).join("")}`;

async function signedIn(browser: Browser, role: OperatorRole, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow", viewport, acceptDownloads: true });
  const page = await context.newPage();
  await signInThroughForm(page, role);
  return { context, page };
}

async function createPayoutWithLink(api: APIRequestContext, amountKopecks: number, recipientName: string): Promise<{ id: string; token: string }> {
  const response = await api.post("/api/payouts", sameOrigin({ amountKopecks, recipientName, purpose: "Вознаграждение по договору", method: "card_widget" }));
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { id: string; link: { url: string } };
  return { id: body.id, token: new URL(body.link.url).pathname.split("/").pop()! };
}
const createPayout = async (api: APIRequestContext, amountKopecks: number, recipientName: string) => (await createPayoutWithLink(api, amountKopecks, recipientName)).id;

/** The recipient's side without the widget UI: the sandbox hashes the card, the link starts the payout. */
async function recipientSubmitsCard(recipient: APIRequestContext, token: string, number: string): Promise<void> {
  const hashed = await recipient.post(`${E2E_SANDBOX_URL}/sandbox/cards`, { data: { number } });
  expect(hashed.status(), await hashed.text()).toBe(200);
  const { number_hash } = (await hashed.json()) as { number_hash: string };
  const started = await recipient.post(`/api/p/${token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: number_hash } }));
  expect(started.status(), await started.text()).toBe(200);
}

const rows = (page: Page) => page.getByTestId("payout-row");
const row = (page: Page, id: string) => page.locator(`[data-testid="payout-row"][data-payout-id="${id}"]`);
const count = async (page: Page, status: string) => Number((await page.getByTestId(`status-count-${status}`).innerText()).replace(/\D/g, ""));

test("a viewer follows payouts live, filters them through the URL and exports CSV", async ({ browser }) => {
  const approver = await signedIn(browser, "approver");
  const ids = {
    small: await createPayout(approver.context.request, 100_000, `Малов Пётр ${TAG}`),
    middle: await createPayout(approver.context.request, 250_050, `Среднева Анна ${TAG}`),
    large: await createPayout(approver.context.request, 5_000_000, `Крупнов Илья ${TAG}`),
  };

  const { context, page } = await signedIn(browser, "viewer");
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Сессии выплат" })).toBeVisible();
  // The portal's typefaces: Geist for text, Geist Mono for codes (the recipient page has neither).
  const fontOf = (selector: string) => page.locator(selector).first().evaluate((element) => getComputedStyle(element).fontFamily);
  expect(await fontOf("main")).toMatch(/^geistSans/);
  await page.locator("main").first().evaluate((main) => main.insertAdjacentHTML("beforeend", '<code id="font-probe">0</code>'));
  expect(await fontOf("#font-probe")).toMatch(/^geistMono/);

  // The connection indicator is online.
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("connection-state")).toHaveText("Онлайн");
  await expect(page.getByTestId("last-bank-event")).toContainText("последнее событие банка");

  // Rows and counts.
  for (const id of Object.values(ids)) {
    await expect(row(page, id)).toBeVisible();
    await expect(row(page, id)).toHaveAttribute("data-status", "awaiting_recipient");
  }
  await expect.poll(() => count(page, "all")).toBeGreaterThanOrEqual(3);
  await expect.poll(() => count(page, "awaiting_recipient")).toBeGreaterThanOrEqual(3);
  await expect(row(page, ids.middle)).toContainText("2 500,50");
  await expect(row(page, ids.middle).getByRole("link").first()).toHaveAttribute("href", `/dashboard/payouts/${ids.middle}`);
  await expectNoSeriousA11yViolations(page);

  // Search narrows the list; the URL keeps it.
  await page.getByTestId("sessions-search").fill(TAG);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(TAG)}`));
  await expect(rows(page)).toHaveCount(3);
  await expect.poll(() => count(page, "all")).toBe(3);

  // An amount filter (rubles typed, kopecks in the URL) narrows it further.
  await page.getByTestId("filter-min").fill("2 000");
  await page.getByTestId("filter-min").press("Enter");
  await expect(page).toHaveURL(/[?&]minKopecks=200000/);
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, ids.small)).toHaveCount(0);

  // Sorting by amount: largest first, in the URL too.
  await page.getByTestId("sort-amount").click();
  await expect(page).toHaveURL(/[?&]sort=amount/);
  await expect(rows(page).first()).toHaveAttribute("data-payout-id", ids.large);

  // A reload keeps every filter; the back button walks back through them.
  await page.reload();
  await expect(page.getByTestId("sessions-search")).toHaveValue(TAG);
  await expect(page.getByTestId("filter-min")).toHaveValue("2000");
  await expect(rows(page)).toHaveCount(2);
  await page.goBack(); // undo the sort
  await page.goBack(); // undo the amount filter
  await expect(page).not.toHaveURL(/minKopecks/);
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByTestId("filter-min")).toHaveValue("");

  // A status tab: nothing of ours is paid.
  await page.getByTestId("status-tab-paid").click();
  await expect(page).toHaveURL(/[?&]status=paid/);
  await expect(page.getByTestId("sessions-empty")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId("status-tab-all").click();
  await expect(rows(page)).toHaveCount(3);

  // Live: a request created elsewhere appears without a reload (the marker survives only without one).
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  const before = await count(page, "all");
  const live = await createPayout(approver.context.request, 777_700, `Живой Лев ${TAG}`);
  await expect(row(page, live)).toBeVisible({ timeout: 15_000 });
  await expect(rows(page)).toHaveCount(4);
  await expect.poll(() => count(page, "all")).toBe(before + 1);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

  // CSV of the filtered list.
  const downloadPromise = page.waitForEvent("download");
  await page.getByTestId("export-csv").click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^payouts-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trim().split("\r\n");
  expect(lines[0]).toContain("Номер;Создана (МСК)");
  expect(lines).toHaveLength(1 + 4);
  expect(csv).toContain(`Среднева Анна ${TAG}`);
  expect(csv).toContain(";2500,50;");
  expect(csv).toContain(`Живой Лев ${TAG}`);

  await context.close();
  await approver.context.close();
});

test("bad list parameters get a 400 naming the parameter; viewers cannot run reconciliation", async ({ browser }) => {
  const { context } = await signedIn(browser, "viewer");
  const bad = await context.request.get("/api/payouts?minKopecks=abc");
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { field?: string } }).error.field).toBe("minKopecks");
  const cursor = await context.request.get("/api/payouts?cursor=nope");
  expect(cursor.status()).toBe(400);
  const counts = await context.request.get("/api/payouts/counts");
  expect(counts.status()).toBe(200);
  const stats = await context.request.get("/api/payouts/stats");
  expect(((await stats.json()) as { buckets: unknown[] }).buckets).toEqual(expect.any(Array));
  expect((await context.request.post("/api/reconciliation/run", sameOrigin())).status()).toBe(403);
  const reconciliation = await context.request.get("/api/reconciliation");
  expect(reconciliation.status()).toBe(200);
  await context.close();

  const admin = await signedIn(browser, "admin");
  await admin.page.goto("/dashboard");
  await admin.page.getByTestId("reconciliation-run").click();
  await expect(admin.page.getByTestId("reconciliation-message")).toContainText(/Готово|другом экземпляре/);
  await expect(admin.page.getByTestId("reconciliation-last-run")).toContainText("Последняя");
  await expectNoSeriousA11yViolations(admin.page);
  await admin.context.close();
});

test("bank webhooks and operator decisions move rows live; the header shows the last bank event", async ({ browser, playwright, baseURL }) => {
  const approver = await signedIn(browser, "approver");
  const recipient = await playwright.request.newContext({ baseURL });
  const { context, page } = await signedIn(browser, "viewer");
  const tag = `${TAG}банк`;
  await page.goto(`/dashboard?q=${encodeURIComponent(tag)}`);
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live");
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

  const approved = await createPayoutWithLink(approver.context.request, 1_250_050, `Одобрева Ольга ${tag}`);
  const waiting = await createPayoutWithLink(approver.context.request, 320_000, `Ждунов Борис ${tag}`);
  await expect(rows(page)).toHaveCount(2);

  // The recipients submit cards: the bank's webhooks move both rows to "awaiting approval".
  await recipientSubmitsCard(recipient, approved.token, "2200240000014940");
  await recipientSubmitsCard(recipient, waiting.token, "2200240000014940");
  for (const payout of [approved, waiting]) await expect(row(page, payout.id)).toHaveAttribute("data-status", "awaiting_approval", { timeout: 30_000 });
  await expect(row(page, waiting.id)).toContainText(/ps_/);
  await expect(row(page, waiting.id)).toContainText("МИР •••• 4940");
  await expect(row(page, waiting.id)).toContainText(/\d+ ч \d+ мин/);
  await expect(page.getByTestId("last-bank-event")).toContainText(/\d{2}:\d{2}:\d{2}/);
  await expect.poll(() => count(page, "awaiting_approval")).toBe(2);
  await expectNoSeriousA11yViolations(page);

  // An approver's decision (another browser) and the bank's answer reach this page too. Maker ≠
  // checker: the approver created it, so the admin approves.
  const checker = await signedIn(browser, "admin");
  const confirm = await checker.context.request.post(`/api/payouts/${approved.id}/confirm`, sameOrigin());
  expect(confirm.status(), await confirm.text()).toBeLessThan(300);
  await expect(row(page, approved.id)).toHaveAttribute("data-status", "paid", { timeout: 30_000 });
  await expect.poll(() => count(page, "paid")).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

  if (process.env.DASHBOARD_SCREENSHOTS) {
    const admin = await signedIn(browser, "admin");
    await admin.page.goto("/dashboard");
    await admin.page.getByTestId("reconciliation-run").click();
    await expect(admin.page.getByTestId("reconciliation-message")).toBeVisible();
    await expect(rows(admin.page).first()).toBeVisible();
    await admin.page.screenshot({ path: `${process.env.DASHBOARD_SCREENSHOTS}/dashboard-1280.png`, fullPage: true });
    await admin.page.setViewportSize({ width: 390, height: 844 });
    await admin.page.screenshot({ path: `${process.env.DASHBOARD_SCREENSHOTS}/dashboard-390.png`, fullPage: true });
    await admin.page.getByRole("button", { name: /^Фильтры/ }).click();
    await admin.page.screenshot({ path: `${process.env.DASHBOARD_SCREENSHOTS}/dashboard-390-filters.png` });
    await admin.context.close();
  }

  await recipient.dispose();
  await context.close();
  await checker.context.close();
  await approver.context.close();
});
