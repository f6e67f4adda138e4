import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPrivateKey, signBody } from "@/lib/bank131/signature";
import { RECIPIENT } from "@/lib/payouts/audit";
import { PaymentSessionSchema } from "@/lib/bank131/schemas";
import { applyBankNews } from "@/lib/payouts/apply";
import { approvePayout } from "@/lib/payouts/decisions";
import { reconcileOnce } from "@/lib/payouts/reconcile";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { startPayout, type StartInstrument } from "@/lib/payouts/start";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import { TEST_BANK_ACCOUNTS, TEST_CARDS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "../../helpers/database";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

/** Issue 9 items 1 (refunds), 3 (escrow confirm_information) and 7 (fair reconciliation, audit of the past). */
const OPERATOR = { type: "operator" as const, id: null };
const mirCard = TEST_CARDS.find((card) => card.id === "mir_success")!;
const refundedAccount = TEST_BANK_ACCOUNTS.find((item) => item.id === "account_refunded")!;
const RECONCILE = { staleAfterMs: 0, runner: "test" };

describe.each(testDatabaseKinds())("bank news, escrow echo and reconciliation (%s)", (kind) => {
  let portal: TestPortal;
  let approver: { type: "operator"; id: string };

  beforeAll(async () => {
    // A refund comes 1.5 s after success: time to hold its webhook back in the missed-refund test.
    portal = await createTestPortal(kind, { bankTimeoutMs: 5_000, sandboxEnv: { SANDBOX_REFUND_DELAY_MS: "1500", SANDBOX_WEBHOOK_TIMEOUT_MS: "5000" } });
    approver = await addApprover(portal.deps.prisma, "Ольга Проверкина");
  });
  afterAll(async () => {
    await portal?.close();
  });

  function input(overrides: Partial<CreatePayoutRequestInput> = {}) {
    return CreatePayoutRequestSchema.parse({ amountKopecks: 99_900, recipientName: "Смирнов Пётр Ильич", purpose: "Оплата работ", method: "card_widget", ...overrides });
  }

  async function started(overrides: Partial<CreatePayoutRequestInput> = {}) {
    const { request } = await createPayoutRequest(portal.deps, input(overrides), OPERATOR);
    let instrument: StartInstrument;
    if (overrides.method === "bank_account") {
      const tokenized = await portal.deps.bank.tokenize({ type: "bank_account_ru", bank_account_ru: { bik: refundedAccount.bik, account: refundedAccount.account } });
      instrument = { kind: "bank_account_token", token: tokenized.token, bik: refundedAccount.bik };
    } else {
      instrument = { kind: "card_hash", numberHash: (await portal.sandbox.control.card(mirCard.number)).number_hash };
    }
    await startPayout(portal.deps, { payoutRequestId: request.id, instrument, actor: RECIPIENT, viaLinkToken: true });
    const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });
    return { id: request.id, bankSessionId: session.bankSessionId! };
  }

  const statusOf = async (id: string) => (await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id } })).status;
  const waitingForDecision = (view: unknown) => JSON.stringify(view).includes('"next_action":"confirm"');

  async function untilStored(bankSessionId: string, type: string): Promise<void> {
    const stored = async () => (await portal.deps.prisma.webhookInbox.count({ where: { bankSessionId, eventType: type } })) > 0;
    for (;;) {
      const next = portal.nextEvent((event) => event.type === "webhook.received", 15_000);
      if (await stored()) {
        next.catch(() => {});
        return;
      }
      await next;
    }
  }

  it("older news of the same rank (our start call's answer, applied after the webhook it caused) keeps the webhook's next action", async () => {
    const { id, bankSessionId } = await started();
    await portal.waitForStatus(id, "awaiting_approval");
    const stored = await portal.deps.prisma.webhookInbox.findFirstOrThrow({ where: { bankSessionId, eventType: "ready_to_confirm" } });
    const webhookSession = (JSON.parse(stored.rawBody!) as { session: Record<string, unknown> }).session;
    const at = (offsetMs: number) => new Date(Date.parse(String(webhookSession.updated_at)) + offsetMs).toISOString();
    const news = (updatedAt: string, nextAction?: string) =>
      PaymentSessionSchema.parse({ ...webhookSession, status: "in_progress", next_action: nextAction, updated_at: updatedAt });
    const nextAction = async () => (await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: id } })).nextAction;
    expect(await nextAction()).toBe("confirm");

    // The answer to session/start: same rank, no next action yet, a minute older than the webhook.
    await applyBankNews(portal.deps, { session: news(at(-60_000)), source: "start" });
    expect(await nextAction()).toBe("confirm");
    expect(await statusOf(id)).toBe("awaiting_approval");

    // Newer news of the same rank is applied: the bank no longer asks for a confirmation.
    await applyBankNews(portal.deps, { session: news(at(60_000)), source: "reconcile" });
    expect(await nextAction()).toBeNull();
    expect((await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: id } })).bankUpdatedAt?.toISOString()).toBe(at(60_000));
  });

  it("news naming one bank payout twice stores it once, as the later entry leaves it", async () => {
    const { id, bankSessionId } = await started();
    await portal.waitForStatus(id, "awaiting_approval");
    const stored = await portal.deps.prisma.webhookInbox.findFirstOrThrow({ where: { bankSessionId, eventType: "ready_to_confirm" } });
    const webhookSession = (JSON.parse(stored.rawBody!) as { session: { payout_list: Array<Record<string, unknown>> } }).session;
    const [primary] = webhookSession.payout_list;
    const twice = `po_twice_${randomUUID().slice(0, 8)}`;
    const finishedAt = new Date().toISOString();
    const session = PaymentSessionSchema.parse({
      ...webhookSession,
      payout_list: [primary, { ...primary, id: twice, status: "in_progress" }, { ...primary, id: twice, status: "pending", finished_at: finishedAt }],
    });
    const result = await applyBankNews(portal.deps, { session, source: "reconcile" });
    expect(result.effect).toBe("unchanged");
    const rows = await portal.deps.prisma.bankPayout.findMany({ where: { bankPayoutId: twice } });
    expect(rows.map((row) => ({ status: row.status, finishedAt: row.finishedAt?.toISOString() }))).toEqual([{ status: "pending", finishedAt }]);
    expect(await statusOf(id)).toBe("awaiting_approval");
  });

  // ---- item 1 ------------------------------------------------------------------------------------

  it("a refund whose webhook arrives before payment_finished still ends refunded", async () => {
    const { id, bankSessionId } = await started({ method: "bank_account" });
    await portal.waitForStatus(id, "awaiting_approval");
    // The sandbox holds payment_finished back until payment_refunded has been sent.
    await portal.sandbox.control.addFault({ type: "webhook_reorder", count: 1, hold_max_ms: 10_000 });
    try {
      await approvePayout(portal.deps, { payoutRequestId: id, actor: approver });
      await portal.waitForStatus(id, "refunded", 20_000);
      await untilStored(bankSessionId, "payment_finished");
      const order = (await portal.deps.prisma.webhookInbox.findMany({ where: { bankSessionId }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }] })).map((row) => row.eventType);
      expect(order.indexOf("payment_refunded")).toBeLessThan(order.indexOf("payment_finished"));
      expect(await statusOf(id)).toBe("refunded");
    } finally {
      await portal.sandbox.control.clearFaults();
    }
  });

  it("a paid bank-account payout stays watched: a refund whose webhook never came is found by reconciliation", async () => {
    const { id, bankSessionId } = await started({ method: "bank_account" });
    await portal.waitForStatus(id, "awaiting_approval");
    await approvePayout(portal.deps, { payoutRequestId: id, actor: approver });
    await portal.waitForStatus(id, "paid");
    await portal.sandbox.control.addFault({ type: "webhook_pause" });
    try {
      await portal.sandbox.control.waitForSession(bankSessionId, (view) => JSON.stringify(view.session).includes('"refunds"'));
      expect(await statusOf(id)).toBe("paid");
      await reconcileOnce(portal.deps, RECONCILE);
      expect(await statusOf(id)).toBe("refunded");
    } finally {
      await portal.sandbox.control.post("/sandbox/webhooks/resume");
      await portal.sandbox.control.clearFaults();
    }
  });

  // ---- item 3 ------------------------------------------------------------------------------------

  it("an escrow payout whose ready_to_confirm was missed waits for confirm_information before approval", async () => {
    await portal.sandbox.control.addFault({ type: "webhook_pause" });
    const { id, bankSessionId } = await started({ sourceAccount: "escrow", beneficiaryInn: "7707083893", beneficiaryName: "ООО Вектор" });
    try {
      await portal.sandbox.control.waitForSession(bankSessionId, waitingForDecision);
      await reconcileOnce(portal.deps, RECONCILE);
      expect(await statusOf(id)).toBe("awaiting_approval");

      await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: approver })).rejects.toMatchObject({
        code: "approval_rule",
        details: { params: { rule: "confirm_information_missing" } },
      });
      expect(await portal.deps.prisma.bankCall.count({ where: { payoutRequestId: id, method: "session/confirm" } })).toBe(0);
      expect(await statusOf(id)).toBe("awaiting_approval");
    } finally {
      await portal.sandbox.control.post("/sandbox/webhooks/resume");
      await portal.sandbox.control.clearFaults();
    }
    await untilStored(bankSessionId, "ready_to_confirm");
    await approvePayout(portal.deps, { payoutRequestId: id, actor: approver });
    await portal.waitForStatus(id, "paid");
  });

  it("stores confirm_information exactly as the bank sent it, undocumented keys included", async () => {
    const { id, bankSessionId } = await started({ sourceAccount: "escrow", beneficiaryInn: "7707083893", beneficiaryName: "ООО Вектор" });
    await portal.waitForStatus(id, "awaiting_approval");
    const deliveries = await portal.sandbox.control.webhooks(bankSessionId);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const ready = JSON.parse((deliveries as any[]).find((delivery) => delivery.type === "ready_to_confirm").body);
    // A later delivery from the bank carrying fields the portal does not know (SG: parse leniently).
    ready.confirm_information.transfer_details.payout_details.card.issuer_note = "undocumented";
    ready.confirm_information.transfer_details.extra = { nested: [1, "two"] };
    const body = JSON.stringify(ready);
    const key = loadPrivateKey(readFileSync(portal.sandbox.keys.bankPrivateKeyFile));
    expect(await ingestWebhook(portal.deps, { rawBody: Buffer.from(body), signature: signBody(body, key) })).toMatchObject({ accepted: true });
    const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: id } });
    expect(session.confirmInformation).toStrictEqual(ready.confirm_information);
  });

  // ---- item 7 ------------------------------------------------------------------------------------

  it("the after-the-fact audit flags a finished payout the bank disagrees with, without rewriting it", async () => {
    const paid = await started();
    const wrongAmount = await started();
    for (const { id } of [paid, wrongAmount]) {
      await portal.waitForStatus(id, "awaiting_approval");
      await approvePayout(portal.deps, { payoutRequestId: id, actor: approver });
      await portal.waitForStatus(id, "paid");
    }
    // Our records drift from the bank's: one says failed although the bank paid, one has another amount.
    await portal.deps.prisma.payoutRequest.update({ where: { id: paid.id }, data: { status: "failed" } });
    await portal.deps.prisma.payoutRequest.update({ where: { id: wrongAmount.id }, data: { amountKopecks: 100_000n } });

    const report = await reconcileOnce(portal.deps, RECONCILE);
    for (const { id } of [paid, wrongAmount]) {
      expect(report.findings).toContainEqual(expect.objectContaining({ payoutRequestId: id, action: "mismatch" }));
      const stored = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id } });
      expect(stored.bankMismatchAt).not.toBeNull();
      expect(await portal.deps.prisma.auditEvent.count({ where: { payoutRequestId: id, action: "reconcile.mismatch" } })).toBe(1);
    }
    expect(await statusOf(paid.id)).toBe("failed");
    expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: paid.id } })).bankMismatch).toMatchObject({ bankStatus: "paid" });
    expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: wrongAmount.id } })).bankMismatch).toMatchObject({
      bankAmountKopecks: 99_900,
      amountKopecks: 100_000,
    });
  });

  it("a hundred rows that keep failing do not starve a newer stuck payout", async () => {
    // 101 payouts stuck an hour ago whose bank sessions the bank does not know: every check fails.
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    const bad = Array.from({ length: 101 }, () => randomUUID());
    await portal.deps.prisma.payoutRequest.createMany({
      data: bad.map((id) => ({
        id,
        status: "submitted" as const,
        amountKopecks: 10_000n,
        recipientName: "Недоступный получатель",
        purpose: "Старая выплата",
        method: "card_widget" as const,
        linkTokenHash: createHash("sha256").update(id).digest("hex"),
        linkExpiresAt: hourAgo,
        createdAt: hourAgo,
        updatedAt: hourAgo,
      })),
    });
    await portal.deps.prisma.bankSession.createMany({
      data: bad.map((id) => ({ payoutRequestId: id, bankSessionId: `ps_gone_${id}`, idempotencyKey: `gone-${id}`, status: "in_progress" as const, flow: "create_start", startPlan: {} })),
    });

    await portal.sandbox.control.addFault({ type: "webhook_pause" });
    try {
      const stuck = await started();
      await portal.sandbox.control.waitForSession(stuck.bankSessionId, waitingForDecision);
      for (let run = 0; run < 2 && (await statusOf(stuck.id)) !== "awaiting_approval"; run++) {
        await reconcileOnce(portal.deps, { ...RECONCILE, limit: 100 });
      }
      expect(await statusOf(stuck.id)).toBe("awaiting_approval");
    } finally {
      await portal.sandbox.control.post("/sandbox/webhooks/resume");
      await portal.sandbox.control.clearFaults();
    }
  });
});
