import type { Browser, Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { expect, test, type Operator } from "./helpers/operator";
import { secondApprover, signInThroughForm } from "./helpers/sign-in";

/**
 * SBP by phone (issue 13): the recipient picks their bank from the bank's SBP list (a combobox), enters
 * the phone, the bank verifies it and the page shows the masked name the bank holds; the second
 * approver sees that name on the payout and approves; the payout is paid. An unknown phone is explained.
 */

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
test.describe.configure({ timeout: 120_000 });

const sbpRequest = (operator: Operator, recipientName = "Иванов Иван Иванович") =>
  operator.createPayout({ amountKopecks: 350_000, recipientName, purpose: "Выплата по договору № 31", method: "sbp" });

async function chooseBankAndPhone(page: Page, bank: string, phone: string) {
  const combobox = page.getByRole("combobox", { name: "Банк получателя" });
  await combobox.fill(bank.slice(0, 4));
  await expect(page.getByRole("listbox")).toBeVisible();
  await expect(page.getByRole("option", { name: bank })).toBeVisible();
  await combobox.press("ArrowDown");
  await combobox.press("ArrowUp");
  await page.getByRole("option", { name: bank }).click();
  await expect(combobox).toHaveValue(bank);
  await expect(combobox).toHaveAttribute("aria-expanded", "false");
  await page.getByLabel("Номер телефона").fill(phone);
  await page.getByRole("button", { name: "Проверить" }).click();
}

async function approverDetail(browser: Browser, id: string): Promise<Page> {
  const context = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const page = await context.newPage();
  await signInThroughForm(page, secondApprover);
  await page.goto(`/dashboard/payouts/${id}`);
  await expect(page.getByTestId("payout-detail")).toBeVisible();
  return page;
}

test("SBP: bank chosen, phone entered, verified name shown, approved by the second approver, paid", async ({ page, operator, browser }) => {
  const payout = await sbpRequest(operator);
  await page.goto(payout.path);
  await expect(page.getByRole("heading", { name: "Перевод по СБП" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await chooseBankAndPhone(page, "Сбербанк", "+7 (900) 000-00-01");
  await expect(page.getByTestId("sbp-verified-name")).toHaveText("Иван Иванович И.");
  await expect(page.getByTestId("sbp-details")).toHaveText("СБП: Сбербанк, +7 900 ***-**-01");
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId("confirm-button").click();
  await expect(page.getByTestId("recipient-flow")).toHaveAttribute("data-state", "status");
  await expect(page.getByTestId("status-instrument")).toHaveText("СБП: Сбербанк, +7 900 ***-**-01");

  const detail = await approverDetail(browser, payout.id);
  await expect(detail.getByTestId("payout-status")).toHaveText("Ждёт согласования");
  await expect(detail.getByTestId("payout-sbp-verified-name")).toHaveText("Иван Иванович И.");
  await expect(detail.getByTestId("payout-instrument")).toHaveText("СБП: Сбербанк, +7 900 000-00-01");
  await detail.getByRole("button", { name: "Подтвердить выплату" }).click();
  await expect(detail.getByTestId("payout-status")).toHaveText("Выплачена");
  await expect(page.getByRole("heading", { name: "Деньги отправлены" })).toBeVisible();
  await detail.context().close();
});

test("SBP: an unknown phone is explained to the recipient (RU and EN) and the operator sees why", async ({ page, operator, browser }) => {
  const payout = await sbpRequest(operator, "Петров Пётр");
  await page.goto(payout.path);
  await chooseBankAndPhone(page, "Сбербанк", "79000000002");
  const failed = page.getByTestId("sbp-verification-failed");
  await expect(failed).toContainText("Банк не нашёл этот номер в СБП выбранного банка");
  await expect(page.getByTestId("confirm-panel")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // The same explanation in English (the page's language switch).
  await page.getByRole("button", { name: "English" }).click();
  const combobox = page.getByRole("combobox", { name: "Your bank" });
  await combobox.fill("Sber");
  await page.getByRole("option").first().click();
  await page.getByLabel("Phone number").fill("79000000002");
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("sbp-verification-failed")).toContainText("The bank did not find this number in SBP at the chosen bank");

  const detail = await approverDetail(browser, payout.id);
  await expect(detail.getByTestId("payout-sbp-verification")).toContainText("Банк не нашёл этот телефон в СБП выбранного банка");
  await expect(detail.getByTestId("payout-sbp-verification")).toContainText("account_not_found");
  await detail.context().close();
});
