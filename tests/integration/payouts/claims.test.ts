import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECIPIENT } from "@/lib/payouts/audit";
import { breakClaim, claimPayout, releaseClaim } from "@/lib/payouts/claims";
import { approvePayout, cancelPayout } from "@/lib/payouts/decisions";
import { getPayoutDetail } from "@/lib/payouts/detail";
import { approvalQueue } from "@/lib/payouts/queue";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { TEST_CARDS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "../../helpers/database";
import { createTestPortal, type TestPortal } from "../../helpers/portal";

const MINUTE = 60_000;
const PARTNER = { type: "partner_api" as const, id: null };

describe.each(testDatabaseKinds())("claims on payouts awaiting a decision (%s)", (kind) => {
  let portal: TestPortal;
  let anna: { type: "operator"; id: string };
  let boris: { type: "operator"; id: string };
  let admin: { type: "operator"; id: string };
  let sequence = 0;

  async function operator(name: string, role: "approver" | "admin" = "approver") {
    sequence += 1;
    const row = await portal.deps.prisma.operator.create({ data: { email: `claims-${sequence}@portal.test`, name, role } });
    return { type: "operator" as const, id: row.id };
  }

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 2_000 });
    anna = await operator("Анна Смирнова");
    boris = await operator("Борис Котов");
    admin = await operator("Вера Админова", "admin");
  });
  afterAll(async () => {
    await portal?.close();
  });

  /** A payout made by the partner API (no operator is its maker) that the bank now waits to be decided. */
  async function awaitingApproval(): Promise<string> {
    const input = CreatePayoutRequestSchema.parse({ amountKopecks: 150_000, recipientName: "Петрова Анна Сергеевна", purpose: "Вознаграждение", method: "card_widget" });
    const { request } = await createPayoutRequest(portal.deps, input, PARTNER);
    const { number_hash } = await portal.sandbox.control.card(TEST_CARDS.find((card) => card.id === "mir_success")!.number);
    await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    await portal.waitForStatus(request.id, "awaiting_approval");
    return request.id;
  }

  const later = (minutes: number) => ({ ...portal.deps, now: () => new Date(Date.now() + minutes * MINUTE) });
  const claimActions = async (id: string) =>
    (await portal.deps.prisma.auditEvent.findMany({ where: { payoutRequestId: id, action: { startsWith: "claim." } }, orderBy: { sequence: "asc" } })).map((event) => ({
      action: event.action,
      actorId: event.actorId,
      data: event.data,
    }));

  it("a claim shows who holds it, refuses the others' approve and cancel, and is announced live", async () => {
    const id = await awaitingApproval();
    const announced = portal.nextEvent((event) => event.type === "payout.claim" && event.payoutRequestId === id);
    const before = Date.now();
    const claim = await claimPayout(portal.deps, { payoutRequestId: id, actor: anna });
    await announced;
    expect(claim).toMatchObject({ holderId: anna.id, holderName: "Анна Смирнова" });
    // The default time-to-live: 10 minutes from the claim.
    expect(Date.parse(claim.expiresAt) - before).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(Date.parse(claim.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * MINUTE);

    const detail = await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings);
    expect(detail?.claim).toEqual(claim);

    const refusal = { code: "claimed_by_other", details: { params: { by: "Анна Смирнова", until: claim.expiresAt } } };
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: boris })).rejects.toMatchObject(refusal);
    await expect(cancelPayout(portal.deps, { payoutRequestId: id, actor: boris, reason: "Не та сумма" })).rejects.toMatchObject(refusal);
    await expect(claimPayout(portal.deps, { payoutRequestId: id, actor: boris })).rejects.toMatchObject(refusal);
    // Nothing moved: still waiting for Anna's decision.
    expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id } })).status).toBe("awaiting_approval");

    // The holder decides; a final status drops the claim and says so in the trail.
    await approvePayout(portal.deps, { payoutRequestId: id, actor: anna });
    await portal.waitForStatus(id, "paid");
    expect(await portal.deps.prisma.payoutClaim.findUnique({ where: { payoutRequestId: id } })).toBeNull();
    expect(await claimActions(id)).toEqual([
      { action: "claim.taken", actorId: anna.id, data: expect.objectContaining({ holderName: "Анна Смирнова" }) },
      { action: "claim.released", actorId: null, data: expect.objectContaining({ holderId: anna.id, settled: "paid" }) },
    ]);
    await expect(claimPayout(portal.deps, { payoutRequestId: id, actor: boris })).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("taking one's own claim again extends it from now, keeping when it was first taken", async () => {
    const id = await awaitingApproval();
    const first = await claimPayout(portal.deps, { payoutRequestId: id, actor: anna });
    const extended = await claimPayout(later(5), { payoutRequestId: id, actor: anna });
    expect(extended.claimedAt).toBe(first.claimedAt);
    expect(Date.parse(extended.expiresAt) - Date.parse(first.expiresAt)).toBeGreaterThanOrEqual(5 * MINUTE);
    expect((await claimActions(id)).map((event) => event.action)).toEqual(["claim.taken", "claim.extended"]);
    await releaseClaim(portal.deps, { payoutRequestId: id, actor: anna });
  });

  it("an expired claim blocks no one, and the next claim records its expiry", async () => {
    const id = await awaitingApproval();
    await claimPayout(portal.deps, { payoutRequestId: id, actor: anna });
    const elevenMinutesOn = later(11);
    // No job ran: the row is still there, it is just no longer in force.
    expect(await portal.deps.prisma.payoutClaim.count({ where: { payoutRequestId: id } })).toBe(1);
    expect(await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings, new Date(Date.now() + 11 * MINUTE))).toMatchObject({ claim: null });
    const taken = await claimPayout(elevenMinutesOn, { payoutRequestId: id, actor: boris });
    expect(taken.holderName).toBe("Борис Котов");
    expect((await claimActions(id)).map((event) => [event.action, event.actorId])).toEqual([
      ["claim.taken", anna.id],
      ["claim.expired", null],
      ["claim.taken", boris.id],
    ]);
    // Anna's expired claim no longer makes Boris wait either when he decides.
    await cancelPayout(elevenMinutesOn, { payoutRequestId: id, actor: boris, reason: "Получатель отказался" });
    await portal.waitForStatus(id, "cancelled");
  });

  it("a payout settled after its claim ran out records the expiry, not a release", async () => {
    const id = await awaitingApproval();
    // Taken eleven minutes ago: it ran out a minute ago.
    await claimPayout(later(-11), { payoutRequestId: id, actor: anna });
    await approvePayout(portal.deps, { payoutRequestId: id, actor: boris });
    await portal.waitForStatus(id, "paid");
    expect(await portal.deps.prisma.payoutClaim.count({ where: { payoutRequestId: id } })).toBe(0);
    expect((await claimActions(id)).map((event) => [event.action, event.actorId])).toEqual([
      ["claim.taken", anna.id],
      ["claim.expired", null],
    ]);
  });

  it("the holder releases; only the holder can; an admin breaks anyone's claim with a reason", async () => {
    const id = await awaitingApproval();
    await expect(releaseClaim(portal.deps, { payoutRequestId: id, actor: anna })).rejects.toMatchObject({ code: "claim_not_held" });
    await expect(breakClaim(portal.deps, { payoutRequestId: id, actor: admin, reason: "Проверка" })).rejects.toMatchObject({ code: "claim_not_held" });

    await claimPayout(portal.deps, { payoutRequestId: id, actor: anna });
    await expect(releaseClaim(portal.deps, { payoutRequestId: id, actor: boris })).rejects.toMatchObject({ code: "claim_not_held" });
    await releaseClaim(portal.deps, { payoutRequestId: id, actor: anna });
    expect(await portal.deps.prisma.payoutClaim.count({ where: { payoutRequestId: id } })).toBe(0);

    await claimPayout(portal.deps, { payoutRequestId: id, actor: boris });
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: admin })).rejects.toMatchObject({ code: "claimed_by_other" });
    const announced = portal.nextEvent((event) => event.type === "payout.claim" && event.payoutRequestId === id);
    await breakClaim(portal.deps, { payoutRequestId: id, actor: admin, reason: "Борис в отпуске, срок банка истекает" });
    await announced;
    expect(await claimActions(id)).toEqual([
      expect.objectContaining({ action: "claim.taken", actorId: anna.id }),
      expect.objectContaining({ action: "claim.released", actorId: anna.id }),
      expect.objectContaining({ action: "claim.taken", actorId: boris.id }),
      { action: "claim.broken", actorId: admin.id, data: expect.objectContaining({ holderId: boris.id, holderName: "Борис Котов", reason: "Борис в отпуске, срок банка истекает" }) },
    ]);
    // Free again: Anna decides.
    await approvePayout(portal.deps, { payoutRequestId: id, actor: anna });
    await portal.waitForStatus(id, "paid");
  });

  it("of 10 approvers claiming at once exactly one holds it; the other 9 are told who", async () => {
    const id = await awaitingApproval();
    const approvers = await Promise.all(Array.from({ length: 10 }, (_, i) => operator(`Согласующий ${i + 1}`)));
    const results = await Promise.allSettled(approvers.map((actor) => claimPayout(portal.deps, { payoutRequestId: id, actor })));
    const won = results.filter((result): result is PromiseFulfilledResult<Awaited<ReturnType<typeof claimPayout>>> => result.status === "fulfilled");
    expect(won).toHaveLength(1);
    const winner = won[0]!.value;
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refused).toHaveLength(9);
    for (const refusal of refused) {
      expect(refusal.reason).toMatchObject({ code: "claimed_by_other", details: { params: { by: winner.holderName, until: winner.expiresAt } } });
    }
    const stored = await portal.deps.prisma.payoutClaim.findMany({ where: { payoutRequestId: id } });
    expect(stored.map((row) => row.holderId)).toEqual([winner.holderId]);
    expect((await claimActions(id)).map((event) => event.action)).toEqual(["claim.taken"]);
  });

  it("the queue lists payouts awaiting approval by the bank's deadline, with their holders", async () => {
    const [soon, latest, middle] = [await awaitingApproval(), await awaitingApproval(), await awaitingApproval()];
    const deadline = (minutes: number) => new Date(Date.now() + minutes * MINUTE);
    // Other tests' payouts may still wait too: push them behind these three.
    await portal.deps.prisma.bankSession.updateMany({ where: { payoutRequest: { status: "awaiting_approval" } }, data: { confirmDeadlineAt: deadline(500) } });
    await portal.deps.prisma.bankSession.update({ where: { payoutRequestId: soon }, data: { confirmDeadlineAt: deadline(20) } });
    await portal.deps.prisma.bankSession.update({ where: { payoutRequestId: middle }, data: { confirmDeadlineAt: deadline(90) } });
    await portal.deps.prisma.bankSession.update({ where: { payoutRequestId: latest }, data: { confirmDeadlineAt: deadline(200) } });
    await claimPayout(portal.deps, { payoutRequestId: middle, actor: boris });

    const queue = await approvalQueue(portal.deps.prisma);
    expect(queue.rows.slice(0, 3).map((row) => row.id)).toEqual([soon, middle, latest]);
    expect(queue.total).toBe(await portal.deps.prisma.payoutRequest.count({ where: { status: "awaiting_approval" } }));
    expect(queue.rows[1]!.claim).toMatchObject({ holderId: boris.id, holderName: "Борис Котов" });
    expect(queue.rows[0]!.claim).toBeNull();
    // Eleven minutes on, Boris's claim is no longer shown.
    expect((await approvalQueue(portal.deps.prisma, new Date(Date.now() + 11 * MINUTE))).rows[1]!.claim).toBeNull();
  });
});
