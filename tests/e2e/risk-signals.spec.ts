import { randomInt, randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { sameOrigin } from "./helpers/same-origin";
import { signedInContext } from "./helpers/sign-in";
import { E2E_SANDBOX_URL } from "./urls";

/**
 * Risk signals in «Ждут решения»: a payout whose link was opened from five addresses is flagged
 * (with the numbers), a payout to a card already paid to the same person is not; the approver narrows
 * the queue to flagged payouts and reads the same signal on the payout page.
 */

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
test.describe.configure({ timeout: 150_000 });

/** A Mir number no other test uses (the sandbox pays any valid one), so this card's history is ours alone. */
function freshMirCard(): string {
  const body = `2200${Array.from({ length: 11 }, () => randomInt(10)).join("")}`;
  const sum = [...body].reverse().reduce((total, char, index) => {
    const digit = Number(char) * (index % 2 === 0 ? 2 : 1);
    return total + (digit > 9 ? digit - 9 : digit);
  }, 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

interface PartnerPayout {
  id: string;
  token: string;
}

async function partnerKey(admin: BrowserContext): Promise<string> {
  const issued = await admin.request.post("/api/admin/api-keys", sameOrigin({ name: `e2e risk ${randomUUID().slice(0, 8)}` }));
  expect(issued.status(), await issued.text()).toBe(201);
  return ((await issued.json()) as { key: string }).key;
}

/** A partner API payout whose recipient submitted `card`: the bank then waits for a decision. */
async function payoutToCard(recipient: APIRequestContext, key: string, name: string, card: string): Promise<PartnerPayout> {
  const created = await recipient.post("/api/v1/payout-requests", {
    headers: { authorization: `Bearer ${key}`, "idempotency-key": randomUUID(), "content-type": "application/json" },
    data: { amount_kopecks: 310_000, recipient_name: name, purpose: "Вознаграждение за рейсы", method: "card_widget" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const payout = (await created.json()) as { id: string; recipient_link: string };
  const token = new URL(payout.recipient_link).pathname.split("/").pop()!;
  const hashed = await recipient.post(`${E2E_SANDBOX_URL}/sandbox/cards`, { data: { number: card } });
  expect(hashed.status(), await hashed.text()).toBe(200);
  const { number_hash } = (await hashed.json()) as { number_hash: string };
  const started = await recipient.post(`/api/p/${token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: number_hash } }));
  expect(started.status(), await started.text()).toBe(200);
  return { id: payout.id, token };
}

async function statusOf(context: BrowserContext, id: string): Promise<string> {
  return ((await (await context.request.get(`/api/payouts/${id}`)).json()) as { status: string }).status;
}

test("the approver sees a payout's risk signal in the queue, filters the queue to flagged payouts, and reads it on the payout page", async ({ browser, playwright, baseURL }) => {
  const admin = await signedInContext(browser, "admin");
  const approver = await signedInContext(browser, "approver");
  const recipient = await playwright.request.newContext({ baseURL });
  try {
    const key = await partnerKey(admin);

    // Clean: the same person again, to a card already paid to them.
    const knownCard = freshMirCard();
    const earlier = await payoutToCard(recipient, key, "Ким Борис", knownCard);
    await expect.poll(() => statusOf(approver, earlier.id), { timeout: 30_000 }).toBe("awaiting_approval");
    const approved = await approver.request.post(`/api/payouts/${earlier.id}/confirm`, sameOrigin());
    expect(approved.status(), await approved.text()).toBe(200);
    await expect.poll(() => statusOf(approver, earlier.id), { timeout: 30_000 }).toBe("paid");
    const clean = await payoutToCard(recipient, key, "КИМ  Борис", knownCard);

    // Flagged: the link was opened from five client addresses (one of them twice).
    const flagged = await payoutToCard(recipient, key, "Ли Анна", freshMirCard());
    for (const address of ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5", "203.0.113.1"]) {
      const opened = await recipient.get(`/api/p/${flagged.token}`, { headers: { "x-forwarded-for": address } });
      expect(opened.status()).toBe(200);
    }
    for (const payout of [clean, flagged]) await expect.poll(() => statusOf(approver, payout.id), { timeout: 30_000 }).toBe("awaiting_approval");

    const page = await approver.newPage();
    await page.goto("/dashboard");
    const queue = page.getByTestId("approval-queue");
    const flaggedRow = queue.locator(`[data-testid="approval-queue-row"][data-payout-id="${flagged.id}"]`);
    const cleanRow = queue.locator(`[data-testid="approval-queue-row"][data-payout-id="${clean.id}"]`);
    await expect(cleanRow).toBeVisible();
    await expect(cleanRow.getByTestId("risk-signal")).toHaveCount(0);
    await expect(flaggedRow.locator('[data-testid="risk-signal"][data-code="link_many_addresses"]')).toHaveText(
      "Ссылку открывали с многих адресов: Ссылку получателя открывали с 5 адресов (6 открытий; порог — 5)",
    );
    // A card never paid before is a signal of its own.
    await expect(flaggedRow.locator('[data-testid="risk-signal"][data-code="instrument_first_payout"]')).toContainText("Первая выплата на карту •• ");

    await page.getByTestId("approval-queue-signals-filter").check();
    await expect(cleanRow).toHaveCount(0);
    await expect(flaggedRow).toBeVisible();
    await expect(page.getByTestId("approval-queue-total")).toHaveText(/^с сигналами \d+ из \d+$/);
    for (const count of await queue.getByTestId("approval-queue-row").evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-signals"))))) {
      expect(count).toBeGreaterThan(0);
    }
    await page.getByTestId("approval-queue-signals-filter").uncheck();
    await expect(cleanRow).toBeVisible();

    await flaggedRow.getByRole("link").click();
    await expect(page.getByTestId("payout-detail")).toBeVisible();
    await expect(page.getByTestId("payout-risk-signals")).toContainText("Ссылку получателя открывали с 5 адресов (6 открытий; порог — 5)");
  } finally {
    await recipient.dispose();
    await Promise.all([approver.close(), admin.close()]);
  }
});
