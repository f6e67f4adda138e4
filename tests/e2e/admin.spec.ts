import { expect, test, type Browser, type Page } from "@playwright/test";
import { holdScripts } from "./helpers/hold-scripts";
import { seededOperator } from "./helpers/sign-in";

/**
 * Operator administration as an admin and the people they manage would live it: an invitation link
 * that works once, a new operator signing in, and an admin cutting off an operator whose dashboard
 * is open (their event stream ends and their next request fails).
 */

const PASSWORD = "new-operator-pass-131";

/** Signs in through /login once (no retry loop: a retried attempt would count as another sign-in). */
async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto("/login", { waitUntil: "networkidle" });
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Пароль").fill(who.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 30_000 });
}

async function inviteOperator(adminPage: Page, email: string, role: "approver" | "viewer"): Promise<string> {
  await adminPage.goto("/dashboard/operators");
  const form = adminPage.getByRole("region", { name: "Пригласить оператора" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Имя").fill("Новый Оператор");
  await form.getByLabel("Роль").selectOption(role);
  await form.getByRole("button", { name: "Пригласить" }).click();
  const link = await adminPage.getByTestId("invite-link").inputValue();
  expect(link).toContain("/set-password/");
  return new URL(link).pathname;
}

async function setPassword(browser: Browser, path: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // On a slow connection the form is on screen before its script: Enter there must not send the
  // passwords anywhere (the browser's own GET would put them into the URL), and they stay typed.
  const scripts = await holdScripts(page);
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  await page.goto(path, { waitUntil: "commit" });
  const submit = page.getByRole("button", { name: "Задать пароль" });
  await expect(submit).toBeDisabled();
  await page.getByLabel("Новый пароль").fill(PASSWORD);
  await page.getByLabel("Повторите пароль").fill(PASSWORD);
  await page.getByLabel("Повторите пароль").press("Enter");
  await expect.poll(() => scripts.held()).toBeGreaterThan(0);
  await scripts.release();
  await expect(submit).toBeEnabled();
  expect(urls.filter((url) => url.includes(PASSWORD))).toEqual([]);
  await submit.click();
  await expect(page.getByRole("status")).toContainText("Пароль задан");
  // Single use: the same link now explains itself instead of offering the form.
  await page.goto(path);
  await expect(page.getByRole("alert").filter({ hasText: "пароль уже задан" })).toBeVisible();
  await expect(page.getByLabel("Новый пароль")).toHaveCount(0);
  await context.close();
}

test.setTimeout(150_000);

test("an invited operator sets a password once, signs in, and is cut off live when an admin disables them", async ({ page: adminPage, browser }) => {
  const email = `e2e-${Date.now()}@portal.test`;
  await signIn(adminPage, seededOperator("admin"));
  const path = await inviteOperator(adminPage, email, "approver");
  await setPassword(browser, path);

  const operatorContext = await browser.newContext();
  const operatorPage = await operatorContext.newPage();
  await signIn(operatorPage, { email, password: PASSWORD });
  await expect(operatorPage.getByTestId("connection-indicator")).toHaveAttribute("data-state", "live");
  expect((await operatorPage.request.get("/api/payouts")).status()).toBe(200);

  await adminPage.goto("/dashboard/operators");
  await adminPage.getByRole("button", { name: `Отключить ${email}` }).click();
  await expect(adminPage.getByTestId("operator-row").filter({ hasText: email })).toContainText("Отключён");

  // The open dashboard's event stream is ended by the server ("revoked"), which sends the page to sign-in.
  await expect(operatorPage).toHaveURL(/\/login/, { timeout: 15_000 });
  // The session cookie is still in the browser, but it no longer opens anything.
  expect((await operatorPage.request.get("/api/payouts")).status()).toBe(401);
  expect((await operatorPage.request.get("/api/events")).status()).toBe(401);
  await operatorPage.goto("/dashboard");
  await expect(operatorPage).toHaveURL(/\/login/);
  await operatorContext.close();
});

test("repeated wrong passwords lock an account with a Russian message and the wait; an admin lifts it", async ({ page: adminPage, browser }) => {
  const email = `e2e-locked-${Date.now()}@portal.test`;
  await signIn(adminPage, seededOperator("admin"));
  await setPassword(browser, await inviteOperator(adminPage, email, "viewer"));

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login", { waitUntil: "networkidle" });
  const attempt = async (password: string) => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Пароль").fill(password);
    await page.getByRole("button", { name: "Войти" }).click();
  };
  // Default limit: 5 failures per account; the 5th starts the lockout.
  for (let i = 1; i <= 4; i++) {
    await attempt(`wrong-${i}`);
    await expect(page.getByTestId("login-error")).toHaveText("Неверный email или пароль");
    await expect(page.getByRole("button", { name: "Войти" })).toBeEnabled();
  }
  await attempt("wrong-5");
  await expect(page.getByTestId("login-error")).toContainText("Слишком много неудачных попыток входа");
  await attempt(PASSWORD);
  await expect(page.getByTestId("login-error")).toHaveText(/Повторите через 15 минут/);
  await expect(page).toHaveURL(/\/login/);

  await adminPage.goto("/dashboard/operators");
  await adminPage.getByRole("button", { name: `Снять блокировку ${email}` }).click();
  await expect(adminPage.getByRole("button", { name: `Снять блокировку ${email}` })).toHaveCount(0);

  await attempt(PASSWORD);
  await expect(page).toHaveURL(/\/dashboard/);
  await context.close();
});
