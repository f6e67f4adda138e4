import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECIPIENT } from "@/lib/payouts/audit";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { driveStart, startPayout } from "@/lib/payouts/start";
import { TEST_BANK_ACCOUNTS, TEST_CARDS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "../../helpers/database";
import { createTestPortal, type TestPortal } from "../../helpers/portal";

const OPERATOR = { type: "operator" as const, id: null };
const mirCard = TEST_CARDS.find((card) => card.id === "mir_success")!;
const account = TEST_BANK_ACCOUNTS.find((item) => item.id === "account_success")!;

function request(overrides: Partial<CreatePayoutRequestInput> = {}) {
  return CreatePayoutRequestSchema.parse({
    amountKopecks: 150_050,
    recipientName: "Иванов Иван Иванович",
    purpose: "Выплата по договору оказания услуг",
    method: "card_widget",
    ...overrides,
  });
}

describe.each(testDatabaseKinds())("starting payouts at the bank (%s)", (kind) => {
  let portal: TestPortal;

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await portal?.close();
  });

  async function bankSessionsFor(payoutRequestId: string) {
    const rows = await portal.deps.prisma.bankSession.findMany({ where: { payoutRequestId } });
    const { sessions } = await portal.sandbox.control.get("/sandbox/sessions");
    const request = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: payoutRequestId } });
    const metadata = `PR-${String(request.number).padStart(6, "0")}`;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const atBank = (sessions as any[]).filter((session) => JSON.stringify(session).includes(metadata));
    return { rows, atBank };
  }

  it("starts a card payout from a widget hash and reaches awaiting approval by webhook", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(), OPERATOR);
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    const outcome = await startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    expect(outcome).toMatchObject({ started: true });
    await portal.waitForStatus(created.id, "awaiting_approval");
    const stored = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id }, include: { bankSession: { include: { payouts: true } } } });
    expect(stored.cardLast4).toBe("4940");
    expect(stored.cardBrand).toBe("mir");
    expect(stored.linkUsedAt).not.toBeNull();
    expect(stored.bankSession?.nextAction).toBe("confirm");
    expect(stored.bankSession?.payouts).toHaveLength(1);
    expect(stored.bankSession?.payouts[0]).toMatchObject({ status: "pending", amountKopecks: 150_050n });
  });

  it("opens exactly one bank session for ten concurrent submits (double clicks, two tabs)", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(), OPERATOR);
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true }),
      ),
    );
    expect(outcomes.every((outcome) => outcome.started)).toBe(true);
    const { rows, atBank } = await bankSessionsFor(created.id);
    expect(rows).toHaveLength(1);
    expect(atBank).toHaveLength(1);
    await portal.waitForStatus(created.id, "awaiting_approval");
  });

  it("a 5xx after the bank acted leaves the payout resumable and never opens a second session", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(), OPERATOR);
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    await portal.sandbox.control.addFault({ type: "api_error", method: "session/start/payout", when: "after", status: 503 });
    const first = await startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    expect(first).toMatchObject({ started: false, pendingReason: "bank_unavailable" });
    const pending = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id }, include: { bankSession: true } });
    expect(pending.status).toBe("submitted");
    expect(pending.bankSession?.lastError).toMatch(/bank_unavailable/);

    // The retry replays the same calls under the same idempotency keys.
    const second = await driveStart(portal.deps, pending.bankSession!);
    expect(second.started).toBe(true);
    const { rows, atBank } = await bankSessionsFor(created.id);
    expect(rows).toHaveLength(1);
    expect(atBank).toHaveLength(1);
    await portal.waitForStatus(created.id, "awaiting_approval");
  });

  it("a timeout on session/create is resolved by replaying, with one session at the bank", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(), OPERATOR);
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    await portal.sandbox.control.addFault({ type: "api_hang", method: "session/create", when: "after", hang_ms: 3_000 });
    const first = await startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    expect(first).toMatchObject({ started: false, pendingReason: "bank_timeout" });
    const row = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: created.id } });
    expect(row.bankSessionId).toBeNull(); // we never learned the session id

    const again = await startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    expect(again.started).toBe(true);
    const { atBank } = await bankSessionsFor(created.id);
    expect(atBank).toHaveLength(1);
  });

  it("a bank that is down keeps the payout submitted; it starts once the bank is back", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(), OPERATOR);
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    await portal.sandbox.control.addFault({ type: "api_error", method: "session/create", status: 502, body: "html", count: 2 });
    const first = await startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    expect(first.started).toBe(false);
    const second = await startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    expect(second.started).toBe(false);
    const third = await startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    expect(third.started).toBe(true);
    const calls = await portal.deps.prisma.bankCall.findMany({ where: { payoutRequestId: created.id, method: "session/create" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(calls.map((call) => call.outcome)).toEqual(["protocol_error", "protocol_error", "ok"]);
    expect(new Set(calls.map((call) => call.idempotencyKey)).size).toBe(1);
  });

  it("pays a bank account through a tokenize token with a single-request payout", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request({ method: "bank_account" }), OPERATOR);
    const tokenized = await portal.deps.bank.tokenize({ type: "bank_account_ru", bank_account_ru: { bik: account.bik, account: account.account } });
    await startPayout(portal.deps, {
      payoutRequestId: created.id,
      instrument: { kind: "bank_account_token", token: tokenized.token, maskedAccount: tokenized.data?.masked_account ?? "", bik: account.bik },
      actor: RECIPIENT,
      viaLinkToken: true,
    });
    await portal.waitForStatus(created.id, "awaiting_approval");
    const calls = await portal.deps.prisma.bankCall.findMany({ where: { payoutRequestId: created.id }, orderBy: { createdAt: "asc" } });
    expect(calls.map((call) => call.method)).toEqual(["session/init/payout"]);
    const stored = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.maskedAccount).toBe("40817***0131");
  });

  it("pays from the escrow account with the beneficiary INN and keeps confirm_information", async () => {
    const { request: created } = await createPayoutRequest(
      portal.deps,
      request({ sourceAccount: "escrow", beneficiaryInn: "7707083893", beneficiaryName: "ООО Вектор" }),
      OPERATOR,
    );
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    await startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    await portal.waitForStatus(created.id, "awaiting_approval");
    const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: created.id } });
    expect(session.flow).toBe("nominal");
    expect(session.confirmInformation).toMatchObject({ transfer_details: { amount: { amount: 150_050 } } });
    const start = await portal.deps.prisma.bankCall.findFirstOrThrow({ where: { payoutRequestId: created.id, method: "session/multi/start/payment/nominal" } });
    expect(start.requestBody).toMatchObject({ participant_details: { sender: { beneficiary_id: "7707083893", full_name: "ООО Вектор" } } });
  });

  it("starts saved card tokens and recurrent tokens without the recipient", async () => {
    const card = await portal.sandbox.control.card(mirCard.number);
    for (const savedInstrument of [
      { kind: "card_token" as const, token: card.token },
      { kind: "recurrent" as const, token: card.recurrent_token },
    ]) {
      const method = savedInstrument.kind === "recurrent" ? "recurrent" : "card_saved";
      const created = await createPayoutRequest(portal.deps, request({ method, savedInstrument }), OPERATOR);
      expect(created.start?.started).toBe(true);
      await portal.waitForStatus(created.request.id, "awaiting_approval");
    }
  });

  it("refuses to start an expired or revoked link and stores nothing at the bank", async () => {
    const { request: created } = await createPayoutRequest(portal.deps, request(), OPERATOR);
    await portal.deps.prisma.payoutRequest.update({ where: { id: created.id }, data: { linkExpiresAt: new Date(Date.now() - 1000) } });
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    await expect(
      startPayout(portal.deps, { payoutRequestId: created.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true }),
    ).rejects.toMatchObject({ code: "link_expired" });
    expect(await portal.deps.prisma.bankSession.count({ where: { payoutRequestId: created.id } })).toBe(0);
    expect(await portal.deps.prisma.bankCall.count({ where: { payoutRequestId: created.id } })).toBe(0);
  });
});
