import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { OperatorRole } from "../../lib/generated/prisma/enums";
import { secondApprover, signInThroughForm } from "./helpers/sign-in";
import { E2E_SANDBOX_URL } from "./urls";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { sameOrigin } from "./helpers/same-origin";

/**
 * The operator's side of a payout: the detail page follows the payout live (no reloads) while the
 * recipient submits a card and the bank answers, and approvers decide — approve (session/confirm)
 * or cancel with a reason (session/cancel) — exactly once, whoever clicks and however often.
 */

const CARDS = { success: "2200240000014940", declined: "4111110000030002" } as const;

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
test.describe.configure({ timeout: 90_000 });

/** A browser context signed in through the login form as the seeded operator of `role` (or these credentials). */
async function signedIn(browser: Browser, who: OperatorRole | { email: string; password: string }): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const page = await context.newPage();
  await signInThroughForm(page, who);
  await page.close();
  return context;
}

interface Created {
  id: string;
  number: number;
  token: string;
}

async function createPayout(api: APIRequestContext, overrides: Record<string, unknown> = {}): Promise<Created> {
  const response = await api.post(
    "/api/payouts",
    sameOrigin({ amountKopecks: 1_250_050, recipientName: "Иванов Иван Иванович", purpose: "Выплата по договору № 17 за октябрь", method: "card_widget", ...overrides }),
  );
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { id: string; number: number; link: { url: string } };
  return { id: body.id, number: body.number, token: new URL(body.link.url).pathname.split("/").pop()! };
}

/** The recipient's side without the widget UI: the sandbox hashes the card, the link starts the payout. */
async function recipientSubmitsCard(recipient: APIRequestContext, token: string, number: string): Promise<void> {
  const hashed = await recipient.post(`${E2E_SANDBOX_URL}/sandbox/cards`, { data: { number } });
  expect(hashed.status(), await hashed.text()).toBe(200);
  const { number_hash } = (await hashed.json()) as { number_hash: string };
  const started = await recipient.post(`/api/p/${token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: number_hash } }));
  expect(started.status(), await started.text()).toBe(200);
}

async function openDetail(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  const response = await page.goto(`/dashboard/payouts/${id}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("payout-detail")).toBeVisible();
  // Live updates flow only once the event stream is connected.
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live");
  return page;
}

const status = (page: Page) => page.getByTestId("payout-status");

/**
 * The seeded second approver creates the payout (maker ≠ checker: whoever approves in these tests did
 * not create it); the detail page opens in `context`, the recipient submits a card, and the page
 * turns to awaiting approval live (no reload).
 */
async function awaitingApproval(context: BrowserContext, recipient: APIRequestContext, card: string = CARDS.success) {
  const payout = await createPayout(maker.request);
  const page = await openDetail(context, payout.id);
  await expect(status(page)).toHaveText("Ждёт получателя");
  await recipientSubmitsCard(recipient, payout.token, card);
  await expect(status(page)).toHaveText("Ждёт согласования");
  return { payout, page };
}

let maker: BrowserContext;
test.beforeAll(async ({ browser }) => {
  maker = await signedIn(browser, secondApprover);
});
test.afterAll(async () => {
  await maker.close();
});

let recipient: APIRequestContext;
test.beforeEach(async ({ playwright, baseURL }) => {
  recipient = await playwright.request.newContext({ baseURL });
});
test.afterEach(async () => {
  await recipient.dispose();
});

test("approve: the open page turns 'Ждёт согласования' by itself, the approver confirms, it ends 'Выплачена'", async ({ browser }) => {
  const approver = await signedIn(browser, "approver");
  const { payout, page } = await awaitingApproval(approver, recipient);
  const reloads: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) reloads.push(frame.url());
  });

  await expect(page.getByTestId("payout-reference")).toHaveText(`PR-${String(payout.number).padStart(6, "0")}`);
  await expect(page.getByTestId("payout-amount")).toHaveText("12 500,50 ₽");
  await expect(page.getByTestId("payout-instrument")).toHaveText("МИР •••• 4940");
  await expect(page.getByTestId("deadline-text")).toHaveText(/^осталось [34] ч \d+ мин$/);
  await expect(page.getByTestId("bank-session-id")).toHaveText(/^ps_/);
  const approve = page.getByRole("button", { name: "Подтвердить выплату" });
  await expect(approve).toBeEnabled();
  await expectNoSeriousA11yViolations(page);

  await approve.click();
  await expect(status(page)).toHaveText("Выплачена");
  // Decided for good: no buttons left to press.
  await expect(approve).toHaveCount(0);
  expect(reloads).toEqual([]);

  const view = await recipient.get(`/api/p/${payout.token}`);
  expect(await view.json()).toMatchObject({ status: "paid" });

  // The timeline has every source, each with its raw data one click away.
  const timeline = page.getByTestId("timeline");
  await expect(timeline.locator('[data-kind="bank_call"]').filter({ hasText: "session/confirm" })).toHaveCount(1);
  const finished = timeline.locator('[data-kind="webhook"]').filter({ hasText: "payment_finished" });
  await expect(finished).toHaveCount(1);
  await expect(finished.getByTestId("timeline-verdict")).toHaveText("верна");
  await finished.getByText("Тело вебхука (как получено)").click();
  await expect(finished.getByTestId("timeline-raw-body").locator("pre")).toContainText('"payment_finished"');
  await expectNoSeriousA11yViolations(page);
  await approver.close();
});

test("cancel: a reason is required, then the payout ends 'Отменена'", async ({ browser }) => {
  const approver = await signedIn(browser, "approver");
  const { payout, page } = await awaitingApproval(approver, recipient);
  const cancels: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith(`/api/payouts/${payout.id}/cancel`)) cancels.push(request.postData() ?? "");
  });

  await page.getByRole("button", { name: "Отменить", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: /Отменить выплату PR-/ });
  await expect(dialog).toBeVisible();
  const submit = dialog.getByRole("button", { name: "Отменить выплату" });
  await submit.click();
  await expect(dialog.getByTestId("cancel-reason-error")).toHaveText("Укажите причину отмены.");
  await expect(dialog.getByLabel("Причина отмены")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByLabel("Причина отмены").fill("  ab ");
  await submit.click();
  await expect(dialog.getByTestId("cancel-reason-error")).toContainText("не меньше 3 символов");
  expect(cancels).toEqual([]);

  await dialog.getByLabel("Причина отмены").fill("Получатель сообщил о неверных реквизитах");
  await submit.click();
  await expect(dialog).toBeHidden();
  await expect(status(page)).toHaveText("Отменена");
  expect(cancels).toHaveLength(1);
  expect(JSON.parse(cancels[0]!)).toEqual({ reason: "Получатель сообщил о неверных реквизитах" });
  await expect(page.getByTestId("timeline")).toContainText("Выплата отменена: «Получатель сообщил о неверных реквизитах»");
  expect(await (await recipient.get(`/api/p/${payout.token}`)).json()).toMatchObject({ status: "cancelled" });
  await approver.close();
});

test("a declined card ends 'Отклонена' with the bank's reason in Russian", async ({ browser }) => {
  const approver = await signedIn(browser, "approver");
  const { page } = await awaitingApproval(approver, recipient, CARDS.declined);
  await page.getByRole("button", { name: "Подтвердить выплату" }).click();
  await expect(status(page)).toHaveText("Отклонена");
  await expect(page.getByTestId("payout-failure-message")).toHaveText("Банк получателя отклонил операцию.");
  await expect(page.getByTestId("bank-payout-error")).toContainText("Банк получателя отклонил операцию.");
  await expectNoSeriousA11yViolations(page);
  await approver.close();
});

test("a viewer sees the payout but no decision buttons, and the API refuses a viewer's approve", async ({ browser }) => {
  const approver = await signedIn(browser, "approver");
  const viewer = await signedIn(browser, "viewer");
  const { payout } = await awaitingApproval(approver, recipient);

  const page = await openDetail(viewer, payout.id);
  await expect(status(page)).toHaveText("Ждёт согласования");
  await expect(page.getByTestId("deadline-text")).toHaveText(/^осталось/);
  await expect(page.getByRole("button", { name: "Подтвердить выплату" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Отменить", exact: true })).toHaveCount(0);
  await expect(page.getByTestId("decision-readonly")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const refused = await viewer.request.post(`/api/payouts/${payout.id}/confirm`, sameOrigin());
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
  await approver.close();
  await viewer.close();
});

test("two approvers click approve at the same moment: one confirm reaches the bank, the other sees 'Уже обработано'", async ({ browser }) => {
  const first = await signedIn(browser, "approver");
  const second = await signedIn(browser, "admin");
  const { payout, page: pageA } = await awaitingApproval(first, recipient);
  const pageB = await openDetail(second, payout.id);
  await expect(status(pageB)).toHaveText("Ждёт согласования");
  const session = (await pageB.getByTestId("bank-session-id").textContent())!.trim();

  const approveA = pageA.getByRole("button", { name: "Подтвердить выплату" });
  const approveB = pageB.getByRole("button", { name: "Подтвердить выплату" });
  await Promise.all([approveA.click(), approveB.click()]);

  await expect(status(pageA)).toHaveText("Выплачена");
  await expect(status(pageB)).toHaveText("Выплачена");
  const messages = await Promise.all([pageA, pageB].map((page) => page.getByTestId("decision-message").allTextContents()));
  const losers = messages.filter((texts) => texts.some((text) => text.includes("Уже обработано другим оператором")));
  expect(losers).toHaveLength(1);

  const log = await recipient.get(`${E2E_SANDBOX_URL}/sandbox/requests?method=session/confirm&limit=500`);
  const { requests } = (await log.json()) as { requests: Array<{ body?: { session_id?: string } }> };
  expect(requests.filter((entry) => entry.body?.session_id === session)).toHaveLength(1);
  await first.close();
  await second.close();
});
