import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";
import { sameOrigin } from "./helpers/same-origin";
import { secondApprover, signedInContext, signInThroughForm } from "./helpers/sign-in";
import { E2E_SANDBOX_URL } from "./urls";

/**
 * Signed webhooks to the partner's backend, end to end: an admin registers the partner's receiver on
 * the dashboard, a payout is paid, the receiver (a real HTTP server) gets a `payout.paid` that verifies
 * with the Standard Webhooks library and the secret shown once, and the delivery log shows it delivered.
 */

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
test.describe.configure({ timeout: 120_000 });

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver({ path: "/partner-hooks" });
});
test.afterAll(async () => {
  await receiver.close();
});

async function paidPayout(maker: APIRequestContext, approver: APIRequestContext, recipient: APIRequestContext): Promise<string> {
  const created = await maker.post(
    "/api/payouts",
    sameOrigin({ amountKopecks: 345_600, recipientName: "Смирнова Ольга Петровна", purpose: "Вознаграждение курьеру", method: "card_widget" }),
  );
  expect(created.status(), await created.text()).toBe(201);
  const payout = (await created.json()) as { id: string; link: { url: string } };
  const token = new URL(payout.link.url).pathname.split("/").pop()!;
  const hashed = await recipient.post(`${E2E_SANDBOX_URL}/sandbox/cards`, { data: { number: "2200240000014940" } });
  const { number_hash } = (await hashed.json()) as { number_hash: string };
  const started = await recipient.post(`/api/p/${token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: number_hash } }));
  expect(started.status(), await started.text()).toBe(200);
  await expect(async () => {
    const confirmed = await approver.post(`/api/payouts/${payout.id}/confirm`, sameOrigin());
    expect(confirmed.status(), await confirmed.text()).toBe(200);
  }).toPass({ timeout: 30_000 });
  return payout.id;
}

test("an admin registers the partner's receiver; a paid payout reaches it signed, and the delivery log shows it", async ({ browser, playwright, baseURL }) => {
  const admin = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const page = await admin.newPage();
  await signInThroughForm(page, "admin", { callbackUrl: "/dashboard/partner-webhooks" });
  await page.goto("/dashboard/partner-webhooks");
  await page.getByLabel("URL (https://)").fill(receiver.url);
  await page.getByLabel("Описание").fill("Бэкенд партнёра (e2e)");
  await page.getByRole("button", { name: "Добавить адрес" }).click();
  const secret = await page.getByTestId("webhook-secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  const row = page.getByTestId("partner-endpoint").filter({ hasText: receiver.url });
  await expect(row).toBeVisible();

  let maker: BrowserContext | undefined;
  let approver: BrowserContext | undefined;
  const recipient = await playwright.request.newContext({ baseURL });
  try {
    maker = await browser.newContext();
    const makerPage = await maker.newPage();
    await signInThroughForm(makerPage, secondApprover);
    approver = await signedInContext(browser, "approver");
    const payoutId = await paidPayout(maker.request, approver.request, recipient);

    const paid = await receiver.waitForMatch((webhook) => webhook.json?.type === "payout.paid" && webhook.json?.data?.id === payoutId, 30_000);
    const verified = new Webhook(secret).verify(paid.text, {
      "webhook-id": String(paid.headers["webhook-id"]),
      "webhook-timestamp": String(paid.headers["webhook-timestamp"]),
      "webhook-signature": String(paid.headers["webhook-signature"]),
    });
    expect(verified).toMatchObject({ type: "payout.paid", data: { id: payoutId, status: "paid", amount_kopecks: 345_600, instrument: { kind: "card", last4: "4940" } } });
    // The partner heard of the payout's earlier news first.
    const types = receiver.received.filter((webhook) => webhook.json?.data?.id === payoutId).map((webhook) => webhook.json.type);
    expect(types.indexOf("payout.awaiting_approval")).toBeLessThan(types.indexOf("payout.paid"));

    await row.getByRole("link", { name: "Журнал доставок" }).click();
    const delivered = page.getByTestId("delivery-row").filter({ hasText: String(paid.headers["webhook-id"]) });
    await expect(delivered).toHaveAttribute("data-event-type", "payout.paid");
    await expect(delivered).toHaveAttribute("data-status", "delivered");
    await expect(delivered).toContainText("HTTP 200");
  } finally {
    await recipient.dispose();
    await maker?.close();
    await approver?.close();
    await admin.close();
  }
});
