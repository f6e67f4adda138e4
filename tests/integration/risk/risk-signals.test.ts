import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { approvalQueue } from "@/lib/payouts/queue";
import { DEFAULT_RISK_THRESHOLDS, recordLinkOpen, riskSignalsFor, type RiskSignal } from "@/lib/payouts/risk-signals";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/tests/helpers/database";
import { payoutRowData } from "@/tests/helpers/payout-rows";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date("2026-11-22T09:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

type Row = Partial<Prisma.PayoutRequestUncheckedCreateInput> & { confirmDeadlineAt?: Date };

describe.each(testDatabaseKinds())("risk signals on crafted histories (%s)", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ kind });
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function insert({ confirmDeadlineAt, ...data }: Row): Promise<string> {
    const created = await db.prisma.payoutRequest.create({
      data: {
        ...payoutRowData(NOW, { createdAt: NOW, ...data }),
        ...(confirmDeadlineAt
          ? { bankSession: { create: { bankSessionId: `ps_${randomUUID()}`, idempotencyKey: `idem-${randomUUID()}`, flow: "create_start", startPlan: {}, confirmDeadlineAt } } }
          : {}),
      },
    });
    return created.id;
  }
  /** A fresh card (its own number_hash, last four 4940 unless told) for one scenario. */
  const card = (last4 = "4940") => ({ method: "card_widget" as const, cardNumberHash: randomUUID().replaceAll("-", "") + "ab12cd34", cardLast4: last4, cardBrand: "mir" });
  const signalsOf = async (id: string): Promise<RiskSignal[]> => (await riskSignalsFor(db.prisma, [id])).get(id) ?? [];
  const codesOf = async (id: string) => (await signalsOf(id)).map((signal) => signal.code).sort();

  it("a clean history raises nothing: a known card, one name (folded: case, ё/е, spaces), usual amounts, few addresses", async () => {
    const instrument = card();
    await insert({ ...instrument, recipientName: "Пётр Соколов", status: "paid", amountKopecks: 100_000n, createdAt: ago(10 * DAY) });
    await insert({ ...instrument, recipientName: "ПЕТР  СОКОЛОВ", status: "paid", amountKopecks: 120_000n, createdAt: ago(6 * DAY) });
    await insert({ ...instrument, recipientName: "петр соколов ", status: "paid", amountKopecks: 90_000n, createdAt: ago(3 * DAY) });
    const id = await insert({ ...instrument, recipientName: "Пётр Соколов", status: "awaiting_approval", amountKopecks: 200_000n });
    for (const address of ["a1", "a2", "a3", "a4"]) await recordLinkOpen(db.prisma, id, address, NOW);
    expect(await signalsOf(id)).toEqual([]);
  });

  it("one card paid to different names within the window: the count, the window and the names", async () => {
    const instrument = card("4940");
    await insert({ ...instrument, recipientName: "Старый Владелец", status: "paid", createdAt: ago(40 * DAY) }); // outside 30 days
    await insert({ ...instrument, recipientName: "Иван Иванов", status: "paid", createdAt: ago(10 * DAY) });
    await insert({ ...instrument, recipientName: "ИВАН ИВАНОВ", status: "failed", createdAt: ago(9 * DAY) }); // the same name, folded
    await insert({ ...instrument, recipientName: "Фёдор Сидоров", status: "cancelled", createdAt: ago(5 * DAY) });
    const id = await insert({ ...instrument, recipientName: "Анна Ким", status: "awaiting_approval" });
    const signal = (await signalsOf(id)).find((item) => item.code === "instrument_many_names");
    expect(signal).toEqual({
      code: "instrument_many_names",
      params: { instrumentKind: "card", last4: "4940", names: 3, days: 30, sample: "Иван Иванов, Фёдор Сидоров, Анна Ким" },
    });
  });

  it("first payout to an instrument: fires until something was paid to it (failed attempts do not count)", async () => {
    const instrument = card("1111");
    await insert({ ...instrument, recipientName: "Олег Новиков", status: "failed", createdAt: ago(3 * DAY) });
    const id = await insert({ ...instrument, recipientName: "Олег Новиков", status: "awaiting_approval" });
    expect(await signalsOf(id)).toEqual([{ code: "instrument_first_payout", params: { instrumentKind: "card", last4: "1111" } }]);
    await insert({ ...instrument, recipientName: "Олег Новиков", status: "paid", createdAt: ago(2 * DAY) });
    expect(await codesOf(id)).toEqual([]);
  });

  it("several payouts to one account within a day (new token each time: the account is BIK + mask)", async () => {
    const account = { method: "bank_account" as const, maskedAccount: "40817***1234", bik: "044525974" };
    await insert({ ...account, bankAccountToken: `tok_${randomUUID()}`, recipientName: "Мария Лебедева", status: "paid", createdAt: ago(30 * DAY) });
    await insert({ ...account, bankAccountToken: `tok_${randomUUID()}`, recipientName: "Мария Лебедева", status: "paid", createdAt: ago(20 * HOUR) });
    const second = await insert({ ...account, bankAccountToken: `tok_${randomUUID()}`, recipientName: "Мария Лебедева", status: "awaiting_approval", createdAt: ago(2 * HOUR) });
    expect(await codesOf(second)).toEqual([]); // 2 within 24 hours: under the threshold of 3
    const third = await insert({ ...account, bankAccountToken: `tok_${randomUUID()}`, recipientName: "Мария Лебедева", status: "awaiting_approval" });
    expect(await signalsOf(third)).toEqual([
      { code: "instrument_many_per_day", params: { instrumentKind: "account", account: "40817***1234", bik: "044525974", payouts: 3, threshold: 3 } },
    ]);
    // The earlier one of the day is flagged too now: a day is 24 hours either side.
    expect(await codesOf(second)).toEqual(["instrument_many_per_day"]);
  });

  it("an amount far above the recipient's paid history (median, at least K earlier paid payouts)", async () => {
    const name = "Сергей Пронин";
    await insert({ ...card(), recipientName: name, status: "paid", amountKopecks: 100_000n, createdAt: ago(9 * DAY) });
    await insert({ ...card(), recipientName: "сергей пронин", status: "paid", amountKopecks: 150_000n, createdAt: ago(8 * DAY) });
    await insert({ ...card(), recipientName: name, status: "failed", amountKopecks: 10_000_000n, createdAt: ago(7 * DAY) }); // not paid: not history
    const early = await insert({ ...card(), recipientName: name, status: "awaiting_approval", amountKopecks: 5_000_000n, createdAt: ago(6 * DAY) });
    expect((await codesOf(early)).includes("amount_above_history")).toBe(false); // only 2 paid before it
    await insert({ ...card(), recipientName: "СЕРГЕЙ ПРОНИН", status: "paid", amountKopecks: 80_000n, createdAt: ago(5 * DAY) });
    const instrument = card();
    await insert({ ...instrument, recipientName: name, status: "paid", amountKopecks: 100_000n, createdAt: ago(4 * DAY) });
    const usual = await insert({ ...instrument, recipientName: name, status: "awaiting_approval", amountKopecks: 500_000n });
    expect(await codesOf(usual)).toEqual([]); // exactly 5 × the median is not above it
    const large = await insert({ ...instrument, recipientName: name, status: "awaiting_approval", amountKopecks: 500_001n });
    expect(await signalsOf(large)).toEqual([
      { code: "amount_above_history", params: { amountKopecks: 500_001, medianKopecks: 100_000, paidPayouts: 4, multiplier: 5 } },
    ]);
  });

  it("a link opened from many client addresses: distinct addresses and total opens", async () => {
    const instrument = card();
    await insert({ ...instrument, recipientName: "Лев Орлов", status: "paid", createdAt: ago(3 * DAY) });
    const id = await insert({ ...instrument, recipientName: "Лев Орлов", status: "awaiting_approval" });
    for (const address of ["h1", "h2", "h3", "h4"]) await recordLinkOpen(db.prisma, id, address, NOW);
    await recordLinkOpen(db.prisma, id, "h1", NOW);
    expect(await codesOf(id)).toEqual([]);
    await recordLinkOpen(db.prisma, id, "h5", NOW);
    expect(await signalsOf(id)).toEqual([{ code: "link_many_addresses", params: { addresses: 5, opens: 6, threshold: 5 } }]);
    const opens = await db.prisma.payoutLinkOpen.findUniqueOrThrow({ where: { payoutRequestId_addressHash: { payoutRequestId: id, addressHash: "h1" } } });
    expect(opens.opens).toBe(2);
  });

  it("thresholds come from the settings", async () => {
    const instrument = card();
    await insert({ ...instrument, recipientName: "Ада Лавлейс", status: "paid", createdAt: ago(3 * HOUR) });
    const id = await insert({ ...instrument, recipientName: "Ада Лавлейс", status: "awaiting_approval" });
    expect(await codesOf(id)).toEqual([]);
    const signals = (await riskSignalsFor(db.prisma, [id], { ...DEFAULT_RISK_THRESHOLDS, instrumentPayoutsPerDay: 2 })).get(id);
    expect(signals).toEqual([{ code: "instrument_many_per_day", params: { instrumentKind: "card", last4: "4940", payouts: 2, threshold: 2 } }]);
  });

  it("the queue carries each payout's signals and filters to the flagged ones", async () => {
    await db.prisma.payoutRequest.updateMany({ where: { status: "awaiting_approval" }, data: { status: "cancelled" } });
    const known = card();
    await insert({ ...known, recipientName: "Вера Чистая", status: "paid", createdAt: ago(5 * DAY) });
    const clean = await insert({ ...known, recipientName: "Вера Чистая", status: "awaiting_approval", confirmDeadlineAt: new Date(NOW.getTime() + HOUR) });
    const flagged = await insert({ ...card("7777"), recipientName: "Новый Получатель", status: "awaiting_approval", confirmDeadlineAt: new Date(NOW.getTime() + 2 * HOUR) });

    const all = await approvalQueue(db.prisma, NOW);
    expect(all.total).toBe(2);
    expect(all.withSignals).toBeUndefined();
    expect(all.rows.map((row) => [row.id, row.signals.map((signal) => signal.code)])).toEqual([
      [clean, []],
      [flagged, ["instrument_first_payout"]],
    ]);

    const onlyFlagged = await approvalQueue(db.prisma, NOW, { onlyWithSignals: true });
    expect(onlyFlagged).toMatchObject({ total: 2, withSignals: 1, checked: 2 });
    expect(onlyFlagged.rows.map((row) => row.id)).toEqual([flagged]);
  });

  it("a page of payouts is one query, and it walks the indexes (PostgreSQL plan)", async () => {
    if (kind !== "postgres") return;
    // Enough rows that the planner prefers the indexes on its own.
    const many = Array.from({ length: 3000 }, (_, i) => payoutRowData(NOW, { ...card(String(1000 + (i % 9000))), status: i % 3 === 0 ? "paid" : "failed", createdAt: ago(i * 60_000) }));
    await db.prisma.payoutRequest.createMany({ data: many });
    await db.prisma.$executeRawUnsafe("ANALYZE payout_requests");
    const ids = (await db.prisma.payoutRequest.findMany({ select: { id: true }, take: 100, orderBy: { createdAt: "desc" } })).map((row) => row.id);
    const plan = await explain(ids);
    expect(plan).toContain("payout_requests_instrument_key_created_at_idx");
    expect(plan).toContain("payout_requests_recipient_key_status_created_at_amount_kope_idx");
    expect(plan).not.toMatch(/Seq Scan on payout_requests p\b/);
  });

  /** EXPLAIN of the very statement riskSignalsFor sends (caught on its way to the database). */
  async function explain(ids: string[]): Promise<string> {
    const plans: string[] = [];
    const explaining = {
      $queryRaw: async (strings: TemplateStringsArray, ...values: unknown[]) => {
        const text = strings.reduce((sql, part, index) => `${sql}$${index}${part}`);
        const rows = await db.prisma.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(`EXPLAIN ${text}`, ...values);
        plans.push(rows.map((row) => row["QUERY PLAN"]).join("\n"));
        return [];
      },
    };
    await riskSignalsFor(explaining as never, ids);
    expect(plans).toHaveLength(1);
    return plans[0]!;
  }
});
