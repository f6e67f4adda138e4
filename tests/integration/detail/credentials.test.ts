import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvePayout } from "@/lib/payouts/decisions";
import { getPayoutDetail, listWebhookDeliveries } from "@/lib/payouts/detail";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { listSavedInstruments } from "@/lib/payouts/saved-instruments";
import { CreatePayoutRequestSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { testDatabaseKinds } from "../../helpers/database";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

/**
 * Issue 9, item 6: reusable credentials (card hashes, card tokens, recurrent tokens) never reach a viewer
 * in full: not in the timeline's recorded bank calls and webhooks, not in the saved-instrument lookup.
 */
describe.each(testDatabaseKinds())("credentials shown to operators on %s", (kind) => {
  let portal: TestPortal;
  let approverId: string;
  let checker: { type: "operator"; id: string };
  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 3_000 });
    approverId = (
      await portal.deps.prisma.operator.create({ data: { email: `approver-${kind}@credentials.test`, name: "Пётр Согласов", role: "approver", passwordHash: "scrypt$test" } })
    ).id;
    checker = await addApprover(portal.deps.prisma, "Ольга Проверкина");
  });
  afterAll(async () => {
    await portal?.close();
  });

  async function paid(recipientName: string, input: Partial<CreatePayoutRequestInput>) {
    const parsed = CreatePayoutRequestSchema.parse({ amountKopecks: 50_000, recipientName, purpose: "Выплата по договору", ...input });
    const { request } = await createPayoutRequest(portal.deps, parsed, { type: "operator", id: approverId });
    await portal.waitForStatus(request.id, "awaiting_approval");
    await approvePayout(portal.deps, { payoutRequestId: request.id, actor: checker });
    await portal.waitForStatus(request.id, "paid");
    return request.id;
  }

  const secretsIn = (value: unknown, secrets: string[]) => {
    const text = JSON.stringify(value);
    return secrets.filter((secret) => text.includes(secret));
  };

  it("timeline, webhook inbox and saved-instrument lookup carry no full hash or token; a saved card is picked by id", async () => {
    const visa = await portal.sandbox.control.card("4276000000000017");
    const name = "Токенов Тимур";
    const byToken = await paid(name, { method: "card_saved", savedInstrument: { kind: "card_token", token: visa.token } });
    const byRecurrent = await paid(name, { method: "recurrent", savedInstrument: { kind: "recurrent", token: visa.recurrent_token } });
    const secrets = [visa.token, visa.recurrent_token, visa.number_hash];

    for (const id of [byToken, byRecurrent]) {
      // payment_finished lands in the inbox after the status event; the timeline shows it then.
      await expect.poll(async () => (await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings))?.timeline.filter((entry) => entry.kind === "webhook").length, { timeout: 15_000 }).toBe(2);
      const detail = await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings);
      expect(JSON.stringify(detail)).toMatch(/"(?:request|response)"/u);
      expect(secretsIn(detail, secrets)).toEqual([]);
    }
    expect(secretsIn(await listWebhookDeliveries(portal.deps.prisma, { limit: 100 }), secrets)).toEqual([]);

    const saved = await listSavedInstruments(portal.deps.prisma, name);
    expect(saved.map((option) => option.kind).sort()).toEqual(["card_token", "recurrent"]);
    expect(secretsIn(saved, secrets)).toEqual([]);
    // The redacted form still tells two instruments apart: prefix…suffix.
    expect(saved.find((option) => option.kind === "recurrent")?.redacted).toBe(`${visa.recurrent_token.slice(0, 4)}…${visa.recurrent_token.slice(-4)}`);

    // Paying again by the option's opaque id: the server puts the token back.
    const option = saved.find((candidate) => candidate.kind === "recurrent")!;
    const again = await paid(name, { method: "recurrent", savedInstrument: { kind: "saved", id: option.id } });
    const row = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: again } });
    expect(row.recurrentToken).toBe(visa.recurrent_token);
  });

  it("an id of another recipient's instrument, or of the wrong method, is refused with instrument_unknown", async () => {
    const mir = await portal.sandbox.control.card("2200240000014940");
    const paidId = await paid("Чужой Человек", { method: "card_saved", savedInstrument: { kind: "card_token", token: mir.token } });
    const [option] = await listSavedInstruments(portal.deps.prisma, "Чужой Человек");
    expect(option?.id).toBeDefined();
    const attempt = (recipientName: string, method: "card_saved" | "recurrent") =>
      createPayoutRequest(
        portal.deps,
        CreatePayoutRequestSchema.parse({ amountKopecks: 1_000, recipientName, purpose: "Выплата", method, savedInstrument: { kind: "saved", id: option!.id } }),
        { type: "operator", id: approverId },
      ).catch((error: unknown) => error);
    expect(await attempt("Другой Получатель", "card_saved")).toMatchObject({ code: "instrument_unknown" });
    expect(await attempt("Чужой Человек", "recurrent")).toMatchObject({ code: "instrument_unknown" });
    expect(paidId).toBeDefined();
  });
});
