import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { seededOperator, signedInContext } from "./helpers/sign-in";
import { E2E_PORTAL_URL, E2E_SANDBOX_URL } from "./urls";

/**
 * Claims, live: the approver takes a payout into work and the admin's open page (and dashboard
 * queue) shows who holds it without a reload; the admin cannot decide meanwhile (disabled buttons,
 * and the server refuses with the Russian sentence), breaks the claim with a reason, and then can.
 * The payout comes from the partner API, so neither operator is its maker.
 */

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
test.describe.configure({ timeout: 120_000 });

const CARD = "2200240000014940";
// Cookie-authenticated writes from outside a page say where they come from (the portal's CSRF rule).
const SAME_ORIGIN = { origin: E2E_PORTAL_URL, "content-type": "application/json" };

/** A payout request from the partner API whose recipient submitted a card: the bank waits for a decision. */
async function partnerPayoutAwaitingApproval(admin: BrowserContext, recipient: APIRequestContext): Promise<{ id: string; number: string }> {
  const issued = await admin.request.post("/api/admin/api-keys", { headers: SAME_ORIGIN, data: { name: `e2e claims ${randomUUID().slice(0, 8)}` } });
  expect(issued.status(), await issued.text()).toBe(201);
  const { key } = (await issued.json()) as { key: string };
  const created = await recipient.post("/api/v1/payout-requests", {
    headers: { authorization: `Bearer ${key}`, "idempotency-key": randomUUID(), "content-type": "application/json" },
    data: { amount_kopecks: 480_000, recipient_name: "Соколова Мария", purpose: "Выплата по договору № 88", method: "card_widget" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const payout = (await created.json()) as { id: string; number: string; recipient_link: string };
  const token = new URL(payout.recipient_link).pathname.split("/").pop()!;
  const hashed = await recipient.post(`${E2E_SANDBOX_URL}/sandbox/cards`, { data: { number: CARD } });
  expect(hashed.status(), await hashed.text()).toBe(200);
  const { number_hash } = (await hashed.json()) as { number_hash: string };
  const started = await recipient.post(`/api/p/${token}/start`, { headers: SAME_ORIGIN, data: { instrument: { kind: "card_hash", numberHash: number_hash } } });
  expect(started.status(), await started.text()).toBe(200);
  return { id: payout.id, number: payout.number };
}

async function openLive(context: BrowserContext, path: string, ready: string): Promise<Page> {
  const page = await context.newPage();
  expect((await page.goto(path))?.status()).toBe(200);
  // The visible one: a CI run once caught the dashboard with a second, hidden copy of its summary for a
  // moment while it loaded, and a strict locator fails at once on two matches.
  await expect(page.getByTestId(ready).filter({ visible: true })).toBeVisible();
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live");
  return page;
}

test("a claim by the approver is seen live by the admin, who cannot decide until they break it", async ({ browser, playwright, baseURL }) => {
  const approver = await signedInContext(browser, "approver");
  const admin = await signedInContext(browser, "admin");
  const recipient = await playwright.request.newContext({ baseURL });
  try {
    const payout = await partnerPayoutAwaitingApproval(admin, recipient);
    const approverPage = await openLive(approver, `/dashboard/payouts/${payout.id}`, "payout-detail");
    const adminPage = await openLive(admin, `/dashboard/payouts/${payout.id}`, "payout-detail");
    const adminDashboard = await openLive(admin, "/dashboard", "sessions-summary");
    for (const page of [approverPage, adminPage]) await expect(page.getByTestId("payout-status")).toHaveText("Ждёт согласования");
    await expect(adminPage.getByTestId("claim-status")).toHaveText("Никто не взял выплату в работу");
    await expect(adminPage.getByTestId("approve-button")).toBeEnabled();
    const queueRow = adminDashboard.locator(`[data-testid="approval-queue-row"][data-payout-id="${payout.id}"]`);
    await expect(queueRow.getByTestId("approval-queue-claim")).toHaveText("никто не взял в работу");
    // The bank gives four hours to decide: not yet among the urgent ones.
    await expect(queueRow).toHaveAttribute("data-urgent", "false");

    // The approver takes it into work.
    await approverPage.getByTestId("claim-take").click();
    await expect(approverPage.getByTestId("claim-status")).toHaveText(/^В работе у вас до \d{2}:\d{2} МСК$/);
    await expect(approverPage.getByTestId("claim-take")).toHaveText("Продлить");

    // The admin's open pages follow without a reload.
    const holder = seededOperator("approver").name;
    await expect(adminPage.getByTestId("claim-status")).toHaveText(new RegExp(`^В работе: ${holder}, до \\d{2}:\\d{2} МСК$`));
    await expect(adminPage.getByTestId("approve-button")).toBeDisabled();
    await expect(adminPage.getByTestId("cancel-button")).toBeDisabled();
    await expect(adminPage.getByTestId("decision-claimed")).toHaveText(
      new RegExp(`^Выплата в работе у другого оператора: ${holder}, до \\d{2}:\\d{2} МСК\\. До этого времени решение за ним; снять захват может администратор\\.$`),
    );
    await expect(queueRow.getByTestId("approval-queue-claim")).toHaveText(new RegExp(`^В работе: ${holder}, до \\d{2}:\\d{2} МСК$`));
    await expectNoSeriousA11yViolations(adminPage);
    await expectNoSeriousA11yViolations(adminDashboard);

    // Going around the disabled button: the server refuses, worded in Russian from the catalogue.
    const refused = await admin.request.post(`/api/payouts/${payout.id}/confirm`, { headers: SAME_ORIGIN, data: {} });
    expect(refused.status()).toBe(409);
    const { error } = (await refused.json()) as { error: { code: string; params: { by: string; until: string } } };
    expect(error).toMatchObject({ code: "claimed_by_other", params: { by: holder } });
    expect(Date.parse(error.params.until)).toBeGreaterThan(Date.now());

    // The admin breaks the claim with a reason; both pages see it free again.
    await adminPage.getByTestId("claim-break").click();
    await adminPage.getByLabel("Причина").fill("Согласующий ушёл, срок банка близко");
    await adminPage.getByTestId("claim-break-submit").click();
    await expect(adminPage.getByTestId("claim-status")).toHaveText("Никто не взял выплату в работу");
    await expect(approverPage.getByTestId("claim-status")).toHaveText("Никто не взял выплату в работу");
    await expect(approverPage.getByTestId("claim-take")).toHaveText("Взять в работу");
    await expect(adminPage.getByTestId("decision-claimed")).toHaveCount(0);
    await expect(adminPage.getByTestId("payout-detail")).toContainText("снят администратором: «Согласующий ушёл, срок банка близко»");

    // Now the admin decides.
    await expect(adminPage.getByTestId("approve-button")).toBeEnabled();
    await adminPage.getByTestId("approve-button").click();
    await expect(adminPage.getByTestId("payout-status")).toHaveText("Выплачена", { timeout: 30_000 });
    await expect(approverPage.getByTestId("payout-status")).toHaveText("Выплачена", { timeout: 30_000 });
    await expect(queueRow).toHaveCount(0);
  } finally {
    await recipient.dispose();
    await approver.close();
    await admin.close();
  }
});

test("claim routes: viewers cannot claim, only admins break (with a reason), only the holder releases", async ({ browser, playwright, baseURL }) => {
  const viewer = await signedInContext(browser, "viewer");
  const approver = await signedInContext(browser, "approver");
  const admin = await signedInContext(browser, "admin");
  const recipient = await playwright.request.newContext({ baseURL });
  try {
    const payout = await partnerPayoutAwaitingApproval(admin, recipient);
    await expect.poll(async () => ((await (await approver.request.get(`/api/payouts/${payout.id}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("awaiting_approval");
    const post = (context: BrowserContext, path: string, data: unknown = {}) => context.request.post(`/api/payouts/${payout.id}/${path}`, { headers: SAME_ORIGIN, data });
    const errorOf = async (response: Awaited<ReturnType<typeof post>>) => ((await response.json()) as { error: { code: string; field?: string } }).error;

    const byViewer = await post(viewer, "claim");
    expect(byViewer.status()).toBe(403);
    expect(await errorOf(byViewer)).toMatchObject({ code: "forbidden" });

    const taken = await post(approver, "claim");
    expect(taken.status(), await taken.text()).toBe(200);
    expect(await taken.json()).toMatchObject({ claim: { holderName: seededOperator("approver").name } });

    const releasedByOther = await post(admin, "claim/release");
    expect(releasedByOther.status()).toBe(409);
    expect(await errorOf(releasedByOther)).toMatchObject({ code: "claim_not_held" });
    const brokenByApprover = await post(approver, "claim/break", { reason: "Хочу сам" });
    expect(brokenByApprover.status()).toBe(403);
    const noReason = await post(admin, "claim/break", { reason: "" });
    expect(noReason.status()).toBe(400);
    expect(await errorOf(noReason)).toMatchObject({ code: "invalid_request", field: "reason" });

    const broken = await post(admin, "claim/break", { reason: "Проверка прав" });
    expect(broken.status(), await broken.text()).toBe(200);
    const releasedAfterBreak = await post(approver, "claim/release");
    expect(releasedAfterBreak.status()).toBe(409);
    expect(await errorOf(releasedAfterBreak)).toMatchObject({ code: "claim_not_held" });
    expect((await approver.request.post("/api/payouts/not-a-uuid/claim", { headers: SAME_ORIGIN, data: {} })).status()).toBe(400);
  } finally {
    await recipient.dispose();
    await Promise.all([viewer.close(), approver.close(), admin.close()]);
  }
});
