import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "@/lib/bank131/signature";
import { RECIPIENT } from "@/lib/payouts/audit";
import { approvePayout, cancelPayout } from "@/lib/payouts/decisions";
import { reconcileOnce } from "@/lib/payouts/reconcile";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import { TEST_CARDS } from "@/sandbox/test-instruments";
import { generateKeyPairSync } from "node:crypto";
import { testDatabaseKinds } from "../../helpers/database";
import { confirmsAtBank, payoutAwaitingApproval } from "../../helpers/payouts";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

const OPERATOR = { type: "operator" as const, id: null };
const card = (id: string) => TEST_CARDS.find((item) => item.id === id)!;

describe.each(testDatabaseKinds())("operator decisions, webhooks and reconciliation (%s)", (kind) => {
  let portal: TestPortal;
  let approver: { type: "operator"; id: string };

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 1_000 });
    approver = await addApprover(portal.deps.prisma, "Ольга Проверкина");
  });
  afterAll(async () => {
    await portal?.close();
  });

  const awaitingApproval = (cardId = "mir_success", overrides: Partial<CreatePayoutRequestInput> = {}) => payoutAwaitingApproval(portal, OPERATOR, { cardId, overrides });

  it("20 concurrent approvals send exactly one session/confirm, and the payout ends paid", async () => {
    const { id, bankSessionId } = await awaitingApproval();
    const approvers = await Promise.all(Array.from({ length: 20 }, (_, i) => addApprover(portal.deps.prisma, `Согласующий ${i}`)));
    const results = await Promise.allSettled(approvers.map((actor) => approvePayout(portal.deps, { payoutRequestId: id, actor })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refusals = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refusals).toHaveLength(19);
    expect(refusals.every((refusal) => refusal.reason.code === "invalid_state")).toBe(true);
    expect(await confirmsAtBank(portal, bankSessionId)).toBe(1);
    await portal.waitForStatus(id, "paid");
  });

  it("a cancel with a reason ends cancelled; a later approve is refused", async () => {
    const { id } = await awaitingApproval();
    await cancelPayout(portal.deps, { payoutRequestId: id, actor: OPERATOR, reason: "Дубликат заявки" });
    await portal.waitForStatus(id, "cancelled");
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: approver })).rejects.toMatchObject({ code: "invalid_state" });
    const audit = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { payoutRequestId: id, action: "operator.cancelled" } });
    expect(audit.data).toMatchObject({ reason: "Дубликат заявки" });
  });

  it("escrow confirm and cancel echo confirm_information to the bank", async () => {
    for (const decision of ["confirm", "cancel"] as const) {
      const { id } = await awaitingApproval("mir_success", { sourceAccount: "escrow", beneficiaryInn: "7707083893", beneficiaryName: "ООО Вектор" });
      if (decision === "confirm") await approvePayout(portal.deps, { payoutRequestId: id, actor: approver });
      else await cancelPayout(portal.deps, { payoutRequestId: id, actor: OPERATOR, reason: "Проверка" });
      await portal.waitForStatus(id, decision === "confirm" ? "paid" : "cancelled");
      const call = await portal.deps.prisma.bankCall.findFirstOrThrow({ where: { payoutRequestId: id, method: `session/${decision}` } });
      expect(call.outcome).toBe("ok");
      expect(call.requestBody).toMatchObject({ confirm_information: { transfer_details: { amount: { amount: 250_000 } } } });
    }
  });

  it("a declined card ends failed with the bank's error code", async () => {
    const { id } = await awaitingApproval("declined_by_issuer_bank");
    await approvePayout(portal.deps, { payoutRequestId: id, actor: approver });
    await portal.waitForStatus(id, "failed");
    const stored = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id } });
    expect(stored.failureCode).toBe("declined_by_issuer_bank");
  });

  it("duplicate, reordered and forged webhooks never corrupt the state", async () => {
    const { id, bankSessionId } = await awaitingApproval();
    await approvePayout(portal.deps, { payoutRequestId: id, actor: approver });
    await portal.waitForStatus(id, "paid");
    const deliveries = await portal.sandbox.control.webhooks(bankSessionId);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const bodyOf = (type: string) => (deliveries as any[]).find((delivery) => delivery.type === type)?.body as string;
    const ready = bodyOf("ready_to_confirm");
    const finished = bodyOf("payment_finished");
    expect(ready).toBeTruthy();
    expect(finished).toBeTruthy();
    // Replays re-signed with the bank key the sandbox uses.
    const bankKey = portal.sandbox.keys.bankPrivateKeyFile;
    const { loadPrivateKey } = await import("@/lib/bank131/signature");
    const { readFileSync } = await import("node:fs");
    const key = loadPrivateKey(readFileSync(bankKey));
    const deliver = (body: string, signature = signBody(body, key)) => ingestWebhook(portal.deps, { rawBody: Buffer.from(body), signature });

    const duplicate = await deliver(finished);
    expect(duplicate).toMatchObject({ accepted: true, duplicate: true });
    const stale = await deliver(ready); // late ready_to_confirm after payment_finished
    expect(stale).toMatchObject({ accepted: true, duplicate: true }); // same bytes as the first delivery
    const respelled = await deliver(ready.replace('"status":"in_progress"', '"status" : "in_progress"'));
    expect(respelled).toMatchObject({ accepted: true, duplicate: false });
    expect((respelled as { effect: string }).effect).toMatch(/^ignored|^unchanged/);

    const forged = finished.replace(/"status":"succeeded"/, '"status":"failed"');
    expect(await deliver(forged, signBody(forged, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey))).toMatchObject({ accepted: false });
    expect(await deliver(forged, "")).toMatchObject({ accepted: false });
    const altered = await ingestWebhook(portal.deps, { rawBody: Buffer.from(forged), signature: signBody(finished, key) });
    expect(altered).toMatchObject({ accepted: false });

    const stored = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id } });
    expect(stored.status).toBe("paid");
    const inbox = await portal.deps.prisma.webhookInbox.findUniqueOrThrow({ where: { dedupeKey: createHash("sha256").update(finished).digest("hex") } });
    expect(inbox.deliveries).toBeGreaterThanOrEqual(2);
    // Rejected deliveries keep a sample (hash, size, reason), never the body.
    const rejected = await portal.deps.prisma.webhookInbox.findMany({ where: { verdict: "rejected", bodySha256: createHash("sha256").update(forged).digest("hex") } });
    expect(rejected).toHaveLength(3);
    expect(rejected.every((row) => row.rawBody === null && row.signature === null)).toBe(true);
  });

  it("payment_finished arriving before ready_to_confirm still ends paid", async () => {
    // The sandbox holds back the next webhook (ready_to_confirm) until the one after it was sent.
    await portal.sandbox.control.addFault({ type: "webhook_reorder", count: 1, hold_max_ms: 10_000 });
    try {
      const input = CreatePayoutRequestSchema.parse({ amountKopecks: 10_000, recipientName: "Сидоров Олег", purpose: "Бонус", method: "card_widget" });
      const { request } = await createPayoutRequest(portal.deps, input, OPERATOR);
      const { number_hash } = await portal.sandbox.control.card(card("mir_success").number);
      await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
      const bankSessionId = (await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } })).bankSessionId!;
      // With its webhook held, the operator learns the bank waits for a decision from a status poll.
      await portal.sandbox.control.waitForSession(bankSessionId, (view) => JSON.stringify(view).includes('"next_action":"confirm"'));
      await reconcileOnce(portal.deps, { staleAfterMs: 0, runner: "test" });
      await approvePayout(portal.deps, { payoutRequestId: request.id, actor: approver });
      await portal.waitForStatus(request.id, "paid");
      // The held ready_to_confirm is released after payment_finished: wait for it to be stored.
      const storedTypes = async () => (await portal.deps.prisma.webhookInbox.findMany({ where: { bankSessionId } })).map((row) => row.eventType);
      for (;;) {
        const next = portal.nextEvent((event) => event.type === "webhook.received", 15_000);
        if ((await storedTypes()).includes("ready_to_confirm")) {
          next.catch(() => {});
          break;
        }
        await next;
      }
      const order = (await portal.deps.prisma.webhookInbox.findMany({ where: { bankSessionId }, orderBy: [{ receivedAt: "asc" }, { id: "asc" }] })).map((row) => row.eventType);
      expect(order).toEqual(["payment_finished", "ready_to_confirm"]);
      expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("paid");
    } finally {
      await portal.sandbox.control.clearFaults();
    }
  });

  it("reconciliation recovers a payout whose webhooks were withheld", async () => {
    await portal.sandbox.control.addFault({ type: "webhook_pause" });
    try {
      const input = CreatePayoutRequestSchema.parse({ amountKopecks: 77_700, recipientName: "Кузнецова Мария", purpose: "Возврат депозита", method: "card_widget" });
      const { request } = await createPayoutRequest(portal.deps, input, OPERATOR);
      const { number_hash } = await portal.sandbox.control.card(card("visa_success").number);
      await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
      const bankSessionId = (await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } })).bankSessionId!;
      await portal.sandbox.control.waitForSession(bankSessionId, (view) => JSON.stringify(view).includes('"next_action":"confirm"'));
      expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("submitted");

      const report = await reconcileOnce(portal.deps, { staleAfterMs: 0, runner: "test" });
      expect(report.findings).toContainEqual(expect.objectContaining({ payoutRequestId: request.id, action: "status_applied" }));
      expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("awaiting_approval");
      const run = await portal.deps.prisma.reconciliationRun.findUniqueOrThrow({ where: { id: report.runId } });
      expect(run.finishedAt).not.toBeNull();
      expect(run.changed).toBeGreaterThanOrEqual(1);
    } finally {
      await portal.sandbox.control.post("/sandbox/webhooks/resume");
      await portal.sandbox.control.clearFaults();
    }
  });

  it("a confirm whose answer was lost is finished by reconciliation without a second payout", async () => {
    const { id, bankSessionId } = await awaitingApproval();
    await portal.sandbox.control.addFault({ type: "api_hang", method: "session/confirm", when: "before", hang_ms: 3_000 });
    const outcome = await approvePayout(portal.deps, { payoutRequestId: id, actor: approver });
    expect(outcome).toMatchObject({ status: "confirming", outcomeUnknown: true });
    const report = await reconcileOnce(portal.deps, { staleAfterMs: 0, runner: "test" });
    expect(report.findings).toContainEqual(expect.objectContaining({ payoutRequestId: id, action: "decision_resent" }));
    await portal.waitForStatus(id, "paid");
    const payouts = await portal.deps.prisma.bankPayout.findMany({ where: { bankSession: { bankSessionId } } });
    expect(payouts).toHaveLength(1);
  });
});
