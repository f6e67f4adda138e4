import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "@/lib/bank131/signature";
import { HttpError } from "@/lib/http/errors";
import { createApiKey, verifyApiKey, type PartnerPrincipal } from "@/lib/partner-api/keys";
import { createPayoutRequestForPartner } from "@/lib/partner-api/service";
import { RECIPIENT } from "@/lib/payouts/audit";
import { listWebhookDeliveries } from "@/lib/payouts/detail";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import { testDatabaseKinds } from "@/tests/helpers/database";
import { createTestPortal, type TestPortal } from "@/tests/helpers/portal";

/** Odd but typed or signed input never ends in a 500 (issue 9, item 8). */

describe.each(testDatabaseKinds())("odd input on %s", (kind) => {
  let portal: TestPortal;
  let principal: PartnerPrincipal;
  beforeAll(async () => {
    portal = await createTestPortal(kind);
    const created = await createApiKey(portal.deps.prisma, { name: "odd", actor: { type: "system" } });
    principal = (await verifyApiKey(portal.deps.prisma, created.key))!;
  });
  afterAll(async () => {
    await portal?.close();
  });

  it.each(["purpose", "reference", "beneficiary_name"])("a NUL character in %s is a 400 naming the field, and nothing is stored", async (field) => {
    const body: Record<string, unknown> = {
      amount_kopecks: 10_000,
      recipient_name: "Petrov Petr",
      purpose: "Выплата по договору",
      method: "card_widget",
      ...(field === "beneficiary_name" ? { source_account: "escrow", beneficiary_inn: "7707083893", beneficiary_name: "ООО Ромашка" } : {}),
    };
    body[field] = `Договор\u00001`;
    const before = await portal.deps.prisma.payoutRequest.count();
    const error = await createPayoutRequestForPartner(portal.deps, principal, { rawBody: JSON.stringify(body), idempotencyKey: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, field });
    expect(await portal.deps.prisma.payoutRequest.count()).toBe(before);
  });

  it("the operator form's schema refuses a NUL character in purpose and reference, naming the field", () => {
    const base = { amountKopecks: 10_000, recipientName: "Иванов Иван", purpose: "Выплата", method: "card_widget" };
    for (const field of ["purpose", "reference", "recipientEmail"] as const) {
      const parsed = CreatePayoutRequestSchema.safeParse({ ...base, [field]: field === "recipientEmail" ? "a\u0000@b.ru" : "Выплата\u0000" });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual([field]);
    }
  });

  async function awaitingApprovalWebhook() {
    const { request } = await createPayoutRequest(
      portal.deps,
      CreatePayoutRequestSchema.parse({ amountKopecks: 10_000, recipientName: "Иванов Иван", purpose: "Выплата по договору", method: "card_widget" }),
      { type: "system" },
    );
    const { number_hash } = await portal.sandbox.control.card("2200240000014940");
    await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    await portal.waitForStatus(request.id, "awaiting_approval");
    const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });
    const ready = await portal.deps.prisma.webhookInbox.findFirstOrThrow({ where: { bankSessionId: session.bankSessionId, eventType: "ready_to_confirm" } });
    const json = JSON.parse(ready.rawBody!) as { type: string; session: { status: string; payout_list: Array<Record<string, unknown>> } };
    return { requestId: request.id, json };
  }

  const bank = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const deps = () => ({ ...portal.deps, bankPublicKey: bank.publicKey });

  it.each([
    ["an invalid date", "2026-02-30T25:61", { status: "succeeded", finished_at: "2026-02-30T25:61:00.000000Z" }],
    ["a NUL character in a text the portal stores", "Card\\u0000declined", { status: "failed", error: { code: "declined_by_issuer_bank", description: "Card\u0000declined" } }],
  ])("a signed webhook with %s is stored as unparseable, acknowledged and shown to operators", async (_label, marker, payout) => {
    const { requestId, json } = await awaitingApprovalWebhook();
    // The bank's own delivery with changed news, signed by "the bank".
    json.type = "payment_finished";
    json.session.status = payout.status === "succeeded" ? "accepted" : "cancelled";
    json.session.payout_list[0] = { ...json.session.payout_list[0], ...payout };
    const raw = JSON.stringify(json);

    const outcome = await ingestWebhook(deps(), { rawBody: Buffer.from(raw), signature: signBody(raw, bank.privateKey) });
    expect(outcome).toMatchObject({ accepted: true, duplicate: false });
    expect(outcome.accepted && outcome.effect).toMatch(/^error:(unparseable|unstorable)/);
    // Acknowledged once means acknowledged for good: the retry is a duplicate, not another failure.
    const again = await ingestWebhook(deps(), { rawBody: Buffer.from(raw), signature: signBody(raw, bank.privateKey) });
    expect(again).toMatchObject({ accepted: true, duplicate: true });

    const inbox = await listWebhookDeliveries(portal.deps.prisma, { verdict: "verified" });
    const stored = inbox.items.find((item) => /^error:(unparseable|unstorable)/.test(item.effect ?? "") && item.rawBody?.includes(marker));
    expect(stored).toBeDefined();
    expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("awaiting_approval");
  });
});
