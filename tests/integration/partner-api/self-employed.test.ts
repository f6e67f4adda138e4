import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toErrorAnswer } from "@/lib/http/errors";
import { createApiKey, verifyApiKey, type PartnerPrincipal } from "@/lib/partner-api/keys";
import { createPayoutRequestForPartner, getPayoutRequestForPartner } from "@/lib/partner-api/service";
import { withInnControlDigits } from "@/lib/validation/ru-banking";
import { testDatabaseKinds } from "@/tests/helpers/database";
import { createTestPortal, type TestPortal } from "@/tests/helpers/portal";

/** The partner API's `self_employed` (snake_case wire): accepted, stored, read back; refusals are 4xx naming the field. */

const INN = "770713100139";

describe.each(testDatabaseKinds())("partner API: self-employed payouts on %s", (kind) => {
  let portal: TestPortal;
  let principal: PartnerPrincipal;
  beforeAll(async () => {
    portal = await createTestPortal(kind);
    const created = await createApiKey(portal.deps.prisma, { name: "npd", actor: { type: "system" } });
    principal = (await verifyApiKey(portal.deps.prisma, created.key))!;
  });
  afterAll(async () => {
    await portal?.close();
  });

  const body = (selfEmployed: unknown, overrides: Record<string, unknown> = {}) =>
    JSON.stringify({ amount_kopecks: 300_000, recipient_name: "Иванов Иван", purpose: "Оплата услуг", method: "card_widget", self_employed: selfEmployed, ...overrides });
  const services = [
    { name: "Доставка", amount: 100_000, quantity: 2 },
    { name: "Упаковка", amount: 100_000, quantity: 1 },
  ];

  /** The answer a route would send: a refusal thrown before the idempotency store, or a stored one. */
  type Answer = { status: number; body: { id?: string; error?: { code: string; field?: string; message: string; params?: Record<string, unknown> } } };
  async function answer(rawBody: string): Promise<Answer> {
    try {
      const response = await createPayoutRequestForPartner(portal.deps, principal, { rawBody, idempotencyKey: null });
      return { status: response.status, body: response.body as Answer["body"] };
    } catch (error) {
      const { status, body } = toErrorAnswer(error);
      return { status, body: body as Answer["body"] };
    }
  }

  it("creates a self-employed payout and reads it back with its tax-service status", async () => {
    const created = await answer(body({ inn: INN, services }));
    expect(created.status).toBe(201);
    const row = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.body.id! } });
    expect(row.selfEmployedInn).toBe(INN);
    expect(row.selfEmployedServices).toEqual([
      { name: "Доставка", amountKopecks: 100_000, quantity: 2 },
      { name: "Упаковка", amountKopecks: 100_000, quantity: 1 },
    ]);
    expect(await getPayoutRequestForPartner(portal.deps, created.body.id!)).toMatchObject({ self_employed: { inn: INN, npd_status: "checking", receipt_link: null } });
  });

  it.each([
    ["services that do not add up", { inn: INN, services: [{ name: "Доставка", amount: 100_000, quantity: 2 }] }, {}, "self_employed.services"],
    ["a 10-digit (company) INN", { inn: "7701001319", services }, {}, "self_employed.inn"],
    ["a bad INN checksum", { inn: "770713100130", services }, {}, "self_employed.inn"],
    ["a service without a name", { inn: INN, services: [{ name: "", amount: 300_000, quantity: 1 }] }, {}, "self_employed.services.0.name"],
    ["a fractional amount", { inn: INN, services: [{ name: "Доставка", amount: 1.5, quantity: 1 }] }, {}, "self_employed.services.0.amount"],
    ["a zero quantity", { inn: INN, services: [{ name: "Доставка", amount: 300_000, quantity: 0 }] }, {}, "self_employed.services.0.quantity"],
    ["seven services", { inn: INN, services: Array.from({ length: 7 }, () => ({ name: "x", amount: 1, quantity: 1 })) }, {}, "self_employed.services"],
    ["no services", { inn: INN, services: [] }, {}, "self_employed.services"],
    ["an unknown service field", { inn: INN, services: [{ name: "x", amount_kopecks: 300_000, quantity: 1 }] }, {}, "self_employed.services.0.amount_kopecks"],
    ["an unknown self_employed field", { inn: INN, services, payer_inn: "7701001319" }, {}, "self_employed.payer_inn"],
    ["a recurrent token", { inn: INN, services }, { method: "recurrent", saved_instrument: { kind: "recurrent", token: "9a8a650c49de69eb98549027c5bc366f5bda51efe59bb8c0e02eb8a8a4e359da" } }, "method"],
    ["the escrow account", { inn: INN, services }, { source_account: "escrow", beneficiary_inn: "7701001319", beneficiary_name: "ООО Ромашка" }, "source_account"],
  ])("refuses %s with 400 naming the field", async (_name, selfEmployed, overrides, field) => {
    const before = await portal.deps.prisma.payoutRequest.count();
    const refused = await answer(body(selfEmployed, overrides));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "invalid_request", field });
    expect(refused.body.error!.message.startsWith(`${field}:`)).toBe(true);
    expect(refused.body.error!.message).not.toMatch(/[А-Яа-яЁё]/u);
    expect(await portal.deps.prisma.payoutRequest.count()).toBe(before);
  });

  it("refuses a payout past the annual limit with 422 npd_annual_limit and its params", async () => {
    const inn = withInnControlDigits("5001007399");
    await portal.deps.prisma.payoutRequest.create({
      data: {
        amountKopecks: 239_900_000n,
        recipientName: "Петров Пётр",
        purpose: "Ранее выплачено",
        method: "card_widget",
        status: "paid",
        selfEmployedInn: inn,
        npdStatus: "linked",
        npdIncomeYear: new Date(Date.now() + 3 * 3_600_000).getUTCFullYear(),
        linkTokenHash: "f".repeat(64),
        linkExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const refused = await answer(body({ inn, services }));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "npd_annual_limit", field: "self_employed.inn", params: { limit: 240_000_000, used: 239_900_000, amount: 300_000, left: 100_000 } });
  });
});
