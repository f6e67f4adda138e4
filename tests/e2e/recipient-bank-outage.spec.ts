import { expect } from "@playwright/test";
import { E2E_SANDBOX_URL } from "./urls";
import { test } from "./helpers/operator";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { sameOrigin } from "./helpers/same-origin";

/**
 * The bank is down while the recipient confirms: the page says so, nothing is stored twice, and
 * "try again" finishes the same payout once the bank answers.
 */

// Room for the axe run on the notice.
test.describe.configure({ timeout: 90_000 });

async function sandbox(path: string, body?: unknown) {
  const response = await fetch(`${E2E_SANDBOX_URL}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
  return response.json();
}

test("a bank 5xx on start shows a retry notice; retrying opens exactly one bank session", async ({ operator, page }) => {
  const payout = await operator.createPayout({ amountKopecks: 99_000, recipientName: "Лебедев Артём", purpose: "Выплата за март", method: "card_widget" });
  const { number_hash } = (await sandbox("/sandbox/cards", { number: "2200240000014940" })) as { number_hash: string };
  await sandbox("/sandbox/faults", { type: "api_error", method: "session/start/payout", status: 503, count: 1 });

  const started = await page.request.post(`/api/p/${payout.token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: number_hash } }));
  expect(started.status(), await started.text()).toBe(200);
  expect(await started.json()).toMatchObject({ status: "submitted", bankPending: true });
  // A second submit (another tab) changes nothing: the link is spent, the payout is the same.
  const again = await page.request.post(`/api/p/${payout.token}/start`, sameOrigin({ instrument: { kind: "card_hash", numberHash: number_hash } }));
  expect(again.status()).toBe(200);

  await page.goto(payout.path);
  const notice = page.getByTestId("bank-pending");
  await expect(notice).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await notice.getByRole("button").click();
  await expect(page.getByTestId("status-view")).toHaveAttribute("data-status", "awaiting_approval");
  await expect(notice).toHaveCount(0);

  const { sessions } = (await sandbox("/sandbox/sessions")) as { sessions: unknown[] };
  const ours = sessions.filter((session) => JSON.stringify(session).includes(`PR-${String(payout.number).padStart(6, "0")}`));
  expect(ours).toHaveLength(1);
});
