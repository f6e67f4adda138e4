import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEV_OPERATORS } from "../../lib/auth/seed";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { sameOrigin } from "./helpers/same-origin";
import { secondApprover, seededOperator, signInThroughForm } from "./helpers/sign-in";
import { E2E_SANDBOX_URL } from "./urls";

/**
 * Approval governance as operators meet it: whoever created a payout cannot approve it (another
 * approver can), and a payout at or above the two-approver threshold (100 000 ₽ by default) needs two
 * distinct approvers — the first approval shows as "1 из 2 одобрений" with who, when and the short
 * fingerprint, and only the second sends `session/confirm`, exactly once.
 */

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
test.describe.configure({ timeout: 120_000 });

const approverA = seededOperator("approver");
const approverB = secondApprover;
const MIR = "2200240000014940";

async function signedIn(browser: Browser, who: { email: string; password: string }): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const page = await context.newPage();
  await signInThroughForm(page, who);
  await page.close();
  return context;
}

async function createPayout(api: APIRequestContext, amountKopecks: number): Promise<{ id: string; token: string }> {
  const response = await api.post(
    "/api/payouts",
    sameOrigin({ amountKopecks, recipientName: "Сидорова Мария Павловна", purpose: "Вознаграждение по договору № 131", method: "card_widget" }),
  );
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { id: string; link: { url: string } };
  return { id: body.id, token: new URL(body.link.url).pathname.split("/").pop()! };
}

async function recipientSubmitsCard(recipient: APIRequestContext, token: string): Promise<void> {
  const hashed = await recipient.post(`${E2E_SANDBOX_URL}/sandbox/cards`, { data: { number: MIR } });
  const { number_hash } = (await hashed.json()) as { number_hash: string };
  const started = await recipient.post(`/api/p/${token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: number_hash } }));
  expect(started.status(), await started.text()).toBe(200);
}

async function openDetail(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/dashboard/payouts/${id}`);
  await expect(page.getByTestId("payout-detail")).toBeVisible();
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live");
  return page;
}

async function confirmsSentFor(recipient: APIRequestContext, page: Page): Promise<number> {
  const session = (await page.getByTestId("bank-session-id").textContent())!.trim();
  const log = await recipient.get(`${E2E_SANDBOX_URL}/sandbox/requests?method=session/confirm&limit=500`);
  const { requests } = (await log.json()) as { requests: Array<{ body?: { session_id?: string } }> };
  return requests.filter((entry) => entry.body?.session_id === session).length;
}

const status = (page: Page) => page.getByTestId("payout-status");

let a: BrowserContext;
let b: BrowserContext;
let recipient: APIRequestContext;
test.beforeAll(async ({ browser, playwright, baseURL }) => {
  a = await signedIn(browser, approverA);
  b = await signedIn(browser, approverB);
  recipient = await playwright.request.newContext({ baseURL });
});
test.afterAll(async () => {
  await a.close();
  await b.close();
  await recipient.dispose();
});

test("maker ≠ checker: approver A creates a payout and cannot approve it (said in Russian); approver B approves it", async () => {
  const payout = await createPayout(a.request, 2_500_000);
  const pageA = await openDetail(a, payout.id);
  await recipientSubmitsCard(recipient, payout.token);
  await expect(status(pageA)).toHaveText("Ждёт согласования");

  await pageA.getByRole("button", { name: "Подтвердить выплату" }).click();
  await expect(pageA.getByTestId("decision-message")).toHaveText(
    "Вы создали эту выплату и не можете её одобрить: одобрить должен другой согласующий (принцип четырёх глаз).",
  );
  await expect(status(pageA)).toHaveText("Ждёт согласования");
  expect(await confirmsSentFor(recipient, pageA)).toBe(0);
  await expectNoSeriousA11yViolations(pageA);

  const pageB = await openDetail(b, payout.id);
  await pageB.getByRole("button", { name: "Подтвердить выплату" }).click();
  await expect(status(pageB)).toHaveText("Выплачена");
  await expect(status(pageA)).toHaveText("Выплачена");
  await expect(pageB.getByTestId("approval")).toHaveCount(1);
  await expect(pageB.getByTestId("approval")).toContainText(`Одобрил: ${DEV_OPERATORS.find((operator) => operator.email === approverB.email)!.name}`);
  expect(await confirmsSentFor(recipient, pageB)).toBe(1);
});

test("above the threshold both A and B must approve: the first is recorded as 1 of 2, only the second sends one session/confirm", async ({ browser }) => {
  const admin = await signedIn(browser, seededOperator("admin"));
  const payout = await createPayout(admin.request, 15_000_000); // 150 000 ₽
  const pageA = await openDetail(a, payout.id);
  const pageB = await openDetail(b, payout.id);
  await recipientSubmitsCard(recipient, payout.token);
  await expect(status(pageA)).toHaveText("Ждёт согласования");
  await expect(pageA.getByTestId("approval-progress")).toContainText("0 из 2 одобрений");
  await expect(pageA.getByTestId("deadline-text")).toHaveText(/^осталось/);

  await pageA.getByRole("button", { name: "Одобрить (первое из двух)" }).click();
  await expect(pageA.getByTestId("decision-message")).toContainText("Ваше одобрение записано: 1 из 2 одобрений");
  await expect(pageA.getByTestId("approval-progress")).toContainText("1 из 2 одобрений");
  const first = pageA.getByTestId("approval");
  await expect(first).toContainText(`Одобрил: ${approverA.name}`);
  await expect(first.getByTestId("approval-fingerprint")).toHaveText(/^[0-9A-F]{4} [0-9A-F]{4}$/);
  await expect(status(pageA)).toHaveText("Ждёт согласования");
  // The bank's deadline still applies and is still shown.
  await expect(pageA.getByTestId("deadline-text")).toHaveText(/^осталось/);
  expect(await confirmsSentFor(recipient, pageA)).toBe(0);
  await expectNoSeriousA11yViolations(pageA);

  // B's open page learns of A's approval live; A cannot give the second approval.
  await expect(pageB.getByTestId("approval-progress")).toContainText("1 из 2 одобрений");
  const again = await a.request.post(`/api/payouts/${payout.id}/confirm`, sameOrigin());
  expect(await again.json()).toMatchObject({ error: { code: "already_approved" } });

  await pageB.getByRole("button", { name: "Подтвердить выплату" }).click();
  await expect(status(pageB)).toHaveText("Выплачена");
  await expect(pageB.getByTestId("approval-progress")).toContainText("2 из 2 одобрений");
  const approvals = pageB.getByTestId("approval");
  await expect(approvals).toHaveCount(2);
  const prints = await approvals.getByTestId("approval-fingerprint").allTextContents();
  expect(prints[0]).toBe(prints[1]);
  expect(await confirmsSentFor(recipient, pageB)).toBe(1);
  await admin.close();
});

test("an admin sets an approver's per-payout limit on the operators page; that approver's approval above it is refused, naming the limit", async ({ browser }) => {
  const admin = await signedIn(browser, seededOperator("admin"));
  const adminPage = await admin.newPage();
  const clearLimits = async () => {
    const operators = (await (await admin.request.get("/api/admin/operators")).json()) as { operators: Array<{ id: string; email: string }> };
    const target = operators.operators.find((operator) => operator.email === approverB.email)!;
    const origin = new URL(adminPage.url()).origin;
    const cleared = await admin.request.post(`/api/admin/operators/${target.id}`, { data: { limits: { dailyKopecks: null, payoutKopecks: null } }, headers: { origin } });
    expect(cleared.status(), await cleared.text()).toBe(200);
  };
  try {
    await adminPage.goto("/dashboard/operators");
    const form = adminPage.getByTestId("limits-form").and(adminPage.locator(`[data-email="${approverB.email}"]`));
    const perPayout = form.getByLabel(`Лимит на одну выплату: ${approverB.email}`);
    await perPayout.fill("10 тысяч");
    await form.getByRole("button", { name: `Сохранить лимиты ${approverB.email}` }).click();
    await expect(perPayout).toHaveAttribute("aria-invalid", "true");
    await perPayout.fill("10 000");
    await form.getByRole("button", { name: `Сохранить лимиты ${approverB.email}` }).click();
    await expect(form.getByRole("status")).toHaveText(/^Лимиты сохранены: в сутки — без лимита, на выплату — 10\s000,00\s₽\.$/);
    await expectNoSeriousA11yViolations(adminPage);

    const payout = await createPayout(a.request, 2_500_000); // 25 000 ₽
    const pageB = await openDetail(b, payout.id);
    await recipientSubmitsCard(recipient, payout.token);
    await expect(status(pageB)).toHaveText("Ждёт согласования");
    await pageB.getByRole("button", { name: "Подтвердить выплату" }).click();
    await expect(pageB.getByTestId("decision-message")).toHaveText(
      /^Сумма выплаты \(25\s000,00\s₽\) больше вашего лимита на одну выплату \(10\s000,00\s₽\)\. Её должен одобрить другой согласующий\.$/,
    );
    await expect(status(pageB)).toHaveText("Ждёт согласования");
  } finally {
    await clearLimits();
    await admin.close();
  }
});
