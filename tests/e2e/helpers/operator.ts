import { test as base, expect, type APIRequestContext, type Browser } from "@playwright/test";
import { sameOrigin } from "./same-origin";
import { secondApprover, signInThroughForm } from "./sign-in";

/**
 * The operator side of recipient tests: the seeded approver signs in once per worker through the
 * /login form; each test gets an API client with that session to create and revoke requests. Maker ≠
 * checker: approvals go through the seeded second approver's session.
 * Recipient pages run in the test's own fresh browser context (no operator cookies).
 */

export interface CreatedPayout {
  id: string;
  number: number;
  /** `/p/<token>`: the recipient link, relative to the portal. */
  path: string;
  token: string;
}

export interface PayoutInput {
  amountKopecks: number;
  recipientName: string;
  purpose: string;
  method: "card_widget" | "bank_account" | "sbp";
  sbpPhone?: string;
  sourceAccount?: "regular" | "escrow" | "settlement";
  beneficiaryInn?: string;
  beneficiaryName?: string;
}

export class Operator {
  constructor(
    private readonly api: APIRequestContext,
    private readonly checker: APIRequestContext,
  ) {}

  async createPayout(input: PayoutInput): Promise<CreatedPayout> {
    const response = await this.api.post("/api/payouts", sameOrigin({ sourceAccount: "regular", ...input }));
    expect(response.status(), await response.text()).toBe(201);
    const body = (await response.json()) as { id: string; number: number; link: { url: string } };
    const path = new URL(body.link.url).pathname;
    return { id: body.id, number: body.number, path, token: path.split("/").pop()! };
  }

  async revoke(id: string, reason = "Выплата больше не нужна"): Promise<void> {
    const response = await this.api.post(`/api/payouts/${id}/revoke`, sameOrigin({ reason }));
    expect(response.status(), await response.text()).toBe(200);
  }

  async approve(id: string): Promise<void> {
    const response = await this.checker.post(`/api/payouts/${id}/confirm`, sameOrigin());
    expect(response.status(), await response.text()).toBe(200);
  }
}

type StorageState = Awaited<ReturnType<APIRequestContext["storageState"]>>;

async function sessionOf(browser: Browser, baseURL: string | undefined, who: Parameters<typeof signInThroughForm>[1]): Promise<StorageState> {
  const context = await browser.newContext({ baseURL, locale: "ru-RU" });
  const page = await context.newPage();
  await signInThroughForm(page, who);
  const state = await context.storageState();
  await context.close();
  return state;
}

export const test = base.extend<{ operator: Operator }, { operatorSession: StorageState; checkerSession: StorageState }>({
  operatorSession: [async ({ browser }, provide, workerInfo) => provide(await sessionOf(browser, workerInfo.project.use.baseURL, "approver")), { scope: "worker" }],
  checkerSession: [async ({ browser }, provide, workerInfo) => provide(await sessionOf(browser, workerInfo.project.use.baseURL, secondApprover)), { scope: "worker" }],
  operator: async ({ playwright, baseURL, operatorSession, checkerSession }, provide) => {
    const api = await playwright.request.newContext({ baseURL, storageState: operatorSession });
    const checker = await playwright.request.newContext({ baseURL, storageState: checkerSession, extraHTTPHeaders: baseURL ? { origin: new URL(baseURL).origin } : {} });
    await provide(new Operator(api, checker));
    await api.dispose();
    await checker.dispose();
  },
});

export { expect };
