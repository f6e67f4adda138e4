import { expect, test, type Page } from "@playwright/test";
import { DEV_OPERATORS } from "../../lib/auth/seed";
import { signInThroughForm } from "./helpers/sign-in";
import { E2E_PORTAL_URL } from "./urls";
import { expectNoSeriousA11yViolations } from "./helpers/axe";
import { sameOrigin } from "./helpers/same-origin";

const RECIPIENT_LINK = new RegExp(`^${E2E_PORTAL_URL.replace(/[.]/g, "\\.")}/p/[A-Za-z0-9_-]{43}$`);

// Room for an axe run on every state of the form.
test.describe.configure({ timeout: 120_000 });

const approver = DEV_OPERATORS.find((operator) => operator.role === "approver")!;
const viewer = DEV_OPERATORS.find((operator) => operator.role === "viewer")!;

// The sandbox seeds this recurrent token for its "Visa, payout succeeds" card.
const SANDBOX_RECURRENT_TOKEN = "9a8a650c49de69eb98549027c5bc366f5bda51efe59bb8c0e02eb8a8a4e359da";

/** SCREENSHOT_DIR=/tmp/shots npx playwright test … keeps pictures of the form for a human look. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
async function shot(page: Page, name: string) {
  if (SCREENSHOT_DIR) await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

async function signIn(page: Page, who: { email: string; password: string }, callbackUrl = "/dashboard/payouts/new") {
  await signInThroughForm(page, who, { callbackUrl });
  await expect(page.getByTestId("operator-name")).toBeVisible();
}

async function fillValid(page: Page, overrides: { name?: string; amount?: string; purpose?: string } = {}) {
  await page.getByLabel("Сумма, ₽").fill(overrides.amount ?? "1500,5");
  await page.getByLabel("ФИО получателя").fill(overrides.name ?? "Иванов Иван Иванович");
  await page.getByLabel("Назначение выплаты").fill(overrides.purpose ?? "Вознаграждение по договору № 17");
}

for (const viewport of [
  { name: "desktop", width: 1280, height: 900 },
  { name: "mobile", width: 360, height: 780 },
]) {
  test(`an approver creates a payout link, copies it and revokes it (${viewport.name})`, async ({ page, context }) => {
    await page.setViewportSize(viewport);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signIn(page, approver, "/dashboard");

    await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Новая выплата" }).click();
    await expect(page).toHaveURL(/\/dashboard\/payouts\/new$/);
    await expect(page.getByRole("heading", { name: "Новая выплата" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await shot(page, `form-empty-${viewport.name}`);

    // Submitting an empty form: each error next to its field, focus on the first one.
    await page.getByRole("button", { name: "Создать ссылку" }).click();
    const amount = page.getByLabel("Сумма, ₽");
    await expect(page.getByTestId("amount-error")).toHaveText("Введите сумму.");
    await expect(amount).toHaveAttribute("aria-invalid", "true");
    await expect(amount).toHaveAttribute("aria-describedby", /amount-error/);
    await expect(amount).toBeFocused();
    await expect(page.getByTestId("recipientName-error")).toBeVisible();
    await expect(page.getByTestId("purpose-error")).toBeVisible();

    // Field rules come from the server's schema: a one-word name and a bad email.
    await page.getByLabel("ФИО получателя").fill("Иван");
    await page.getByLabel("Email получателя").fill("ivan@");
    await page.getByLabel("Email получателя").blur();
    await expect(page.getByTestId("recipientName-error")).toContainText("фамилию и имя");
    await expect(page.getByTestId("recipientEmail-error")).toBeVisible();
    // Escrow needs a beneficiary.
    await page.getByText("Номинальный счёт", { exact: true }).click();
    await page.getByRole("button", { name: "Создать ссылку" }).click();
    await expect(page.getByTestId("beneficiaryInn-error")).toBeVisible();
    await expect(page.getByTestId("beneficiaryName-error")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await shot(page, `form-errors-${viewport.name}`);

    await page.getByText("Основной счёт", { exact: true }).click();
    await page.getByLabel("Email получателя").fill("");
    await fillValid(page);
    // The amount is shown back as the portal understood it.
    await amount.blur();
    await expect(amount).toHaveValue(/^1\s500,50$/);
    await expect(page.getByTestId("amount-error")).toHaveCount(0);

    await page.getByRole("button", { name: "Создать ссылку" }).click();
    const result = page.getByTestId("payout-result");
    await expect(result).toBeVisible();
    await expect(page.getByTestId("result-number")).toHaveText(/^PR-\d{6}$/);
    await expect(page.getByTestId("result-amount")).toHaveText(/^1\s500,50\s₽$/);
    await expect(result).toContainText("Иванов Иван Иванович");
    await expect(result).toContainText("показывается только один раз");
    await expect(result).toContainText("Действует до");
    const link = await page.getByTestId("recipient-link").inputValue();
    expect(link).toMatch(RECIPIENT_LINK);
    await expect(result.getByRole("link", { name: /Открыть/ })).toHaveAttribute("href", link);

    await result.getByRole("button", { name: "Копировать" }).click();
    await expect(result.getByRole("button", { name: "Скопировано" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await expectNoSeriousA11yViolations(page);
    await shot(page, `form-success-${viewport.name}`);

    // Revoke through the dialog: a reason is required.
    await result.getByRole("button", { name: "Отозвать ссылку" }).click();
    const dialog = page.getByRole("dialog", { name: /Отозвать ссылку PR-\d{6}\?/ });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel("Причина")).toBeFocused();
    await dialog.getByRole("button", { name: "Отозвать ссылку" }).click();
    await expect(page.getByTestId("revoke-reason-error")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await shot(page, `revoke-dialog-${viewport.name}`);
    // Escape closes without revoking.
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(result.getByRole("button", { name: "Отозвать ссылку" })).toBeFocused();

    await result.getByRole("button", { name: "Отозвать ссылку" }).click();
    await dialog.getByLabel("Причина").fill("Ошиблись в сумме");
    await dialog.getByRole("button", { name: "Отозвать ссылку" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId("link-revoked")).toContainText("Ошиблись в сумме");
    await expect(page.getByTestId("link-revoked")).toBeFocused();
    await expect(page.getByTestId("result-status")).toHaveText("Отменена");
    await expect(page.getByTestId("recipient-link")).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);
    await shot(page, `form-revoked-${viewport.name}`);

    const token = link.split("/p/")[1]!;
    const view = await page.request.get(`/api/p/${token}`);
    expect(view.status()).toBe(200);
    expect(await view.json()).toMatchObject({ status: "cancelled", linkState: "revoked" });

    // "Create another" starts from a clean form.
    await result.getByRole("button", { name: "Создать ещё одну" }).click();
    await expect(page.getByLabel("Сумма, ₽")).toHaveValue("");
    await expect(page.getByLabel("Сумма, ₽")).toBeFocused();
  });
}

test("a recurrent token starts the payout at once and the outcome is shown", async ({ page }) => {
  await signIn(page, approver);
  await fillValid(page, { name: "Петров Пётр", amount: "2 000" });
  await page.getByText("Рекуррентный токен", { exact: true }).click();
  await expect(page.getByRole("button", { name: "Создать и выплатить" })).toBeVisible();

  await page.getByRole("textbox", { name: "Рекуррентный токен" }).fill("short");
  await page.getByRole("button", { name: "Создать и выплатить" }).click();
  await expect(page.getByTestId("recurrentToken-error")).toContainText("не меньше 16");

  await page.getByRole("textbox", { name: "Рекуррентный токен" }).fill(SANDBOX_RECURRENT_TOKEN);
  await page.getByRole("button", { name: "Создать и выплатить" }).click();
  await expect(page.getByTestId("start-outcome")).toHaveAttribute("data-outcome", "started");
  await expect(page.getByTestId("start-outcome")).toContainText("Выплата отправлена в банк");
  // The payout is already under way: nothing to revoke.
  await expect(page.getByRole("button", { name: "Отозвать ссылку" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  await shot(page, "form-started-desktop");
});

test("a recurrent token the bank refuses shows the bank's reason", async ({ page }) => {
  await signIn(page, approver);
  await fillValid(page, { name: "Петров Пётр", amount: "10" });
  await page.getByText("Рекуррентный токен", { exact: true }).click();
  await page.getByRole("textbox", { name: "Рекуррентный токен" }).fill("unknown_recurrent_token_0001");
  await page.getByRole("button", { name: "Создать и выплатить" }).click();
  await expect(page.getByTestId("start-outcome")).toHaveAttribute("data-outcome", "rejected");
  await expect(page.getByTestId("start-outcome")).toContainText("Банк отклонил выплату");
});

test("saved cards: a recipient who was never paid to a card gets a clear empty state", async ({ page }) => {
  await signIn(page, approver);
  await fillValid(page, { name: "Сидорова Анна Павловна" });
  await page.getByText("Сохранённая карта", { exact: true }).click();
  await expect(page.getByTestId("saved-cards-empty")).toContainText("Сидорова Анна Павловна");
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("button", { name: "Создать и выплатить" }).click();
  await expect(page.getByTestId("savedCard-error")).toHaveText("Выберите сохранённую карту получателя.");
});

test("server answers: a field error lands next to its field, anything else in a banner", async ({ page }) => {
  await signIn(page, approver);
  let calls = 0;
  await page.route("**/api/payouts", async (route) => {
    calls++;
    if (calls === 1) {
      await route.fulfill({ status: 400, json: { error: { code: "validation", message: "amountKopecks: must be at most 100,00 ₽", field: "amountKopecks", params: { issue: "too_big", maximum: 10_000 } } } });
    } else {
      await route.fulfill({ status: 500, json: { error: { code: "internal_error", message: "Something went wrong on our side." } } });
    }
  });
  await fillValid(page);
  await page.getByRole("button", { name: "Создать ссылку" }).click();
  await expect(page.getByTestId("amount-error")).toHaveText("Сумма больше допустимой: не более 100,00 ₽.");
  await expect(page.getByLabel("Сумма, ₽")).toHaveAttribute("aria-invalid", "true");
  // Editing the field clears the server's verdict on it.
  await page.getByLabel("Сумма, ₽").fill("99");
  await expect(page.getByTestId("amount-error")).toHaveCount(0);

  await page.getByRole("button", { name: "Создать ссылку" }).click();
  await expect(page.getByTestId("form-error")).toContainText("Сбой на стороне портала");
  await expect(page.getByTestId("payout-result")).toHaveCount(0);
});

test("a viewer sees no entry and a polite no-permission message instead of the form", async ({ page }) => {
  await signIn(page, viewer, "/dashboard");
  await expect(page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Новая выплата" })).toHaveCount(0);
  await page.goto("/dashboard/payouts/new");
  await expect(page.getByTestId("no-permission")).toContainText("Создавать выплаты могут согласующие и администраторы");
  await expect(page.getByTestId("create-payout-form")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  await shot(page, "viewer-no-permission");

  // The API says no as well.
  const response = await page.request.post("/api/payouts", sameOrigin({ amountKopecks: 100, recipientName: "Иванов Иван", purpose: "Тест", method: "card_widget" }));
  expect(response.status()).toBe(403);
});
