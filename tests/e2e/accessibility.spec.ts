import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { expect, test } from "./helpers/operator";
import { signInThroughForm } from "./helpers/sign-in";

/**
 * axe on the screens no other flow shows: the recipient's bank-account steps, status and link notices in
 * English (the Russian ones are checked inside recipient.spec.ts), and the operators' webhooks page.
 * The other screens are checked where their own flows show them.
 */

test.use({ locale: "en-US" });
test.describe.configure({ timeout: 180_000 });

test("English recipient screens: bank-account form with an error, check step, status, revoked and unknown links", async ({ page, operator, browser }) => {
  const payout = await operator.createPayout({ amountKopecks: 150_000, recipientName: "Орлова Мария", purpose: "Возврат депозита", method: "bank_account" });
  await page.goto(payout.path);
  await expect(page.getByRole("heading", { name: "Bank account details" })).toBeVisible();
  await page.getByLabel("Bank BIK").fill("04920513");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("bik-error")).not.toHaveText("");
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel("Bank BIK").fill("049205131");
  await page.getByLabel("Account number").fill("40817810500000000131");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Check the details" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Confirm and receive" }).click();
  await expect(page.getByTestId("status-title")).toHaveText("Waiting for approval");
  await expectNoSeriousA11yViolations(page);

  const revoked = await operator.createPayout({ amountKopecks: 10_000, recipientName: "Орлова Мария", purpose: "Возврат депозита", method: "card_widget" });
  await operator.revoke(revoked.id);
  await page.goto(revoked.path);
  await expect(page.getByTestId("link-state-title")).toHaveText("This link was revoked");
  await expectNoSeriousA11yViolations(page);

  await page.goto(`/p/${"N".repeat(43)}`);
  await expect(page.getByTestId("link-state-title")).toHaveText("Link not found");
  await expectNoSeriousA11yViolations(page);

  // The bank's webhook for this payout is on the operators' webhooks page.
  const context = await browser.newContext({ locale: "ru-RU" });
  const operatorPage = await context.newPage();
  await signInThroughForm(operatorPage, "viewer");
  await operatorPage.goto("/dashboard/webhooks");
  await expect(operatorPage.getByRole("heading", { name: "Вебхуки Банка 131" })).toBeVisible();
  await expect(operatorPage.getByTestId("webhook-row").first()).toBeVisible();
  await expectNoSeriousA11yViolations(operatorPage);
  await context.close();
});
