import { expect, test, type Page } from "@playwright/test";
import { sameOrigin } from "./helpers/same-origin";
import { secondApprover, signedInContext, signInThroughForm } from "./helpers/sign-in";
import { E2E_SANDBOX_URL } from "./urls";

/**
 * Self-employed (НПД) payouts end to end in Chromium: the operator creates one in the form, the
 * recipient's page checks the INN with the tax service, embeds the bank's linking widget for a person
 * who has not linked Bank 131, waits (live) for «Мой налог», then takes the card; another approver
 * approves; the «Мой налог» receipt link appears on the recipient page and in the operator's detail.
 */

const INN = { notLinked: "770713100202", notSelfEmployed: "770713100386" } as const;
const MIR_SUCCESS = "2200240000014940";

test.use({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
// Two sign-ins (scrypt at OWASP's parameters) and the tax service's answer times on a busy machine.
test.describe.configure({ timeout: 240_000 });

async function createInForm(page: Page, inn: string): Promise<{ url: string; id: string }> {
  await page.goto("/dashboard/payouts/new");
  await page.getByLabel("Сумма, ₽").fill("3000");
  await page.getByLabel("ФИО получателя").fill("Иванов Иван Иванович");
  await page.getByLabel("Назначение выплаты").fill("Оплата услуг по договору № 5");
  await page.getByTestId("self-employed-toggle").check();
  await page.getByLabel("ИНН самозанятого").fill(inn);
  await page.getByLabel("Услуга 1: наименование").fill("Доставка товаров");
  await page.getByLabel("Услуга 1: цена, ₽").fill("1000");
  await page.getByLabel("Услуга 1: количество").fill("2");
  await page.getByRole("button", { name: "Добавить услугу" }).click();
  await page.getByLabel("Услуга 2: наименование").fill("Упаковка");
  await page.getByLabel("Услуга 2: цена, ₽").fill("1000");
  await expect(page.getByTestId("services-total")).toContainText("3 000,00 ₽");
  const created = page.waitForResponse((response) => response.url().endsWith("/api/payouts") && response.request().method() === "POST");
  await page.getByRole("button", { name: "Создать ссылку" }).click();
  const body = (await (await created).json()) as { id: string };
  const url = await page.getByTestId("recipient-link").inputValue();
  return { url, id: body.id };
}

test("not linked → linking widget → «Мой налог» confirms → card → approved by another approver → receipt on both sides", async ({ browser }) => {
  // Maker ≠ checker: the second approver will approve (signed in up front).
  const checker = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const checkerPage = await checker.newPage();
  await signInThroughForm(checkerPage, secondApprover);
  const maker = await signedInContext(browser, "approver");
  const makerPage = await maker.newPage();
  const payout = await createInForm(makerPage, INN.notLinked);

  // The recipient: the INN is checked first; not linked → the bank's widget, no card step yet.
  const recipient = await browser.newContext({ locale: "ru-RU" });
  const page = await recipient.newPage();
  await page.goto(new URL(payout.url).pathname);
  await expect(page.getByTestId("npd-not-linked")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("card-widget")).toHaveCount(0);
  const widget = page.locator("#bank131-self-employed");
  await expect(widget).toHaveAttribute("data-state", "initial");
  await widget.getByRole("checkbox").check();
  await widget.getByRole("button", { name: "Отправить запрос" }).click();
  await expect(widget).toHaveAttribute("data-state", "request_sent");

  // The operator sees the tax service's answer on the payout page meanwhile.
  await makerPage.goto(`/dashboard/payouts/${payout.id}`);
  await expect(makerPage.getByTestId("payout-npd-status")).toHaveAttribute("data-status", "not_linked");

  // The person allows Bank 131 in «Мой налог» (the sandbox's simulation of the app).
  const myTax = await recipient.newPage();
  await myTax.goto(`${E2E_SANDBOX_URL}/npd/my-tax?tax_reference=${INN.notLinked}`);
  await myTax.getByRole("button", { name: "Разрешить" }).click();
  // The form posts and redirects back: close the tab once it shows the decision, not mid-navigation
  // (a close during the redirect once hung a CI run until the test's timeout).
  await expect(myTax.getByRole("status")).toHaveText("Разрешение Банку 131 выдано.");
  await myTax.close();

  // Live: the page notices the link by itself and offers the card step — the person does not have to
  // press the widget's «Обновить статус» (pressing it raced the page replacing the widget).
  await expect(page.getByTestId("card-widget")).toBeVisible({ timeout: 30_000 });
  await expect(widget).toHaveCount(0);
  const frame = page.getByTestId("card-widget").locator("iframe").contentFrame();
  await frame.getByLabel("Номер карты").fill(MIR_SUCCESS, { timeout: 30_000 });
  await frame.getByRole("button", { name: "Сохранить карту" }).click();
  await page.getByRole("button", { name: "Всё верно, получить выплату" }).click();
  await expect(page.getByTestId("recipient-flow")).toHaveAttribute("data-state", "status", { timeout: 20_000 });

  await expect
    .poll(async () => ((await (await checkerPage.request.get(`/api/payouts/${payout.id}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe("awaiting_approval");
  const approved = await checkerPage.request.post(`/api/payouts/${payout.id}/confirm`, sameOrigin());
  expect(approved.status(), await approved.text()).toBe(200);

  // The receipt: on the recipient's page (live) and in the operator's detail.
  const receipt = page.getByTestId("npd-receipt-link");
  await expect(receipt).toBeVisible({ timeout: 30_000 });
  const link = await receipt.getAttribute("href");
  expect(link).toContain(`/npd/receipts/${INN.notLinked}/`);
  await makerPage.goto(`/dashboard/payouts/${payout.id}`);
  await expect(makerPage.getByTestId("payout-status")).toHaveText("Выплачена");
  await expect(makerPage.getByTestId("payout-npd-receipt-link")).toHaveAttribute("href", link!);
  const receiptPage = await page.request.get(link!);
  expect(receiptPage.status()).toBe(200);
  expect(await receiptPage.text()).toContain("Доставка товаров");

  await Promise.all([maker.close(), recipient.close(), checker.close()]);
});

test("not self-employed: the recipient is told clearly (RU and EN) and the operator sees why", async ({ browser }) => {
  const maker = await signedInContext(browser, "approver");
  const makerPage = await maker.newPage();
  const payout = await createInForm(makerPage, INN.notSelfEmployed);
  const path = new URL(payout.url).pathname;

  const recipient = await browser.newContext({ locale: "ru-RU" });
  const page = await recipient.newPage();
  await page.goto(path);
  const notice = page.getByTestId("npd-not-self-employed");
  await expect(notice).toBeVisible({ timeout: 20_000 });
  await expect(notice).toContainText("Вы не зарегистрированы как самозанятый");
  await expect(notice).toContainText(INN.notSelfEmployed);
  await expect(page.getByTestId("card-widget")).toHaveCount(0);

  const english = await browser.newContext({ locale: "en-US" });
  const enPage = await english.newPage();
  await enPage.goto(path);
  await expect(enPage.getByTestId("npd-not-self-employed")).toContainText("You are not registered as self-employed");

  await makerPage.goto(`/dashboard/payouts/${payout.id}`);
  await expect(makerPage.getByTestId("payout-npd-not-self-employed")).toContainText(INN.notSelfEmployed);
  await expect(makerPage.getByTestId("payout-npd-status")).toHaveAttribute("data-status", "not_self_employed");

  await Promise.all([maker.close(), recipient.close(), english.close()]);
});
