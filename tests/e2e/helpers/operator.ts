import { test as base, expect, type APIRequestContext } from "@playwright/test";
import { signInThroughForm } from "./sign-in";
import { sameOrigin } from "./same-origin";

/**
 * The operator side of recipient tests: the seeded approver signs in once per worker through the
 * /login form; each test gets an API client with that session to create, revoke and approve requests.
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
  method: "card_widget" | "bank_account";
  sourceAccount?: "regular" | "escrow" | "settlement";
  beneficiaryInn?: string;
  beneficiaryName?: string;
}

export class Operator {
  constructor(private readonly api: APIRequestContext) {}

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
    const response = await this.api.post(`/api/payouts/${id}/confirm`, sameOrigin());
    expect(response.status(), await response.text()).toBe(200);
  }
}

type StorageState = Awaited<ReturnType<APIRequestContext["storageState"]>>;

export const test = base.extend<{ operator: Operator }, { operatorSession: StorageState }>({
  operatorSession: [
    async ({ browser }, provide, workerInfo) => {
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL, locale: "ru-RU" });
      const page = await context.newPage();
      await signInThroughForm(page, "approver");
      const state = await context.storageState();
      await context.close();
      await provide(state);
    },
    { scope: "worker" },
  ],
  operator: async ({ playwright, baseURL, operatorSession }, provide) => {
    const api = await playwright.request.newContext({ baseURL, storageState: operatorSession });
    await provide(new Operator(api));
    await api.dispose();
  },
});

export { expect };
