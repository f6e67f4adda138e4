import { createHash, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "@/lib/bank131/signature";
import { RECIPIENT } from "@/lib/payouts/audit";
import { approvePayout, cancelPayout } from "@/lib/payouts/decisions";
import { InvalidCursorError } from "@/lib/payouts/cursor-error";
import { getPayoutDetail, listWebhookDeliveries, type TimelineEntry } from "@/lib/payouts/detail";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { TEST_CARDS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "../../helpers/database";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

const card = (id: string) => TEST_CARDS.find((item) => item.id === id)!;

describe.each(testDatabaseKinds())("payout detail and webhook inbox (%s)", (kind) => {
  let portal: TestPortal;
  let operatorId: string;
  let checker: { type: "operator"; id: string };

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 2_000 });
    const operator = await portal.deps.prisma.operator.create({
      data: { email: `approver-${kind}@detail.test`, name: "Пётр Согласов", role: "approver", passwordHash: "scrypt$test" },
    });
    operatorId = operator.id;
    checker = await addApprover(portal.deps.prisma, "Ольга Проверкина");
  });
  afterAll(async () => {
    await portal?.close();
  });

  async function awaitingApproval(cardId: string, overrides: Partial<CreatePayoutRequestInput> = {}) {
    const input = CreatePayoutRequestSchema.parse({
      amountKopecks: 1_234_567,
      recipientName: "Иванов Иван Иванович",
      purpose: "Выплата по договору № 42",
      method: "card_widget",
      ...overrides,
    });
    const { request } = await createPayoutRequest(portal.deps, input, { type: "operator", id: operatorId });
    const { number_hash } = await portal.sandbox.control.card(card(cardId).number);
    await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    await portal.waitForStatus(request.id, "awaiting_approval");
    const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });
    return { id: request.id, bankSessionId: session.bankSessionId! };
  }

  const indexOf = (timeline: TimelineEntry[], predicate: (entry: TimelineEntry) => boolean) => {
    const index = timeline.findIndex(predicate);
    expect(index, "timeline entry not found").toBeGreaterThanOrEqual(0);
    return index;
  };

  it("merges audit events, bank calls and webhooks into one timeline ordered by time", async () => {
    const { id, bankSessionId } = await awaitingApproval("mir_success");
    await approvePayout(portal.deps, { payoutRequestId: id, actor: checker });
    await portal.waitForStatus(id, "paid");
    // payment_finished is published after its inbox row commits; give the row a moment if needed.
    await expect.poll(async () => (await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings))?.timeline.filter((entry) => entry.kind === "webhook").length).toBe(2);

    const detail = (await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings))!;
    expect(detail).toMatchObject({
      requestNumber: expect.stringMatching(/^PR-\d{6}$/),
      status: "paid",
      amountKopecks: 1_234_567,
      recipientName: "Иванов Иван Иванович",
      method: "card_widget",
      sourceAccount: "regular",
      instrument: { kind: "card", label: "МИР •••• 4940", last4: "4940", storedAs: "number_hash" },
      createdBy: { type: "operator", name: "Пётр Согласов" },
      failure: null,
      bankSession: { bankSessionId, status: "accepted", flow: "create_start" },
    });
    expect(detail.bankPayouts).toHaveLength(1);
    expect(detail.bankPayouts[0]).toMatchObject({ status: "succeeded", amountKopecks: 1_234_567, error: null });
    // Plain JSON: survives a round trip unchanged (no BigInt, no Date).
    expect(JSON.parse(JSON.stringify(detail))).toEqual(detail);

    const { timeline } = detail;
    expect(new Set(timeline.map((entry) => entry.kind))).toEqual(new Set(["audit", "bank_call", "webhook"]));
    for (let i = 1; i < timeline.length; i++) expect(Date.parse(timeline[i]!.at)).toBeGreaterThanOrEqual(Date.parse(timeline[i - 1]!.at));

    const created = indexOf(timeline, (entry) => entry.kind === "audit" && entry.action === "payout.created");
    const submitted = indexOf(timeline, (entry) => entry.kind === "audit" && entry.action === "payout.submitted");
    const createCall = indexOf(timeline, (entry) => entry.kind === "bank_call" && entry.method === "session/create");
    const startCall = indexOf(timeline, (entry) => entry.kind === "bank_call" && entry.method === "session/start/payout");
    const ready = indexOf(timeline, (entry) => entry.kind === "webhook" && entry.type === "ready_to_confirm");
    const approved = indexOf(timeline, (entry) => entry.kind === "audit" && entry.action === "operator.approved");
    const confirmCall = indexOf(timeline, (entry) => entry.kind === "bank_call" && entry.method === "session/confirm");
    const finished = indexOf(timeline, (entry) => entry.kind === "webhook" && entry.type === "payment_finished");
    expect([created, submitted, createCall, startCall, ready, approved, confirmCall, finished]).toEqual(
      [created, submitted, createCall, startCall, ready, approved, confirmCall, finished].toSorted((a, b) => a - b),
    );

    const approval = timeline[approved] as Extract<TimelineEntry, { kind: "audit" }>;
    expect(approval).toMatchObject({ actor: { type: "operator", id: checker.id, name: "Ольга Проверкина" }, fromStatus: "awaiting_approval", toStatus: "confirming" });
    const confirm = timeline[confirmCall] as Extract<TimelineEntry, { kind: "bank_call" }>;
    expect(confirm).toMatchObject({ outcome: "ok", httpStatus: 200, request: { session_id: bankSessionId } });
    expect(confirm.idempotencyKey).toMatch(/:confirm$/);
    expect(confirm.response).toMatchObject({ session: { id: bankSessionId } });
    const webhook = timeline[ready] as Extract<TimelineEntry, { kind: "webhook" }>;
    expect(webhook).toMatchObject({ verdict: "verified", effect: "transition:submitted→awaiting_approval", bankSessionId, hasSignature: true });
    // A retry of the same bytes (the sandbox retries slow answers) only bumps the counter.
    expect(webhook.deliveries).toBeGreaterThanOrEqual(1);
    expect(webhook.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
    // The raw body is the exact bytes the bank signed.
    expect(JSON.parse(webhook.rawBody!)).toMatchObject({ type: "ready_to_confirm", session: { id: bankSessionId } });
  });

  it("shows a forged webhook as rejected, with its reason, in the inbox and in the session's timeline", async () => {
    const { id, bankSessionId } = await awaitingApproval("visa_success");
    const forged = JSON.stringify({ type: "payment_finished", session: { id: bankSessionId, status: "accepted", payout_list: [{ id: "po_forged", status: "succeeded" }] } });
    const wrongKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const response = await fetch(portal.webhookUrl, { method: "POST", headers: { "content-type": "application/json", "x-partner-sign": signBody(forged, wrongKey) }, body: forged });
    expect(response.status).toBe(401);
    const unsigned = await fetch(portal.webhookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: forged });
    expect(unsigned.status).toBe(401);

    const rejected = await listWebhookDeliveries(portal.deps.prisma, { verdict: "rejected" });
    // No body is kept, only its hash, size and the session it claimed.
    const forgedSha256 = createHash("sha256").update(forged).digest("hex");
    const mine = rejected.items.filter((item) => item.rejectedSample?.sha256 === forgedSha256);
    expect(mine).toHaveLength(2);
    for (const item of mine) {
      expect(item).toMatchObject({ verdict: "rejected", type: null, bankSessionId: null, payout: null, dedupeKey: null, effect: "rejected:signature", rawBody: null });
      expect(item.rejectedSample).toEqual({ sha256: forgedSha256, bytes: Buffer.byteLength(forged), clientAddress: null, namedSessionId: bankSessionId });
      expect(item.rejectReason).toEqual(expect.any(String));
      expect(item.rejectReason!.length).toBeGreaterThan(0);
    }
    expect(mine.map((item) => item.hasSignature).toSorted()).toEqual([false, true]);
    expect(rejected.items.every((item) => item.verdict === "rejected")).toBe(true);

    // Unfiltered: the verified deliveries of this session link to its payout.
    const all = await listWebhookDeliveries(portal.deps.prisma, {});
    const verified = all.items.find((item) => item.verdict === "verified" && item.bankSessionId === bankSessionId);
    expect(verified).toMatchObject({ type: "ready_to_confirm", payout: { id, requestNumber: expect.stringMatching(/^PR-/) } });

    // Nothing changed, and the session's timeline shows the forgeries as rejected.
    const detail = (await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings))!;
    expect(detail.status).toBe("awaiting_approval");
    const forgeries = detail.timeline.filter((entry) => entry.kind === "webhook" && entry.verdict === "rejected");
    expect(forgeries).toHaveLength(2);
    expect(forgeries[0]).toMatchObject({ rawBody: null, rejectReason: expect.any(String), rejectedSample: { sha256: forgedSha256, namedSessionId: bankSessionId } });

    await cancelPayout(portal.deps, { payoutRequestId: id, actor: { type: "operator", id: operatorId }, reason: "Подозрение на подделку" });
    await portal.waitForStatus(id, "cancelled");
    const cancelled = (await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings))!;
    const cancelEvent = cancelled.timeline.find((entry) => entry.kind === "audit" && entry.action === "operator.cancelled");
    expect(cancelEvent).toMatchObject({ data: { reason: "Подозрение на подделку" } });
    expect(cancelled.timeline.some((entry) => entry.kind === "bank_call" && entry.method === "session/cancel")).toBe(true);
  });

  it("explains a declined payout in Russian and keeps the escrow confirm_information", async () => {
    const declined = await awaitingApproval("declined_by_issuer_bank");
    await approvePayout(portal.deps, { payoutRequestId: declined.id, actor: checker });
    await portal.waitForStatus(declined.id, "failed");
    const failed = (await getPayoutDetail(portal.deps.prisma, declined.id, portal.deps.settings))!;
    expect(failed.failure).toMatchObject({ code: "declined_by_issuer_bank", message: "Банк получателя отклонил операцию." });
    expect(failed.bankPayouts[0]).toMatchObject({ status: "failed", error: { code: "declined_by_issuer_bank", message: "Банк получателя отклонил операцию." } });

    const escrow = await awaitingApproval("mastercard_success", { sourceAccount: "escrow", beneficiaryInn: "7707083893", beneficiaryName: "ООО Вектор", amountKopecks: 10_000 });
    const detail = (await getPayoutDetail(portal.deps.prisma, escrow.id, portal.deps.settings))!;
    expect(detail).toMatchObject({ sourceAccount: "escrow", beneficiaryInn: "7707083893", beneficiaryName: "ООО Вектор", bankSession: { flow: "nominal" } });
    expect(detail.bankSession?.confirmDeadlineAt).not.toBeNull();
    expect(detail.bankSession?.confirmInformation).toMatchObject({ transfer_details: { amount: { amount: 10_000 } } });
  });

  it("pages the inbox by (receivedAt, id) without skipping rows that share a millisecond", async () => {
    // 7 rows within one millisecond (microseconds apart) and 3 sharing one exact timestamp.
    const stamps = [
      ...Array.from({ length: 7 }, (_, i) => `2020-01-01T00:00:00.000${i + 1}00Z`),
      "2020-01-01T00:00:01.000000Z",
      "2020-01-01T00:00:01.000000Z",
      "2020-01-01T00:00:01.000000Z",
    ];
    for (const [i, stamp] of stamps.entries()) {
      await portal.deps.prisma.$executeRaw`
        INSERT INTO webhook_inbox (id, verdict, reject_reason, raw_body, received_at, deliveries)
        VALUES (gen_random_uuid(), 'rejected', 'paging test', ${`{"paging":${i}}`}, ${stamp}::timestamptz, 1)`;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listWebhookDeliveries(portal.deps.prisma, { verdict: "rejected", cursor, limit: 3 });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    const all = await portal.deps.prisma.webhookInbox.findMany({ where: { verdict: "rejected" }, select: { id: true } });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.toSorted()).toEqual(all.map((row) => row.id).toSorted());
    const paging = await portal.deps.prisma.webhookInbox.findMany({ where: { rejectReason: "paging test" }, select: { id: true } });
    expect(paging).toHaveLength(10);

    await expect(listWebhookDeliveries(portal.deps.prisma, { cursor: "not-a-cursor" })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it("answers null for an unknown payout", async () => {
    expect(await getPayoutDetail(portal.deps.prisma, "0190f0f0-0000-7000-8000-000000000000", portal.deps.settings)).toBeNull();
  });
});
