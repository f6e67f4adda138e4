import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperators, setApprovalLimits } from "@/lib/auth/operators";
import type { PortalEventInput } from "@/lib/events/bus";
import type { Actor } from "@/lib/payouts/audit";
import { approvePayout, cancelPayout } from "@/lib/payouts/decisions";
import type { CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { testDatabaseKinds } from "../../helpers/database";
import { confirmsAtBank as confirmsSentToBank, payoutAwaitingApproval } from "../../helpers/payouts";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

const PARTNER: Actor = { type: "partner_api", id: null };
/** 150 000 ₽: above the default two-approver threshold of 100 000 ₽. */
const LARGE = 15_000_000;

describe.each(testDatabaseKinds())("approval governance: maker ≠ checker, tiers, limits, fingerprint (%s)", (kind) => {
  let portal: TestPortal;
  let maker: Actor & { id: string };
  let first: Actor & { id: string };
  let second: Actor & { id: string };

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 2_000 });
    maker = await addApprover(portal.deps.prisma, "Пётр Согласов");
    first = await addApprover(portal.deps.prisma, "Ольга Проверкина");
    second = await addApprover(portal.deps.prisma, "Иван Второв");
  });
  afterAll(async () => {
    await portal?.close();
  });

  const awaitingApproval = (createdBy: Actor, overrides: Partial<CreatePayoutRequestInput> = {}) => payoutAwaitingApproval(portal, createdBy, { overrides });
  const confirmsAtBank = (bankSessionId: string) => confirmsSentToBank(portal, bankSessionId);

  const statusOf = async (id: string) => (await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id } })).status;

  it("the operator who created a payout cannot approve it; another approver can", async () => {
    const { id, bankSessionId } = await awaitingApproval(maker);
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: maker })).rejects.toMatchObject({ code: "four_eyes" });
    expect(await statusOf(id)).toBe("awaiting_approval");
    expect(await confirmsAtBank(bankSessionId)).toBe(0);
    // The maker may still cancel their own request; here another approver pays it.
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: first })).resolves.toMatchObject({ approvals: { count: 1, required: 1 } });
    await portal.waitForStatus(id, "paid");
    expect(await confirmsAtBank(bankSessionId)).toBe(1);
  });

  it("a partner API request can be approved by any approver", async () => {
    const { id } = await awaitingApproval(PARTNER);
    await approvePayout(portal.deps, { payoutRequestId: id, actor: maker });
    await portal.waitForStatus(id, "paid");
  });

  it("at or above the threshold the first approval is recorded (1 of 2) and only a second, distinct approver sends session/confirm", async () => {
    const { id, bankSessionId } = await awaitingApproval(PARTNER, { amountKopecks: LARGE });
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: first })).resolves.toMatchObject({ status: "awaiting_approval", approvals: { count: 1, required: 2 } });
    expect(await confirmsAtBank(bankSessionId)).toBe(0);
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: first })).rejects.toMatchObject({ code: "already_approved" });

    const recorded = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { payoutRequestId: id, action: "operator.approval_recorded" } });
    expect(recorded).toMatchObject({ actorId: first.id, data: { approval: 1, required: 2, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) } });

    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: second })).resolves.toMatchObject({ approvals: { count: 2, required: 2 } });
    await portal.waitForStatus(id, "paid");
    expect(await confirmsAtBank(bankSessionId)).toBe(1);
    const approvals = await portal.deps.prisma.payoutApproval.findMany({ where: { payoutRequestId: id }, orderBy: { createdAt: "asc" } });
    expect(approvals.map((approval) => approval.operatorId)).toEqual([first.id, second.id]);
    expect(approvals[0]!.fingerprint).toBe(approvals[1]!.fingerprint);
  });

  it("either approver can cancel a payout that has one of its two approvals", async () => {
    const { id } = await awaitingApproval(PARTNER, { amountKopecks: LARGE });
    await approvePayout(portal.deps, { payoutRequestId: id, actor: first });
    await cancelPayout(portal.deps, { payoutRequestId: id, actor: first, reason: "Передумали" });
    await portal.waitForStatus(id, "cancelled");
  });

  it("20 concurrent second approvals send exactly one session/confirm", async () => {
    const { id, bankSessionId } = await awaitingApproval(PARTNER, { amountKopecks: LARGE });
    await approvePayout(portal.deps, { payoutRequestId: id, actor: first });
    const checkers = await Promise.all(Array.from({ length: 20 }, (_, i) => addApprover(portal.deps.prisma, `Второй ${i}`)));
    const results = await Promise.allSettled(checkers.map((actor) => approvePayout(portal.deps, { payoutRequestId: id, actor })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refusals = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refusals.map((refusal) => refusal.reason.code)).toEqual(Array(19).fill("invalid_state"));
    await portal.waitForStatus(id, "paid");
    expect(await confirmsAtBank(bankSessionId)).toBe(1);
    expect(await portal.deps.prisma.payoutApproval.count({ where: { payoutRequestId: id } })).toBe(2);
  });

  it("an amount changed between the first and the second approval refuses the confirm and names the change", async () => {
    const { id, bankSessionId } = await awaitingApproval(PARTNER, { amountKopecks: LARGE });
    await approvePayout(portal.deps, { payoutRequestId: id, actor: first });
    await portal.deps.prisma.payoutRequest.update({ where: { id }, data: { amountKopecks: BigInt(LARGE + 100) } });
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: second })).rejects.toMatchObject({ code: "approval_changed", details: { params: { changed: ["amountKopecks"] } } });
    expect(await statusOf(id)).toBe("awaiting_approval");
    expect(await confirmsAtBank(bankSessionId)).toBe(0);
    // The stale approval no longer counts: the next approval is "1 of 2" again, of what is paid now.
    expect(await portal.deps.prisma.payoutApproval.count({ where: { payoutRequestId: id, voidedAt: null } })).toBe(0);
    expect(await portal.deps.prisma.auditEvent.count({ where: { payoutRequestId: id, action: "approval.voided" } })).toBe(1);
  });

  it("an instrument changed after the approval, right before session/confirm, is refused and nothing is sent", async () => {
    const { id, bankSessionId } = await awaitingApproval(PARTNER);
    // Changes the card the moment the approval commits (its payout.updated is published after the
    // commit and before the confirm is prepared): what is about to be sent is not what was approved.
    const events = portal.deps.events;
    const swapping = {
      ...portal.deps,
      events: {
        ...events,
        publish: async (event: PortalEventInput) => {
          if (event.payoutRequestId === id && event.status === "confirming") {
            await portal.deps.prisma.payoutRequest.update({ where: { id }, data: { cardNumberHash: "f".repeat(64) } });
          }
          await events.publish(event);
        },
      },
    };
    await expect(approvePayout(swapping, { payoutRequestId: id, actor: first })).rejects.toMatchObject({ code: "approval_changed", details: { params: { changed: ["instrument"] } } });
    expect(await statusOf(id)).toBe("awaiting_approval");
    expect(await confirmsAtBank(bankSessionId)).toBe(0);
    const voided = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { payoutRequestId: id, action: "approval.voided" } });
    expect(voided).toMatchObject({ fromStatus: "confirming", toStatus: "awaiting_approval", data: { changed: ["instrument"] } });
  });

  it("a per-payout limit refuses larger payouts, naming the limit and the amount", async () => {
    const limited = await addApprover(portal.deps.prisma, "Лимит Наразовый", { payoutApprovalLimitKopecks: 100_000n });
    const { id } = await awaitingApproval(PARTNER);
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: limited })).rejects.toMatchObject({
      code: "approval_limit_payout",
      details: { params: { limit: 100_000, amount: 250_000 } },
    });
    await approvePayout(portal.deps, { payoutRequestId: id, actor: first });
    await portal.waitForStatus(id, "paid");
  });

  it("a daily limit counts what the operator approved this Moscow day and says what is left", async () => {
    const limited = await addApprover(portal.deps.prisma, "Лимит Надень", { dailyApprovalLimitKopecks: 400_000n });
    const one = await awaitingApproval(PARTNER);
    const two = await awaitingApproval(PARTNER);
    await approvePayout(portal.deps, { payoutRequestId: one.id, actor: limited });
    await expect(approvePayout(portal.deps, { payoutRequestId: two.id, actor: limited })).rejects.toMatchObject({
      code: "approval_limit_daily",
      details: { params: { limit: 400_000, used: 250_000, left: 150_000 } },
    });
    expect(await statusOf(two.id)).toBe("awaiting_approval");
  });

  it("two concurrent approvals by one operator cannot both pass the daily limit", async () => {
    const limited = await addApprover(portal.deps.prisma, "Лимит Гонки", { dailyApprovalLimitKopecks: 300_000n });
    const payouts = [await awaitingApproval(PARTNER), await awaitingApproval(PARTNER)];
    const results = await Promise.allSettled(payouts.map(({ id }) => approvePayout(portal.deps, { payoutRequestId: id, actor: limited })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refusal = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refusal?.reason).toMatchObject({ code: "approval_limit_daily", details: { params: { used: 250_000, left: 50_000 } } });
  });

  it("an admin's limit change is audited and applies to the operator's next approval", async () => {
    const admin = await addApprover(portal.deps.prisma, "Анна Админова");
    const target = await addApprover(portal.deps.prisma, "Лимит Новый");
    await setApprovalLimits(portal.deps, { operatorId: target.id, limits: { dailyKopecks: 1_000_000, payoutKopecks: 200_000 }, actor: admin });
    const changed = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { action: "operator.limits_changed", data: { path: ["operatorId"], equals: target.id } } });
    expect(changed).toMatchObject({ actorId: admin.id, data: { from: { dailyKopecks: null, payoutKopecks: null }, to: { dailyKopecks: 1_000_000, payoutKopecks: 200_000 } } });
    expect((await listOperators(portal.deps.prisma)).find((operator) => operator.id === target.id)?.limits).toEqual({ dailyKopecks: 1_000_000, payoutKopecks: 200_000 });

    const { id } = await awaitingApproval(PARTNER);
    await expect(approvePayout(portal.deps, { payoutRequestId: id, actor: target })).rejects.toMatchObject({ code: "approval_limit_payout" });
    await setApprovalLimits(portal.deps, { operatorId: target.id, limits: { dailyKopecks: 1_000_000, payoutKopecks: null }, actor: admin });
    await approvePayout(portal.deps, { payoutRequestId: id, actor: target });
    await portal.waitForStatus(id, "paid");
    const approved = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { payoutRequestId: id, action: "operator.approved" } });
    const approval = await portal.deps.prisma.payoutApproval.findFirstOrThrow({ where: { payoutRequestId: id } });
    expect(approved.data).toMatchObject({ fingerprint: approval.fingerprint, approval: 1, required: 1 });
  });
});
