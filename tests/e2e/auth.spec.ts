import { expect, test } from "@playwright/test";
import { DEV_OPERATORS } from "../../lib/auth/seed";
import { expectNoSeriousA11yViolations } from "./helpers/axe";

// Room for the axe runs on the login page and the dashboard.
test.describe.configure({ timeout: 90_000 });

const admin = DEV_OPERATORS.find((operator) => operator.role === "admin")!;
const viewer = DEV_OPERATORS.find((operator) => operator.role === "viewer")!;

test("a signed-out visitor of the dashboard is sent to the sign-in page", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Вход для операторов" })).toBeVisible();
  await expect(page.getByLabel("Email")).toBeVisible();
  await expect(page.getByLabel("Пароль")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("a wrong password is refused with a message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Пароль").fill("not-the-password");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Неверный email или пароль");
  await expectNoSeriousA11yViolations(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
});

test("a seeded admin signs in, sees the dashboard shell and signs out", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Пароль").fill(admin.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Сессии выплат" })).toBeVisible();
  await expect(page.getByTestId("operator-name")).toHaveText(admin.name);
  await expect(page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Сессии выплат" })).toHaveAttribute("aria-current", "page");
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Выйти" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
});

test("the viewer role signs in with its own name and role", async ({ page }) => {
  await page.goto("/login?callbackUrl=%2Fdashboard");
  await page.getByLabel("Email").fill(viewer.email);
  await page.getByLabel("Пароль").fill(viewer.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByTestId("operator-name")).toHaveText(viewer.name);
  await expect(page.getByText("Наблюдатель")).toBeVisible();
});

test("health reports the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", database: { status: "up", kind: "pglite" } });
});
