import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { RECIPIENT } from "@/lib/payouts/audit";
import { approvePayout } from "@/lib/payouts/decisions";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { driveStart, startPayout } from "@/lib/payouts/start";
import { TEST_BANK_ACCOUNTS, TEST_CARDS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "../../helpers/database";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

/**
 * Issue 9 item 2: "failed" is said only by the bank. Every test runs against both ways a bank may treat a
 * reused idempotency key (sandbox SANDBOX_IDEMPOTENCY_REUSE): `replay` answers the stored response (here with
 * a 1 ms memory, so a late replay meets the session's real state) and `conflict` refuses any reuse.
 */
const OPERATOR = { type: "operator" as const, id: null };
const mirCard = TEST_CARDS.find((card) => card.id === "mir_success")!;
const account = TEST_BANK_ACCOUNTS.find((item) => item.id === "account_success")!;

const MODES = [
  { mode: "replay", env: { SANDBOX_IDEMPOTENCY_REUSE: "replay", SANDBOX_IDEMPOTENCY_TTL_MS: "1" }, replayRefusal: "session_wrong_state" },
  { mode: "conflict", env: { SANDBOX_IDEMPOTENCY_REUSE: "conflict" }, replayRefusal: "idempotency_key_already_exists" },
] as const;

const cases = testDatabaseKinds().flatMap((kind) => MODES.map((mode) => ({ kind, ...mode })));

describe.each(cases)("a bank session that may exist is never failed by guess ($kind, reuse=$mode)", ({ kind, env, mode, replayRefusal }) => {
  let portal: TestPortal;
  let approver: { type: "operator"; id: string };

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 5_000, sandboxEnv: env });
    approver = await addApprover(portal.deps.prisma, "Ольга Проверкина");
  });
  afterAll(async () => {
    await portal?.close();
  });

  function input(overrides: Partial<CreatePayoutRequestInput> = {}) {
    return CreatePayoutRequestSchema.parse({ amountKopecks: 120_000, recipientName: "Орлова Вера Павловна", purpose: "Гонорар", method: "card_widget", ...overrides });
  }

  async function statusesEverHeld(payoutRequestId: string): Promise<string[]> {
    const events = await portal.deps.prisma.auditEvent.findMany({ where: { payoutRequestId } });
    return events.map((event) => event.toStatus).filter((status): status is string => status !== null);
  }

  it("a replayed start the bank refuses is settled from session/status and the payout goes on to be paid", async () => {
    const { request } = await createPayoutRequest(portal.deps, input(), OPERATOR);
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    // The bank starts the payout but the answer is lost; its webhooks are held until the replay is settled.
    await portal.sandbox.control.addFault({ type: "webhook_pause" });
    await portal.sandbox.control.addFault({ type: "api_error", method: "session/start/payout", when: "after", status: 503 });
    const first = await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    expect(first.started).toBe(false);
    const row = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });

    const replayed = await driveStart(portal.deps, row);
    const startCalls = await portal.deps.prisma.bankCall.findMany({ where: { payoutRequestId: request.id, method: "session/start/payout" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(startCalls.at(-1)?.errorCode).toBe(replayRefusal);
    expect(replayed.rejected).toBeUndefined();
    await portal.sandbox.control.post("/sandbox/webhooks/resume");
    await portal.sandbox.control.clearFaults();
    await portal.waitForStatus(request.id, "awaiting_approval");
    await approvePayout(portal.deps, { payoutRequestId: request.id, actor: approver });
    await portal.waitForStatus(request.id, "paid");
    expect(await statusesEverHeld(request.id)).not.toContain("failed");
    expect(await portal.deps.prisma.bankCall.count({ where: { payoutRequestId: request.id, method: "session/status" } })).toBeGreaterThan(0);
  });

  it.runIf(mode === "conflict")("an init whose session id was never learned and whose replay is refused needs attention, not failed", async () => {
    const { request } = await createPayoutRequest(portal.deps, input({ method: "bank_account" }), OPERATOR);
    const tokenized = await portal.deps.bank.tokenize({ type: "bank_account_ru", bank_account_ru: { bik: account.bik, account: account.account } });
    await portal.sandbox.control.addFault({ type: "api_error", method: "session/init/payout", when: "after", status: 503 });
    const instrument = { kind: "bank_account_token" as const, token: tokenized.token, bik: account.bik };
    const first = await startPayout(portal.deps, { payoutRequestId: request.id, instrument, actor: RECIPIENT, viaLinkToken: true });
    expect(first.started).toBe(false);
    const row = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });
    expect(row.bankSessionId).toBeNull();

    await driveStart(portal.deps, row);
    const stored = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.status).toBe("needs_attention");
    expect(stored.attentionReason).toBe("start_refused_session_unknown");
    expect(await statusesEverHeld(request.id)).not.toContain("failed");
    // A later replay (reconciliation) changes nothing: the operator decides.
    const again = await driveStart(portal.deps, await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } }));
    expect(again.started).toBe(false);
    expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("needs_attention");
  });

  it("after the bank refuses a confirm, the next approval is a new request with a new idempotency key", async () => {
    const { request } = await createPayoutRequest(portal.deps, input({ sourceAccount: "escrow", beneficiaryInn: "7707083893", beneficiaryName: "ООО Вектор" }), OPERATOR);
    const { number_hash } = await portal.sandbox.control.card(mirCard.number);
    await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    await portal.waitForStatus(request.id, "awaiting_approval");
    const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });
    const original = session.confirmInformation as Record<string, Record<string, unknown>>;
    expect(original?.transfer_details).toBeTruthy();

    // A changed copy (here: the purpose altered) is refused by the bank's strict comparison.
    const tampered = { ...original, transfer_details: { ...original.transfer_details, purpose: "Другое назначение" } };
    await portal.deps.prisma.bankSession.update({ where: { id: session.id }, data: { confirmInformation: tampered as Prisma.InputJsonValue } });
    await expect(approvePayout(portal.deps, { payoutRequestId: request.id, actor: approver })).rejects.toMatchObject({ code: "bank_rejected" });
    expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("awaiting_approval");

    await portal.deps.prisma.bankSession.update({ where: { id: session.id }, data: { confirmInformation: original as Prisma.InputJsonValue } });
    await approvePayout(portal.deps, { payoutRequestId: request.id, actor: approver });
    await portal.waitForStatus(request.id, "paid");
    const confirms = await portal.deps.prisma.bankCall.findMany({ where: { payoutRequestId: request.id, method: "session/confirm" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(confirms.map((call) => call.outcome)).toEqual(["api_error", "ok"]);
    expect(confirms[0]!.errorCode).toBe("invalid_request");
    expect(new Set(confirms.map((call) => call.idempotencyKey)).size).toBe(2);
  });
});
