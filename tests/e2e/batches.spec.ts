import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { formatKopecks } from "../../lib/money";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";
import { sameOrigin } from "./helpers/same-origin";
import { secondApprover, seededOperator, signInThroughForm } from "./helpers/sign-in";
import { E2E_SANDBOX_URL } from "./urls";

/**
 * Bulk payouts as operators meet them: a 50-row file with 3 bad rows previews exactly those errors;
 * typing the total creates the 47 good ones, which appear live on the batch page; a second approver
 * approves the batch in one action and each payout goes to the bank exactly once; the partner's
 * backend (a real HTTP receiver registered by an admin) gets a signed `payout.paid` for each of them,
 * once per event, and `batch.completed`.
 */

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
test.describe.configure({ timeout: 240_000 });

const MIR = "2200240000014940";
const BAD_LINES = { 10: "amount", 20: "recipient", 30: "method" } as const;

async function signedIn(browser: Browser, who: { email: string; password: string }): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const page = await context.newPage();
  await signInThroughForm(page, who);
  await page.close();
  return context;
}

let maker: BrowserContext;
let checker: BrowserContext;
let admin: BrowserContext;
let receiver: WebhookReceiver;
test.beforeAll(async ({ browser }) => {
  maker = await signedIn(browser, seededOperator("approver"));
  checker = await signedIn(browser, secondApprover);
  admin = await signedIn(browser, seededOperator("admin"));
  receiver = await startWebhookReceiver({ path: "/partner-batch-hooks" });
});
test.afterAll(async () => {
  await maker.close();
  await checker.close();
  await admin.close();
  await receiver.close();
});

test("upload 50 rows with 3 bad ones → exactly those errors; typed total → 47 requests live; a second approver approves the batch → each confirmed at the bank once", async () => {
  // The partner's backend listens for paid payouts and finished batches.
  const registered = await admin.request.post("/api/admin/partner-webhooks", sameOrigin({ url: receiver.url, event_types: ["payout.paid", "batch.completed"] }));
  expect(registered.status(), await registered.text()).toBe(201);
  const { secret } = (await registered.json()) as { secret: string };

  const hashed = await maker.request.post(`${E2E_SANDBOX_URL}/sandbox/cards`, { data: { number: MIR } });
  const { number_hash } = (await hashed.json()) as { number_hash: string };
  const run = Date.now().toString(36);
  let totalKopecks = 0;
  const lines = ["Сумма;ФИО получателя;Email;Назначение;Референс;Способ выплаты;Сохранённая карта"];
  for (let line = 1; line <= 50; line++) {
    const kopecks = 10_000 + line * 101;
    const amount = formatKopecks(kopecks).replace(/\s?₽$/, "");
    const bad = BAD_LINES[line as keyof typeof BAD_LINES];
    if (!bad) totalKopecks += kopecks;
    lines.push(
      [
        bad === "amount" ? "сто рублей" : amount,
        bad === "recipient" ? "Иван" : "Иванов Иван Иванович",
        "",
        "Оплата услуг курьера",
        `${run}-${line}`,
        bad === "method" ? "telegram" : "card_saved",
        number_hash,
      ].join(";"),
    );
  }
  const page = await maker.newPage();
  // Excel's UTF-8 CSV: a BOM, `;`, CRLF and empty lines at the end.
  const upload = { name: "couriers.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n\r\n`, "utf8") };
  await page.goto("/dashboard/batches/new", { waitUntil: "networkidle" });
  const preview = page.getByTestId("batch-preview");
  // A file chosen before the page has hydrated is not seen: choose it again until the preview shows.
  await expect(async () => {
    await page.getByTestId("batch-file").setInputFiles(upload);
    await expect(preview).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("preview-rows")).toHaveText("50");
  await expect(page.getByTestId("preview-valid")).toHaveText("47");
  await expect(page.getByTestId("preview-total")).toHaveText(formatKopecks(totalKopecks));
  const errors = page.getByTestId("preview-error");
  await expect(errors).toHaveCount(3);
  const shown = await errors.evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll("td")).map((cell) => cell.textContent)));
  expect(shown).toEqual([
    ["10", "Сумма", "Сумма — рубли с копейками цифрами, например 1 234,56 или 1234.56."],
    ["20", "ФИО получателя", "Укажите фамилию и имя (и отчество, если есть), как в паспорте."],
    ["30", "Способ выплаты", "Выберите один из вариантов."],
  ]);

  // A wrong total creates nothing and says what the total is.
  await page.getByTestId("batch-typed-total").fill("1,00");
  await page.getByTestId("batch-confirm").click();
  await expect(page.getByTestId("batch-problem")).toContainText(formatKopecks(totalKopecks));

  await page.getByTestId("batch-typed-total").fill(formatKopecks(totalKopecks).replace(/\s?₽$/, ""));
  await page.getByTestId("batch-confirm").click();
  await expect(page).toHaveURL(/\/dashboard\/batches\/[0-9a-f-]{36}$/);
  const batchId = page.url().split("/").pop()!;
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("batch-created")).toHaveText("47 из 47", { timeout: 60_000 });
  await expect(page.getByTestId("batch-status")).toHaveText("Обработан");
  // The saved-card payouts reach the bank by themselves and wait for approval, shown live.
  await expect(page.locator('[data-testid="batch-row"][data-payout-status="awaiting_approval"]')).toHaveCount(47, { timeout: 90_000 });

  // The second approver approves the whole batch by typing the total of what awaits approval.
  const checkerPage = await checker.newPage();
  await checkerPage.goto(`/dashboard/batches/${batchId}`);
  await expect(checkerPage.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live");
  await expect(checkerPage.getByTestId("batch-eligible")).toContainText(`Ждут одобрения: 47 на ${formatKopecks(totalKopecks)}`);
  await checkerPage.getByTestId("approve-typed-total").fill(formatKopecks(totalKopecks).replace(/\s?₽$/, ""));
  await checkerPage.getByTestId("approve-batch").click();
  await expect(checkerPage.getByTestId("approve-approved")).toHaveText("Одобрено: 47", { timeout: 120_000 });
  await expect(checkerPage.getByTestId("approve-refused")).toHaveCount(0);
  await expect(page.locator('[data-testid="batch-row"][data-payout-status="paid"]')).toHaveCount(47, { timeout: 90_000 });

  // Each payout was confirmed at the bank exactly once.
  const batch = (await (await checker.request.get(`/api/batches/${batchId}`)).json()) as { list: Array<{ payout: { id: string } | null }> };
  const sessions = new Set<string>();
  for (const row of batch.list) {
    const detail = (await (await checker.request.get(`/api/payouts/${row.payout!.id}`)).json()) as { bankSession: { bankSessionId: string } | null };
    sessions.add(detail.bankSession!.bankSessionId);
  }
  expect(sessions.size).toBe(47);
  const log = await checker.request.get(`${E2E_SANDBOX_URL}/sandbox/requests?method=session/confirm&limit=500`);
  const { requests } = (await log.json()) as { requests: Array<{ body?: { session_id?: string } }> };
  const confirms = requests.filter((entry) => entry.body?.session_id && sessions.has(entry.body.session_id));
  expect(confirms).toHaveLength(47);
  expect(new Set(confirms.map((entry) => entry.body!.session_id)).size).toBe(47);

  // The partner's receiver got one signed payout.paid per payout (a retry would repeat a webhook-id, never
  // send a second one for the same event) and the batch's completion.
  const payoutIds = new Set(batch.list.map((row) => row.payout!.id));
  const verifier = new Webhook(secret);
  const verify = (webhook: WebhookReceiver["received"][number]) =>
    verifier.verify(webhook.text, {
      "webhook-id": String(webhook.headers["webhook-id"]),
      "webhook-timestamp": String(webhook.headers["webhook-timestamp"]),
      "webhook-signature": String(webhook.headers["webhook-signature"]),
    }) as { type: string; data: { id: string; status?: string } };
  const paidEvents = () => receiver.received.filter((webhook) => webhook.json?.type === "payout.paid" && payoutIds.has(webhook.json?.data?.id));
  await expect.poll(() => new Set(paidEvents().map((webhook) => webhook.json.data.id)).size, { timeout: 60_000 }).toBe(47);
  for (const webhook of paidEvents()) expect(verify(webhook)).toMatchObject({ type: "payout.paid", data: { status: "paid" } });
  const ids = paidEvents().map((webhook) => String(webhook.headers["webhook-id"]));
  expect(new Set(ids).size).toBe(47);
  const completed = await receiver.waitForMatch((webhook) => webhook.json?.type === "batch.completed" && webhook.json?.data?.id === batchId, 30_000);
  expect(verify(completed)).toMatchObject({ type: "batch.completed", data: { id: batchId, counts: { created: 47, failed: 0 } } });

  // The list of batches leads to it.
  await page.goto("/dashboard/batches");
  const listed = page.getByTestId("batch-list-row").filter({ hasText: "couriers.csv" }).first();
  await expect(listed.getByTestId("batch-list-status")).toHaveText("Обработан: создано 47");
  await listed.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/batches/${batchId}$`));

  // Approving again finds nothing left to approve.
  const again = await checker.request.post(`/api/batches/${batchId}/approve`, sameOrigin({ typedTotal: "1" }));
  expect(again.status()).toBe(409);
});
