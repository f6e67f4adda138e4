import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECIPIENT } from "@/lib/payouts/audit";
import { approvePayout } from "@/lib/payouts/decisions";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { checkTaxpayerStep, issueSelfEmployedWidgetToken, moscowYear, NPD_ANNUAL_INCOME_LIMIT_KOPECKS } from "@/lib/payouts/self-employed";
import { startPayout } from "@/lib/payouts/start";
import { withInnControlDigits } from "@/lib/validation/ru-banking";
import { TEST_BANK_ACCOUNTS, TEST_CARDS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "../../helpers/database";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

/**
 * Self-employed (НПД) payouts against the real sandbox process: the INN check, linking, the fiscalized
 * start, the receipt, and the portal's annual income limit (refused before any bank call).
 */

const INN = { linked: "770713100139", notLinked: "770713100202", notSelfEmployed: "770713100386" } as const;
const mirCard = TEST_CARDS.find((card) => card.id === "mir_success")!;
const account = TEST_BANK_ACCOUNTS.find((item) => item.id === "account_success")!;

function request(inn: string, amountKopecks = 150_000, overrides: Partial<CreatePayoutRequestInput> = {}) {
  return CreatePayoutRequestSchema.parse({
    amountKopecks,
    recipientName: "Иванов Иван Иванович",
    purpose: "Оплата услуг по договору",
    method: "card_widget",
    selfEmployed: { inn, services: [{ name: "Доставка товаров", amountKopecks: amountKopecks / 2, quantity: 2 }] },
    ...overrides,
  });
}

describe.each(testDatabaseKinds())("self-employed payouts (%s)", (kind) => {
  let portal: TestPortal;
  let maker: { type: "operator"; id: string };
  let checker: { type: "operator"; id: string };

  beforeAll(async () => {
    portal = await createTestPortal(kind, { sandboxEnv: { SANDBOX_NPD_CHECK_DELAY_MS: "100", SANDBOX_READY_DELAY_MS: "50" } });
    maker = await addApprover(portal.deps.prisma, "Создатель Выплат");
    checker = await addApprover(portal.deps.prisma, "Проверяющий Выплат");
  });
  afterAll(async () => {
    await portal?.close();
  });

  async function checkUntilAnswered(payoutRequestId: string) {
    let status: string | null = null;
    await expect
      .poll(async () => (status = await checkTaxpayerStep(portal.deps, payoutRequestId)), { timeout: 10_000, interval: 50 })
      .not.toBe("checking");
    return status;
  }

  async function startWithCard(payoutRequestId: string) {
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    return startPayout(portal.deps, { payoutRequestId, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
  }

  it("linked INN: session/start/payout/fiscalization with the payer from settings → approved by another approver → paid, receipt stored", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(INN.linked), maker);
    expect(created).toMatchObject({ selfEmployedInn: INN.linked, npdStatus: "checking" });
    expect(await checkUntilAnswered(created.id)).toBe("linked");

    expect(await startWithCard(created.id)).toMatchObject({ started: true });
    const call = await portal.deps.prisma.bankCall.findFirstOrThrow({ where: { payoutRequestId: created.id, method: "session/start/payout/fiscalization" } });
    expect(call.requestBody).toMatchObject({
      fiscalization_details: {
        professional_income_taxpayer: {
          tax_reference: INN.linked,
          payer_type: "legal",
          payer_tax_number: "7701001319",
          payer_name: "ООО «Демо-партнёр»",
          services: [{ name: "Доставка товаров", amount_details: { amount: 75_000, currency: "rub" }, quantity: 2 }],
        },
      },
    });
    await portal.waitForStatus(created.id, "awaiting_approval");
    await approvePayout(portal.deps, { payoutRequestId: created.id, actor: checker });
    await portal.waitForStatus(created.id, "paid");
    await expect
      .poll(async () => (await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id } })).receiptLink, { timeout: 10_000, interval: 50 })
      .toContain(`/npd/receipts/${INN.linked}/`);
    const paid = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id } });
    expect(paid.receiptId).toEqual(expect.any(String));
    expect(paid.npdIncomeYear).toBe(moscowYear(new Date()));
    const receiptPage = await fetch(paid.receiptLink!);
    expect(receiptPage.status).toBe(200);
    expect(await receiptPage.text()).toContain("Доставка товаров");
  });

  it("bank account (the single-request flow): session/init/payout/fiscalization, paid with a receipt", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(INN.linked, 40_000, { method: "bank_account" }), maker);
    expect(await checkUntilAnswered(created.id)).toBe("linked");
    const tokenized = await portal.deps.bank.tokenize({ type: "bank_account_ru", bank_account_ru: { bik: account.bik, account: account.account } });
    const outcome = await startPayout(portal.deps, {
      payoutRequestId: created.id,
      instrument: { kind: "bank_account_token", token: tokenized.token },
      actor: RECIPIENT,
      viaLinkToken: true,
    });
    expect(outcome).toMatchObject({ started: true });
    const methods = (await portal.deps.prisma.bankCall.findMany({ where: { payoutRequestId: created.id }, orderBy: { createdAt: "asc" } })).map((call) => call.method);
    expect(methods).toContain("session/init/payout/fiscalization");
    expect(methods).not.toContain("session/init/payout");
    await portal.waitForStatus(created.id, "awaiting_approval");
    await approvePayout(portal.deps, { payoutRequestId: created.id, actor: checker });
    await portal.waitForStatus(created.id, "paid");
    await expect
      .poll(async () => (await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id } })).receiptLink, { timeout: 10_000, interval: 50 })
      .toContain(`/npd/receipts/${INN.linked}/`);
  });

  it("self-employed but not linked: the link cannot start until the person links Bank 131 with the widget", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(INN.notLinked), maker);
    expect(await checkUntilAnswered(created.id)).toBe("not_linked");
    await expect(startWithCard(created.id)).rejects.toMatchObject({ code: "npd_not_linked" });
    expect(await portal.deps.prisma.bankSession.count({ where: { payoutRequestId: created.id } })).toBe(0);

    const row = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id } });
    const { publicToken, taxReference } = await issueSelfEmployedWidgetToken(portal.deps, row);
    expect(taxReference).toBe(INN.notLinked);
    // What the widget does in the browser, then the person's answer in «Мой налог».
    const sent = await fetch(`${portal.sandbox.url}/self-employed/v1/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ public_token: publicToken, tax_reference_or_phone: INN.notLinked }),
    }).then((r) => r.json());
    expect(sent).toMatchObject({ status: "ok", state: "request_sent" });
    await portal.sandbox.control.post(`/sandbox/npd/bindings/${INN.notLinked}/confirm`);

    await expect.poll(() => checkTaxpayerStep(portal.deps, created.id), { timeout: 10_000, interval: 100 }).toBe("linked");
    expect(await startWithCard(created.id)).toMatchObject({ started: true });
    await portal.waitForStatus(created.id, "awaiting_approval");
    const audit = await portal.deps.prisma.auditEvent.findMany({ where: { payoutRequestId: created.id, action: { startsWith: "npd." } }, orderBy: { id: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["npd.not_linked", "npd.linked"]);
  });

  it("not self-employed: the status says so (the operator sees why) and no widget token is issued", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(INN.notSelfEmployed), maker);
    expect(await checkUntilAnswered(created.id)).toBe("not_self_employed");
    const row = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.npdStatus).toBe("not_self_employed");
    await expect(issueSelfEmployedWidgetToken(portal.deps, row)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(startWithCard(created.id)).rejects.toMatchObject({ code: "npd_not_linked" });
  });

  describe("annual income limit (2 400 000 ₽ per INN per Moscow year)", () => {
    const year = () => moscowYear(new Date());

    /** An INN with `earned` kopecks already paid this year (a payout row as the portal keeps it). */
    async function innWithIncome(body: string, earned: number) {
      const inn = withInnControlDigits(body);
      await portal.deps.prisma.payoutRequest.create({
        data: {
          amountKopecks: BigInt(earned),
          recipientName: "Петров Пётр Петрович",
          purpose: "Ранее выплачено",
          method: "card_widget",
          status: "paid",
          selfEmployedInn: inn,
          npdStatus: "linked",
          npdIncomeYear: year(),
          linkTokenHash: body.padEnd(64, "0"),
          linkExpiresAt: new Date(Date.now() + 3_600_000),
        },
      });
      return inn;
    }

    it("refuses at creation when the limit is already evident, with limit, used and amount, and calls no bank", async () => {
      const inn = await innWithIncome("5001007311", 239_000_000);
      const sessionsBefore = (await portal.sandbox.control.get("/sandbox/sessions")).sessions.length;
      const refused = await createPayoutRequest(portal.deps, request(inn, 2_000_000), maker).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: "npd_annual_limit", details: { params: { limit: NPD_ANNUAL_INCOME_LIMIT_KOPECKS, used: 239_000_000, amount: 2_000_000, left: 1_000_000 } } });
      expect(await portal.deps.prisma.payoutRequest.count({ where: { selfEmployedInn: inn } })).toBe(1);
      expect((await portal.sandbox.control.get("/sandbox/sessions")).sessions.length).toBe(sessionsBefore);
      // Exactly up to the limit is allowed.
      await expect(createPayoutRequest(portal.deps, request(inn, 1_000_000), maker)).resolves.toMatchObject({ request: { selfEmployedInn: inn } });
    });

    it("two concurrent starts that together pass the limit: exactly one reaches the bank, the other is refused with no bank call", async () => {
      const inn = await innWithIncome("5001007312", 239_000_000);
      // Each alone fits (created fine); both together would pass 2 400 000 ₽.
      const a = await createPayoutRequest(portal.deps, request(inn, 600_000), maker);
      const b = await createPayoutRequest(portal.deps, request(inn, 600_000), maker);
      await portal.deps.prisma.payoutRequest.updateMany({ where: { id: { in: [a.request.id, b.request.id] } }, data: { npdStatus: "linked" } });

      const outcomes = await Promise.allSettled([startWithCard(a.request.id), startWithCard(b.request.id)]);
      const started = outcomes.filter((o) => o.status === "fulfilled");
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toMatchObject({ code: "npd_annual_limit", details: { params: { used: 239_600_000, amount: 600_000 } } });

      const loserId = outcomes[0]!.status === "rejected" ? a.request.id : b.request.id;
      const loser = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: loserId }, include: { bankSession: true } });
      expect(loser.status).toBe("awaiting_recipient");
      expect(loser.bankSession).toBeNull();
      expect(await portal.deps.prisma.bankCall.count({ where: { payoutRequestId: loserId } })).toBe(0);
    });

    it("failed and cancelled payouts do not count; another year does not count", async () => {
      const inn = await innWithIncome("5001007313", 100_000_000);
      await portal.deps.prisma.payoutRequest.updateMany({ where: { selfEmployedInn: inn }, data: { npdIncomeYear: year() - 1 } });
      await expect(createPayoutRequest(portal.deps, request(inn, 50_000_000), maker)).resolves.toBeDefined();
      const failed = await createPayoutRequest(portal.deps, request(inn, 50_000_000), maker);
      await portal.deps.prisma.payoutRequest.update({ where: { id: failed.request.id }, data: { status: "failed", npdIncomeYear: year() } });
      // Not started (awaiting_recipient) and failed payouts leave the whole limit.
      await expect(createPayoutRequest(portal.deps, request(inn, 50_000_000), maker)).resolves.toBeDefined();
    });
  });
});
