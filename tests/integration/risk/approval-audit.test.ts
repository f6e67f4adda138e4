import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/payouts/audit";
import { approvePayout } from "@/lib/payouts/decisions";
import { getPayoutDetail } from "@/lib/payouts/detail";
import { testDatabaseKinds } from "../../helpers/database";
import { payoutAwaitingApproval } from "../../helpers/payouts";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

const PARTNER: Actor = { type: "partner_api", id: null };
/** 150 000 ₽: two approvals needed (default threshold 100 000 ₽). */
const LARGE = 15_000_000;

describe.each(testDatabaseKinds())("risk signals are part of an approval's audit record (%s)", (kind) => {
  let portal: TestPortal;
  let first: Actor & { id: string };
  let second: Actor & { id: string };

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 2_000 });
    first = await addApprover(portal.deps.prisma, "Ольга Проверкина");
    second = await addApprover(portal.deps.prisma, "Иван Второв");
  });
  afterAll(async () => {
    await portal?.close();
  });

  /** mir_success, 2200 2400 0001 4940: the bank tells the last four. */
  const card = { instrumentKind: "card", last4: "4940" };

  it("the approval's audit event and its payout_approvals row carry the signals seen at the decision; the payout page shows them", async () => {
    const { id } = await payoutAwaitingApproval(portal, PARTNER, { overrides: { recipientName: "Петрова Анна Сергеевна" } });
    const firstPayout = [{ code: "instrument_first_payout", params: card }];
    expect((await getPayoutDetail(portal.deps.prisma, id, portal.deps.settings))!.riskSignals).toEqual(firstPayout);

    await approvePayout(portal.deps, { payoutRequestId: id, actor: first });
    const approved = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { payoutRequestId: id, action: "operator.approved" } });
    expect(approved.data).toMatchObject({ riskSignals: firstPayout });
    expect((await portal.deps.prisma.payoutApproval.findFirstOrThrow({ where: { payoutRequestId: id } })).riskSignals).toEqual(firstPayout);
    await portal.waitForStatus(id, "paid");

    // The same card for another name, large enough for two approvals: each approval records what it saw.
    const { id: other } = await payoutAwaitingApproval(portal, PARTNER, { overrides: { recipientName: "Сидоров Пётр", amountKopecks: LARGE } });
    const manyNames = [{ code: "instrument_many_names", params: { ...card, names: 2, days: 30, sample: "Петрова Анна Сергеевна, Сидоров Пётр" } }];
    await approvePayout(portal.deps, { payoutRequestId: other, actor: first });
    const recorded = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { payoutRequestId: other, action: "operator.approval_recorded" } });
    expect(recorded.data).toMatchObject({ approval: 1, required: 2, riskSignals: manyNames });
    await approvePayout(portal.deps, { payoutRequestId: other, actor: second });
    const completed = await portal.deps.prisma.auditEvent.findFirstOrThrow({ where: { payoutRequestId: other, action: "operator.approved" } });
    expect(completed.data).toMatchObject({ approval: 2, riskSignals: manyNames });
    const detail = (await getPayoutDetail(portal.deps.prisma, other, portal.deps.settings))!;
    expect(detail.approvals.list.map((approval) => approval.riskSignals)).toEqual([manyNames, manyNames]);
    // The card was paid before: this one is not its first payout.
    expect(detail.riskSignals).toEqual(manyNames);
  });
});
