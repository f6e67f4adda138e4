import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEV_OPERATORS } from "../../../lib/auth/seed";
import type { OperatorRole } from "../../../lib/generated/prisma/enums";

export const seededOperator = (role: OperatorRole) => DEV_OPERATORS.find((operator) => operator.role === role)!;
/** The seeded second approver: maker ≠ checker needs another approver than the one who created a payout. */
export const secondApprover = DEV_OPERATORS.find((operator) => operator.email === "approver2@portal.test")!;

export interface SignInOptions {
  /** Where the sign-in should land (a /dashboard path); default /dashboard. */
  callbackUrl?: string;
  /** The portal's origin when the page has no baseURL or another instance is meant. */
  origin?: string;
}

/**
 * Signs in through the /login form as a person would. A click that lands before the form has hydrated
 * submits it natively and returns to /login, so the whole attempt is retried until it reaches the dashboard.
 */
export async function signInThroughForm(page: Page, who: OperatorRole | { email: string; password: string }, options: SignInOptions = {}): Promise<void> {
  const operator = typeof who === "string" ? seededOperator(who) : who;
  const callbackUrl = options.callbackUrl ?? "/dashboard";
  const loginUrl = `${options.origin ?? ""}/login?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  await expect(async () => {
    await page.goto(loginUrl, { waitUntil: "networkidle" });
    await page.getByLabel("Email").fill(operator.email);
    await page.getByLabel("Пароль").fill(operator.password);
    await page.getByRole("button", { name: "Войти" }).click();
    // scrypt at OWASP's parameters (128 MiB, up to seconds on a busy machine) runs before the redirect.
    await expect(page).toHaveURL(/\/dashboard/, { timeout: 20_000 });
  }).toPass({ timeout: 45_000 });
}

/** A fresh Russian-locale, Moscow-time browser context signed in through the form as the seeded operator of `role`. */
export async function signedInContext(browser: Browser, role: OperatorRole): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow" });
  const page = await context.newPage();
  await signInThroughForm(page, role);
  await page.close();
  return context;
}
