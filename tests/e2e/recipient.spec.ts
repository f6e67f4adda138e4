import type { Page } from "@playwright/test";
import { formatKopecks } from "../../lib/money";
import { expect, test, type CreatedPayout, type Operator, type PayoutInput } from "./helpers/operator";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { holdScripts } from "./helpers/hold-scripts";
import { sameOrigin } from "./helpers/same-origin";

/**
 * The recipient's payout link page (/p/<token>) in a browser with no login: the operator creates
 * requests through the API, the recipient walks the link in a fresh context.
 */

const MIR_SUCCESS = "2200240000014940";
const TEST_BIK = "049205131";
const TEST_ACCOUNT = "40817810500000000131";
const WIDGET_FRAME = '[data-testid="card-widget"] iframe';

test.use({ locale: "ru-RU" });
// Room for an axe run on every screen the flows show.
test.describe.configure({ timeout: 120_000 });

function cardRequest(operator: Operator, overrides: Partial<PayoutInput> = {}) {
  return operator.createPayout({
    amountKopecks: 1_250_050,
    recipientName: "Иванов Иван Иванович",
    purpose: "Выплата по договору № 17 за октябрь",
    method: "card_widget",
    ...overrides,
  });
}

function accountRequest(operator: Operator) {
  return operator.createPayout({
    amountKopecks: 3_000_000,
    recipientName: "Петрова Анна Сергеевна",
    purpose: "Возврат обеспечительного платежа",
    method: "bank_account",
  });
}

/** Types the card inside the bank's widget iframe (the page itself never gets the digits). */
async function enterCard(page: Page, number: string, labels = { field: "Номер карты", save: "Сохранить карту" }) {
  const widget = page.getByTestId("card-widget").locator("iframe").contentFrame();
  await widget.getByLabel(labels.field).fill(number);
  await widget.getByRole("button", { name: labels.save }).click();
}

/** Every request the portal page (top frame) sends, with its body: to prove card digits never appear. */
function recordTopFrameTraffic(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (request.frame() === page.mainFrame()) seen.push(`${request.method()} ${request.url()}\n${request.postData() ?? ""}`);
  });
  return seen;
}

function recordStarts(page: Page, payout: CreatedPayout): string[] {
  const starts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === `/api/p/${payout.token}/start`) starts.push(request.postData() ?? "");
  });
  return starts;
}

test("card: the recipient enters a card in the bank's widget, confirms once, and the status moves by itself", async ({ page, operator }) => {
  const payout = await cardRequest(operator);
  const traffic = recordTopFrameTraffic(page);
  const starts = recordStarts(page, payout);

  const response = await page.goto(payout.path);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["cache-control"] ?? "").not.toContain("public");
  await expect(page).toHaveTitle("Получение выплаты · Банк 131");
  await expect(page.locator('meta[name="robots"]').first()).toHaveAttribute("content", /noindex/);
  await expect(page.locator('meta[name="referrer"]').first()).toHaveAttribute("content", "no-referrer");
  await expect(page.getByTestId("payer-line")).toHaveText(/отправляет вам выплату$/);
  await expect(page.getByTestId("payout-amount")).toContainText(formatKopecks(1_250_050));
  await expect(page.getByTestId("recipient-name")).toHaveText("Иванов Иван Иванович");
  await expect(page.getByTestId("payout-purpose")).toHaveText("Выплата по договору № 17 за октябрь");
  await expect(page.getByRole("heading", { name: "Куда перечислить деньги" })).toBeVisible();
  await expect(page.locator(WIDGET_FRAME)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await expectNoSeriousA11yViolations(page, { frame: WIDGET_FRAME });

  await enterCard(page, MIR_SUCCESS);
  // The bank names the card; the recipient checks it against their name and the amount.
  await expect(page.getByTestId("card-label")).toHaveText("МИР •••• 4940");
  await expect(page.getByTestId("confirm-recipient")).toHaveText("Иванов Иван Иванович");
  await expect(page.getByTestId("confirm-amount")).toHaveText(formatKopecks(1_250_050));
  await expect(page.getByRole("heading", { name: "Проверьте данные" })).toBeFocused();
  await expectNoSeriousA11yViolations(page);

  // A double click sends one start.
  await page.getByRole("button", { name: "Всё верно, получить выплату" }).dblclick();
  await expect(page.getByTestId("status-view")).toBeVisible();
  expect(starts).toHaveLength(1);
  expect(JSON.parse(starts[0]!)).toMatchObject({ instrument: { kind: "card_hash" } });

  // The bank's ready_to_confirm webhook moves it on; the page follows without a reload.
  await expect(page.getByTestId("status-title")).toHaveText("Ожидает подтверждения");
  await expect(page).toHaveTitle("Ожидает подтверждения · Банк 131");
  await expect(page.getByTestId("status-instrument")).toHaveText("МИР •••• 4940");
  await expect(page.getByTestId("status-timeline").locator('[aria-current="step"]')).toHaveAttribute("data-step", "approval");
  await expect(page.getByTestId("auto-update")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The payer approves: the recipient sees the money sent, and polling stops.
  await operator.approve(payout.id);
  await expect(page.getByTestId("status-title")).toHaveText("Деньги отправлены");
  await expect(page.getByTestId("status-view")).toHaveAttribute("data-status", "paid");
  await expect(page.getByTestId("auto-update")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // The portal page never saw the card number (only the widget's iframe did).
  expect(traffic.join("\n")).not.toContain(MIR_SUCCESS);
  expect(await page.content()).not.toContain(MIR_SUCCESS);

  // The link is single-use: opening it again shows the status, not the form.
  await page.reload();
  await expect(page.getByTestId("status-title")).toHaveText("Деньги отправлены");
  await expect(page.getByTestId("card-widget")).toHaveCount(0);
});

test("card: 'use another card' renders the widget again with a fresh token", async ({ page, operator }) => {
  const payout = await cardRequest(operator, { amountKopecks: 10_000 });
  await page.goto(payout.path);
  await enterCard(page, "4276000000000017");
  await expect(page.getByTestId("card-label")).toHaveText("Visa •••• 0017");
  await page.getByRole("button", { name: "Указать другую карту" }).click();
  await enterCard(page, MIR_SUCCESS);
  await expect(page.getByTestId("card-label")).toHaveText("МИР •••• 4940");
});

test("bank account: a wrong checksum is shown next to the field and sends nothing; a right one is masked, confirmed and followed", async ({ page, operator }) => {
  const payout = await accountRequest(operator);
  await page.goto(payout.path);
  await expect(page.getByRole("heading", { name: "Реквизиты банковского счёта" })).toBeVisible();

  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });
  const bik = page.getByLabel("БИК банка");
  const account = page.getByLabel("Номер счёта");
  await bik.fill(TEST_BIK);
  await account.fill("40817810500000000132");
  await page.getByRole("button", { name: "Продолжить" }).click();
  await expect(page.getByTestId("account-error")).toHaveText("Номер счёта не соответствует БИК: проверьте счёт и БИК на опечатки.");
  await expect(account).toHaveAttribute("aria-invalid", "true");
  await expect(account).toHaveAccessibleDescription(/Номер счёта не соответствует БИК/);
  await expect(account).toBeFocused();
  await expect(bik).not.toHaveAttribute("aria-invalid", "true");
  expect(posts).toEqual([]);
  await expectNoSeriousA11yViolations(page);

  // A short BIK is explained on the BIK field, on leaving it.
  await bik.fill("04920513");
  await account.focus();
  await expect(page.getByTestId("bik-error")).toHaveText("БИК должен содержать 9 цифр.");
  await bik.fill(TEST_BIK);
  await expect(page.getByTestId("bik-error")).toHaveText("");

  await account.fill(TEST_ACCOUNT);
  await expect(page.getByTestId("account-error")).toHaveText("");
  await page.getByRole("button", { name: "Продолжить" }).click();
  await expect(page.getByTestId("masked-account")).toHaveText("Счёт 40817***0131, БИК 049205131");
  await expect(page.getByTestId("confirm-amount")).toHaveText(formatKopecks(3_000_000));
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Всё верно, получить выплату" }).click();
  await expect(page.getByTestId("status-title")).toHaveText("Ожидает подтверждения");
  await expect(page.getByTestId("status-instrument")).toHaveText("Счёт 40817***0131");
  expect(await page.content()).not.toContain(TEST_ACCOUNT);
});

test("bank account: what is typed before the page's script has loaded is kept, and the form cannot be sent before it", async ({ page, operator }) => {
  const payout = await accountRequest(operator);
  const scripts = await holdScripts(page);
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  await page.goto(payout.path, { waitUntil: "commit" });
  const submit = page.getByRole("button", { name: "Продолжить" });
  await expect(page.getByRole("heading", { name: "Реквизиты банковского счёта" })).toBeVisible();
  await expect(submit).toBeDisabled();
  await page.getByLabel("БИК банка").fill(TEST_BIK);
  await page.getByLabel("Номер счёта").fill("40817810500000000132");
  await page.getByLabel("Номер счёта").press("Enter");
  await expect.poll(() => scripts.held()).toBeGreaterThan(0);

  await scripts.release();
  await expect(submit).toBeEnabled();
  await expect(page.getByLabel("БИК банка")).toHaveValue(TEST_BIK);
  await expect(page.getByLabel("Номер счёта")).toHaveValue("40817810500000000132");
  await submit.click();
  // The checks ran on what was typed before hydration: nothing was submitted by the browser itself.
  await expect(page.getByTestId("account-error")).toHaveText("Номер счёта не соответствует БИК: проверьте счёт и БИК на опечатки.");
  expect(urls.filter((url) => url.includes("40817810500000000132") || url.includes(TEST_BIK))).toEqual([]);
  expect(new URL(page.url()).search).toBe("");
});

test("escrow: a payout from the nominal account goes through the same card flow", async ({ page, operator }) => {
  const payout = await cardRequest(operator, {
    amountKopecks: 4_999_900,
    purpose: "Выплата по сделке № 2024-118",
    sourceAccount: "escrow",
    beneficiaryInn: "7707083893",
    beneficiaryName: "ООО Вектор",
  });
  await page.goto(payout.path);
  await enterCard(page, MIR_SUCCESS);
  await expect(page.getByTestId("card-label")).toHaveText("МИР •••• 4940");
  await page.getByRole("button", { name: "Всё верно, получить выплату" }).click();
  await expect(page.getByTestId("status-title")).toHaveText("Ожидает подтверждения");
});

test("revoked: a revoked link explains itself, and a link revoked while open stops the flow without losing anything", async ({ page, operator }) => {
  const revoked = await cardRequest(operator);
  await operator.revoke(revoked.id);
  await page.goto(revoked.path);
  await expect(page.getByTestId("link-state-title")).toHaveText("Ссылка отозвана");
  await expect(page.getByTestId("link-state-body")).toContainText("свяжитесь с");
  await expect(page).toHaveTitle("Ссылка отозвана · Банк 131");
  await expect(page.getByTestId("card-widget")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  const start = await page.request.post(`/api/p/${revoked.token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: "a".repeat(64) } }));
  expect(start.status()).toBe(410);

  // Open first, then the payer revokes: the next step tells the recipient why it cannot go on.
  const open = await cardRequest(operator);
  await page.goto(open.path);
  await expect(page.getByTestId("card-widget").locator("iframe")).toBeVisible();
  await operator.revoke(open.id);
  await enterCard(page, MIR_SUCCESS);
  await expect(page.getByTestId("link-state-title")).toHaveText("Ссылка отозвана");
  await expect(page.getByTestId("link-state-title")).toBeFocused();
});

test("expired: the page shows the expired state when the link's time runs out while it is open", async ({ page, operator }) => {
  // No product path expires a link inside an e2e run (the TTL is fixed for the stack), so this checks the
  // page's rendering of an expired link with the status answer stubbed; the server-rendered case needs a
  // link past its TTL.
  const payout = await cardRequest(operator);
  await page.goto(payout.path);
  await expect(page.getByTestId("card-widget").locator("iframe")).toBeVisible();
  const view = (await (await page.request.get(`/api/p/${payout.token}`)).json()) as Record<string, unknown>;
  await page.route(`**/api/p/${payout.token}`, (route) => route.fulfill({ json: { ...view, linkState: "expired" } }));
  // The tab comes back to the foreground: the view is fetched again.
  await expect(async () => {
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
    await expect(page.getByTestId("link-state-title")).toHaveText("Срок действия ссылки истёк", { timeout: 1_000 });
  }).toPass();
  await expect(page.getByTestId("link-state-body")).toContainText("прислать новую ссылку");
  await expect(page).toHaveTitle("Срок действия ссылки истёк · Банк 131");
  await expectNoSeriousA11yViolations(page);
});

test("unknown link: a proper 404 page for the recipient", async ({ page }) => {
  const response = await page.goto(`/p/${"N".repeat(43)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("link-state-title")).toHaveText("Ссылка не найдена");
  await expect(page).toHaveTitle("Ссылка не найдена · Банк 131");
  await expect(page.locator('meta[name="robots"]').first()).toHaveAttribute("content", /noindex/);
  await expectNoSeriousA11yViolations(page);

  const malformed = await page.goto("/p/not-a-token");
  expect(malformed?.status()).toBe(404);
  await expect(page.getByTestId("link-state-title")).toHaveText("Ссылка не найдена");
});

test.describe("language", () => {
  test("an English browser gets English; the RU/EN switch changes it and is remembered", async ({ browser, operator }) => {
    const payout = await cardRequest(operator);
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto(payout.path);
    await expect(page).toHaveTitle("Receive your payout · Bank 131");
    await expect(page.getByRole("heading", { name: "Where to send the money" })).toBeVisible();
    await expect(page.getByTestId("payer-line")).toHaveText(/is sending you a payout$/);
    await expect(page.locator(WIDGET_FRAME)).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await expectNoSeriousA11yViolations(page, { frame: WIDGET_FRAME });
    // The widget speaks the page's language too.
    await enterCard(page, MIR_SUCCESS, { field: "Card number", save: "Save card" });
    await expect(page.getByTestId("card-label")).toHaveText("Mir •••• 4940");
    await expect(page.getByRole("button", { name: "Confirm and receive" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Switch to Russian: the checked card stays, the texts change.
    await page.getByRole("button", { name: /Русский/ }).click();
    await expect(page.getByRole("button", { name: "Всё верно, получить выплату" })).toBeVisible();
    await expect(page.getByTestId("card-label")).toHaveText("МИР •••• 4940");
    await expect(page.getByRole("button", { name: /Русский/ })).toHaveAttribute("aria-pressed", "true");
    await expect(page).toHaveTitle("Получение выплаты · Банк 131");
    await context.close();
  });

  test("a Russian browser switches to English, and the choice survives a reload", async ({ page, operator }) => {
    const payout = await cardRequest(operator);
    await page.goto(payout.path);
    await expect(page.getByRole("heading", { name: "Куда перечислить деньги" })).toBeVisible();
    await page.getByRole("button", { name: /English/ }).click();
    await expect(page.getByRole("heading", { name: "Where to send the money" })).toBeVisible();
    await expect(page.getByTestId("payer-line")).toHaveText(/is sending you a payout$/);
    await expect(page.getByTestId("card-widget").locator("iframe").contentFrame().getByLabel("Card number")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("heading", { name: "Where to send the money" })).toBeVisible();
    await expect(page.getByRole("button", { name: /English/ })).toHaveAttribute("aria-pressed", "true");
  });
});

test("a phone's first load: the page's own stylesheet only, no web font, and nothing jumps when the bank's form arrives", async ({ page, operator }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const payout = await cardRequest(operator);
  const stylesheets: string[] = [];
  const fonts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "stylesheet" && request.frame() === page.mainFrame()) stylesheets.push(request.url());
    if (request.resourceType() === "font" && request.frame() === page.mainFrame()) fonts.push(request.url());
  });
  await page.goto(payout.path);
  const frame = page.locator(WIDGET_FRAME);
  await expect(frame).toBeVisible();
  await expect(page.getByTestId("card-widget-loading")).toHaveCount(0);
  // The bank's frame has reported its size: the iframe is as tall as the form inside it.
  const formHeight = await frame.contentFrame().locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
  await expect.poll(() => frame.evaluate((iframe) => iframe.getBoundingClientRect().height)).toBe(formHeight);

  // Every layout shift since navigation (the buffered ones are in the observer's queue at once).
  const shifts = await page.evaluate(() => {
    const observer = new PerformanceObserver(() => undefined);
    observer.observe({ type: "layout-shift", buffered: true });
    const entries = observer.takeRecords() as Array<PerformanceEntry & { value: number }>;
    observer.disconnect();
    return entries.map((entry) => entry.value);
  });
  expect(shifts, "layout shifts while the page and the bank's form loaded").toEqual([]);

  expect(fonts).toEqual([]);
  expect(stylesheets).toHaveLength(1);
  // The recipient's own classes only: about half of the operator pages' stylesheet (46 KB).
  const css = await (await page.request.get(stylesheets[0]!)).text();
  expect(css.length).toBeLessThan(30_000);
});

test("works at 360×740: no sideways scrolling, the whole card flow fits", async ({ page, operator }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const payout = await cardRequest(operator, { recipientName: "Константинопольский Александр Вячеславович" });
  await page.goto(payout.path);
  await expect(page.getByTestId("card-widget").locator("iframe")).toBeVisible();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await enterCard(page, MIR_SUCCESS);
  const confirm = page.getByRole("button", { name: "Всё верно, получить выплату" });
  await confirm.scrollIntoViewIfNeeded();
  await expect(confirm).toBeInViewport();
  expect(await overflow()).toBeLessThanOrEqual(0);
  // Keyboard: the confirm button is reachable and works with Enter.
  await confirm.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("status-title")).toHaveText("Ожидает подтверждения");
  expect(await overflow()).toBeLessThanOrEqual(0);
});
