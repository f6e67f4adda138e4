import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { PayoutMethod, SourceAccount } from "@/lib/generated/prisma/enums";
import { moscowCalendarDay, moscowDayStart } from "@/lib/format/time";
import {
  chartRange,
  compactDailyTotals,
  COUNT_CAP,
  countByStatus,
  listPayouts,
  payoutVolumeByDay,
  type PayoutListFilters,
  type PayoutStatusCounts,
  WALK_ENTRIES,
} from "@/lib/payouts/list";
import { PAYOUT_STATUSES, type PayoutStatus } from "@/lib/payouts/state-machine";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/tests/helpers/database";
import { payoutRowData } from "@/tests/helpers/payout-rows";

/**
 * The dashboard's search (folded-name trigram index) and its counts and chart (daily totals kept by
 * trigger deltas + compaction), checked against the rows themselves on both engines.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-11-22 12:00 Moscow. */
const NOW = new Date("2026-11-22T09:00:00.000Z");

const row = (data: Partial<Prisma.PayoutRequestUncheckedCreateInput> = {}) => payoutRowData(NOW, data);

type Snapshot = { status: PayoutStatus; method: PayoutMethod; sourceAccount: SourceAccount; amountKopecks: bigint; createdAt: Date };

/** The oracle: every row read back and filtered in JS. */
async function allRows(db: TestDatabase): Promise<Snapshot[]> {
  const rows = await db.prisma.payoutRequest.findMany({ select: { status: true, method: true, sourceAccount: true, amountKopecks: true, createdAt: true } });
  return rows.map((r) => ({ ...r, status: r.status as PayoutStatus }));
}

function matches(r: Snapshot, f: PayoutListFilters): boolean {
  return (
    (!f.status || f.status === "all" || r.status === f.status) &&
    (!f.from || r.createdAt >= f.from) &&
    (!f.to || r.createdAt < f.to) &&
    (!f.method || r.method === f.method) &&
    (!f.sourceAccount || r.sourceAccount === f.sourceAccount) &&
    (f.minKopecks === undefined || r.amountKopecks >= BigInt(f.minKopecks)) &&
    (f.maxKopecks === undefined || r.amountKopecks <= BigInt(f.maxKopecks))
  );
}

function expectedCounts(rows: Snapshot[], f: PayoutListFilters): PayoutStatusCounts {
  const counts = Object.fromEntries(PAYOUT_STATUSES.map((s) => [s, 0])) as Record<PayoutStatus, number>;
  let all = 0;
  for (const r of rows) {
    if (!matches(r, { ...f, status: "all" })) continue;
    counts[r.status] += 1;
    all += 1;
  }
  return { all, capped: false, ...counts };
}

function expectedChart(rows: Snapshot[], f: PayoutListFilters) {
  const range = chartRange(f, NOW);
  const buckets = new Map<string, { day: string; status: PayoutStatus; count: number; amountKopecks: number }>();
  for (const r of rows) {
    if (!matches(r, { ...f, ...range })) continue;
    const day = moscowCalendarDay(r.createdAt);
    const key = `${day}|${r.status}`;
    const bucket = buckets.get(key) ?? { day, status: r.status, count: 0, amountKopecks: 0 };
    bucket.count += 1;
    bucket.amountKopecks += Number(r.amountKopecks);
    buckets.set(key, bucket);
  }
  return [...buckets.values()].sort((a, b) => (a.day === b.day ? a.status.localeCompare(b.status) : a.day.localeCompare(b.day)));
}

/** The filter combinations the totals answer: dates on and off Moscow midnights, method, source, status. */
const ROLLUP_FILTERS: PayoutListFilters[] = [
  {},
  { method: "bank_account" },
  { sourceAccount: "escrow" },
  { from: moscowDayStart(NOW, 3), to: moscowDayStart(NOW, -1) },
  { from: new Date(NOW.getTime() - 3 * DAY - 5 * HOUR), to: new Date(NOW.getTime() - 2 * HOUR) },
  { from: new Date(NOW.getTime() - 10 * HOUR), to: new Date(NOW.getTime() - 2 * HOUR) },
  { from: moscowDayStart(NOW, 1), method: "card_widget", sourceAccount: "regular" },
  { to: moscowDayStart(NOW, 2) },
];

describe.each(testDatabaseKinds())("dashboard search and counts (%s)", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ kind });
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  async function expectTotalsMatchRows() {
    const rows = await allRows(db);
    for (const filters of ROLLUP_FILTERS) {
      expect(await countByStatus(db.prisma, filters), JSON.stringify(filters)).toEqual(expectedCounts(rows, filters));
      expect((await payoutVolumeByDay(db.prisma, filters, NOW)).buckets, JSON.stringify(filters)).toEqual(expectedChart(rows, filters));
      expect((await payoutVolumeByDay(db.prisma, { ...filters, status: "paid" }, NOW)).buckets).toEqual(expectedChart(rows, { ...filters, status: "paid" }));
    }
  }

  describe("name search", () => {
    const names = (result: { rows: Array<{ recipientName: string }> }) => result.rows.map((r) => r.recipientName).sort();

    beforeAll(async () => {
      await db.prisma.payoutRequest.createMany({
        data: [
          row({ recipientName: "Иванов Пётр Сергеевич" }),
          row({ recipientName: "Семёнов Алексей" }),
          row({ recipientName: "Семенова Ольга" }),
          row({ recipientName: "IVANOVA Anna" }),
          row({ recipientName: "Петров Иван" }),
          row({ recipientName: "Ёлкин Фёдор" }),
        ],
      });
    });

    it("ignores case (Cyrillic and Latin)", async () => {
      expect(names(await listPayouts(db.prisma, { q: "иванов" }))).toEqual(["Иванов Пётр Сергеевич"]);
      expect(names(await listPayouts(db.prisma, { q: "ИВАНОВ ПЁТР" }))).toEqual(["Иванов Пётр Сергеевич"]);
      expect(names(await listPayouts(db.prisma, { q: "ivanova" }))).toEqual(["IVANOVA Anna"]);
    });

    it("reads ё and е as the same letter, both ways", async () => {
      expect(names(await listPayouts(db.prisma, { q: "семенов" }))).toEqual(["Семенова Ольга", "Семёнов Алексей"].sort());
      expect(names(await listPayouts(db.prisma, { q: "Семёнова" }))).toEqual(["Семенова Ольга"]);
      expect(names(await listPayouts(db.prisma, { q: "елкин федор" }))).toEqual(["Ёлкин Фёдор"]);
    });

    it("finds substrings inside words and across the space", async () => {
      expect(names(await listPayouts(db.prisma, { q: "ёнов" }))).toEqual(["Семенова Ольга", "Семёнов Алексей"].sort());
      expect(names(await listPayouts(db.prisma, { q: "петр сер" }))).toEqual(["Иванов Пётр Сергеевич"]);
      expect(names(await listPayouts(db.prisma, { q: "ров Ив" }))).toEqual(["Петров Иван"]);
      expect(names(await listPayouts(db.prisma, { q: "Несуществующий" }))).toEqual([]);
    });

    it("matches one or two letters at the start of the name only", async () => {
      expect(names(await listPayouts(db.prisma, { q: "се" }))).toEqual(["Семенова Ольга", "Семёнов Алексей"].sort());
      expect(names(await listPayouts(db.prisma, { q: "Ё" }))).toEqual(["Ёлкин Фёдор"]);
      expect(names(await listPayouts(db.prisma, { q: "ов" }))).toEqual([]);
    });

    it("finds the same through the trigram index when the newest-first walk is too short (several words asked word by word)", async () => {
      const walkSize = { ...WALK_ENTRIES };
      WALK_ENTRIES.name = 1;
      try {
        expect(names(await listPayouts(db.prisma, { q: "ИВАНОВ ПЁТР" }))).toEqual(["Иванов Пётр Сергеевич"]);
        expect(names(await listPayouts(db.prisma, { q: "петр сер" }))).toEqual(["Иванов Пётр Сергеевич"]);
        expect(names(await listPayouts(db.prisma, { q: "ров Ив" }))).toEqual(["Петров Иван"]);
        expect(names(await listPayouts(db.prisma, { q: "елкин федор" }))).toEqual(["Ёлкин Фёдор"]);
        // Both words in the name, but not next to each other: no match.
        expect(names(await listPayouts(db.prisma, { q: "сергеевич иванов" }))).toEqual([]);
        // The one walked entry (the newest row) is not a match, so the index is asked: exact.
        expect(await countByStatus(db.prisma, { q: "ров Ив" })).toMatchObject({ all: 1, capped: false });
        expect(await countByStatus(db.prisma, { q: "ров Ив", method: "bank_account" })).toMatchObject({ all: 0, capped: false });
        const petrov = await db.prisma.payoutRequest.findFirstOrThrow({ where: { recipientName: "Петров Иван" }, select: { createdAt: true } });
        expect((await payoutVolumeByDay(db.prisma, { q: "ров Ив" }, NOW)).buckets).toEqual([
          { day: moscowCalendarDay(petrov.createdAt), status: "awaiting_recipient", count: 1, amountKopecks: 100_000 },
        ]);
      } finally {
        Object.assign(WALK_ENTRIES, walkSize);
      }
    });

    it("counts a search exactly below the cap", async () => {
      expect(await countByStatus(db.prisma, { q: "семенов" })).toMatchObject({ all: 2, capped: false, awaiting_recipient: 2 });
    });
  });

  describe("counts and chart from the daily totals", () => {
    const ids: string[] = [];

    beforeAll(async () => {
      await compactDailyTotals(db.prisma);
      const methods: PayoutMethod[] = ["card_widget", "bank_account", "card_saved", "recurrent"];
      const sources: SourceAccount[] = ["regular", "escrow", "settlement"];
      const statuses: PayoutStatus[] = ["paid", "failed", "awaiting_approval", "awaiting_recipient"];
      // Every 5 h 17 min over five days: rows on both sides of Moscow midnights (21:00 UTC).
      for (let i = 0; i < 24; i++) {
        const created = await db.prisma.payoutRequest.create({
          data: row({
            recipientName: `Сводка ${i}`,
            createdAt: new Date(NOW.getTime() - i * (5 * HOUR + 17 * 60_000)),
            method: methods[i % methods.length],
            sourceAccount: sources[i % sources.length],
            status: statuses[i % statuses.length],
            amountKopecks: BigInt(1_000 + i * 7_919),
          }),
        });
        ids.push(created.id);
      }
    });

    it("equal the rows with deltas pending, after compaction, and after changes on top of compacted totals", async () => {
      expect(Number((await db.prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM payout_daily_deltas`)[0]!.n)).toBeGreaterThan(0);
      await expectTotalsMatchRows();

      expect(await compactDailyTotals(db.prisma)).toBeGreaterThan(0);
      expect(Number((await db.prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM payout_daily_deltas`)[0]!.n)).toBe(0);
      await expectTotalsMatchRows();

      // Status transitions, an amount and a method change, a row moved across days, a new row, a deleted row.
      await db.prisma.payoutRequest.updateMany({ where: { id: { in: ids.slice(0, 6) } }, data: { status: "cancelled" } });
      await db.prisma.payoutRequest.update({ where: { id: ids[7]! }, data: { amountKopecks: 123_456_789n, method: "card_saved" } });
      await db.prisma.payoutRequest.update({ where: { id: ids[8]! }, data: { createdAt: new Date(NOW.getTime() - 4 * DAY) } });
      await db.prisma.payoutRequest.update({ where: { id: ids[9]! }, data: { recipientEmail: "not-counted@example.com" } });
      await db.prisma.payoutRequest.create({ data: row({ recipientName: "Сводка новая", createdAt: new Date(NOW.getTime() - HOUR), status: "paid" }) });
      await db.prisma.payoutRequest.delete({ where: { id: ids[10]! } });
      await expectTotalsMatchRows();

      await compactDailyTotals(db.prisma);
      await expectTotalsMatchRows();
    });

    it("two compactions at once fold every delta once", async () => {
      await db.prisma.payoutRequest.updateMany({ where: { id: { in: ids.slice(11, 16) } }, data: { status: "refunded" } });
      const results = await Promise.all([compactDailyTotals(db.prisma), compactDailyTotals(db.prisma)]);
      expect(results.some((folded) => folded !== null && folded > 0)).toBe(true);
      await compactDailyTotals(db.prisma);
      await expectTotalsMatchRows();
    });
  });

  describe("a name search's newest-first walk, lowered to a few entries", () => {
    // Ten Moscow days long ago, away from every other test's rows; the filters' dates bound the walk.
    const from = moscowDayStart(NOW, 120);
    const to = moscowDayStart(NOW, 110);
    const inRange = { from, to };
    type Crafted = { id: string; name: string; reference: string | null; status: PayoutStatus; amountKopecks: bigint; createdAt: Date };
    const crafted: Crafted[] = [];
    const walkSize = { ...WALK_ENTRIES };

    beforeAll(async () => {
      // The probe: the newest 4 entries (2 of the name; none of a rare one).
      WALK_ENTRIES.probe = 4;
      const statuses: PayoutStatus[] = ["paid", "failed", "awaiting_recipient"];
      // Every 4 hours over the ten days: every other row a Ходоков, the rest someone else; one
      // reference equal to the search text; one rare name, the oldest row.
      for (let i = 0; i < 60; i++) {
        const data = {
          recipientName: i === 59 ? "Единственнова Ия" : i % 2 ? "Прохоров Олег" : `Ходоков ${i}`,
          reference: i === 7 ? "Ходоков" : null,
          status: statuses[i % statuses.length]!,
          amountKopecks: BigInt(10_000 + i * 1_001),
          createdAt: new Date(to.getTime() - 1 - i * 4 * HOUR),
        };
        const created = await db.prisma.payoutRequest.create({ data: row(data), select: { id: true } });
        crafted.push({ id: created.id, name: data.recipientName, ...data });
      }
    });

    afterAll(() => {
      Object.assign(WALK_ENTRIES, walkSize);
    });

    /** The ids of every page, 4 rows a page. */
    const everyPage = async (filters: PayoutListFilters) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await listPayouts(db.prisma, filters, { limit: 4, cursor });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const hodokov = () => crafted.filter((r) => r.name.startsWith("Ходоков") || r.reference === "Ходоков");
    const chartOf = (rows: Crafted[], fromDay: string) => {
      const buckets = new Map<string, { day: string; status: PayoutStatus; count: number; amountKopecks: number }>();
      for (const r of rows) {
        const day = moscowCalendarDay(r.createdAt);
        if (day < fromDay) continue;
        const bucket = buckets.get(`${day}|${r.status}`) ?? { day, status: r.status, count: 0, amountKopecks: 0 };
        bucket.count += 1;
        bucket.amountKopecks += Number(r.amountKopecks);
        buckets.set(`${day}|${r.status}`, bucket);
      }
      return [...buckets.values()].sort((a, b) => (a.day === b.day ? a.status.localeCompare(b.status) : a.day.localeCompare(b.day)));
    };

    it("counts exactly when the walk sees the whole range, a lower bound when it finds matches but not all", async () => {
      WALK_ENTRIES.name = 100;
      expect(await countByStatus(db.prisma, { q: "Ходоков", ...inRange })).toEqual({
        ...expectedCounts(
          hodokov().map((r) => ({ ...r, method: "card_widget", sourceAccount: "regular" })),
          {},
        ),
      });
      WALK_ENTRIES.name = 10;
      const lower = await countByStatus(db.prisma, { q: "Ходоков", ...inRange });
      // The newest 10 entries hold 5 of the name: "5+", each status at most its true number.
      expect(lower).toMatchObject({ all: 5, capped: true });
      const exact = expectedCounts(hodokov().map((r) => ({ ...r, method: "card_widget", sourceAccount: "regular" })), {});
      for (const status of PAYOUT_STATUSES) expect(lower[status]).toBeLessThanOrEqual(exact[status]);
      // No match among the walked entries: the trigram index finds the rare name exactly.
      expect(await countByStatus(db.prisma, { q: "единственнова", ...inRange })).toMatchObject({ all: 1, capped: false });
    });

    it("charts the whole range exactly, or only the whole days the walk counted (capped)", async () => {
      WALK_ENTRIES.chart = 100;
      expect(await payoutVolumeByDay(db.prisma, { q: "Ходоков", ...inRange }, NOW)).toEqual({ from, to, capped: false, buckets: chartOf(hodokov(), "") });
      WALK_ENTRIES.chart = 20;
      const capped = await payoutVolumeByDay(db.prisma, { q: "Ходоков", ...inRange }, NOW);
      // 20 entries at 4 h reach back 80 h: the oldest walked entry's day is partial, the days after it complete.
      const oldestWalked = crafted[19]!.createdAt;
      expect(capped.capped).toBe(true);
      expect(capped.from).toEqual(moscowDayStart(oldestWalked, -1));
      expect(capped.to).toEqual(to);
      expect(capped.buckets).toEqual(chartOf(hodokov(), moscowCalendarDay(capped.from)));
      // On a tab the walk reads that status's entries only: 20 failed rows reach back further.
      const failedWalked = crafted.filter((r) => r.status === "failed").slice(0, 20);
      const failedTab = await payoutVolumeByDay(db.prisma, { q: "Ходоков", ...inRange, status: "failed" }, NOW);
      expect(failedTab.from).toEqual(moscowDayStart(failedWalked[19]!.createdAt, -1));
      expect(failedTab.from.getTime()).toBeLessThan(capped.from.getTime());
      expect(failedTab.buckets).toEqual(chartOf(hodokov().filter((r) => r.status === "failed"), moscowCalendarDay(failedTab.from)));
      // No match among the walked entries: the rare name's one row, exactly.
      expect(await payoutVolumeByDay(db.prisma, { q: "Единственнова", ...inRange }, NOW)).toEqual({
        from,
        to,
        capped: false,
        buckets: chartOf(crafted.filter((r) => r.name.startsWith("Единственнова")), ""),
      });
    });

    it("counts and charts a name missing from the probe exactly from the trigram index, though the walk would find some", async () => {
      WALK_ENTRIES.name = 10;
      WALK_ENTRIES.chart = 10;
      WALK_ENTRIES.amount = 0; // no amount walk: the trigram index answers
      // From the 5th newest row on: none of the name among the 4 probed entries, 3 among the walk's 10.
      const filters = { q: "Ходоков", ...inRange, minKopecks: 10_000 + 4 * 1_001 };
      const matching = hodokov().filter((r) => r.amountKopecks >= BigInt(filters.minKopecks));
      const asSnapshots = matching.map((r) => ({ ...r, method: "card_widget" as const, sourceAccount: "regular" as const }));
      expect(await countByStatus(db.prisma, filters)).toEqual(expectedCounts(asSnapshots, {}));
      expect(await payoutVolumeByDay(db.prisma, filters, NOW)).toEqual({ from, to, capped: false, buckets: chartOf(matching, "") });
    });

    it("counts, charts and lists a name within an amount range exactly when the range is walked whole", async () => {
      const amount = { minKopecks: 10_000, maxKopecks: 10_000 + 20 * 1_001 };
      const filters = { q: "Ходоков", ...inRange, ...amount };
      const inAmount = hodokov().filter((r) => r.amountKopecks <= BigInt(amount.maxKopecks));
      const asSnapshots = (rows: Crafted[]) => rows.map((r) => ({ ...r, method: "card_widget" as const, sourceAccount: "regular" as const }));
      // The dates' walk alone (10 entries) finds 5 of the name: a lower bound, and a capped chart.
      WALK_ENTRIES.name = 10;
      WALK_ENTRIES.amount = 0;
      expect(await countByStatus(db.prisma, filters)).toMatchObject({ all: 5, capped: true });
      expect((await payoutVolumeByDay(db.prisma, filters, NOW)).capped).toBe(true);
      // The amount range walked whole (every row of the table holds fewer entries than this): exact.
      WALK_ENTRIES.amount = 10_000;
      expect(await countByStatus(db.prisma, filters)).toEqual(expectedCounts(asSnapshots(inAmount), {}));
      expect(await payoutVolumeByDay(db.prisma, filters, NOW)).toEqual({ from, to, capped: false, buckets: chartOf(inAmount, "") });
      expect((await payoutVolumeByDay(db.prisma, { ...filters, status: "paid" }, NOW)).buckets).toEqual(chartOf(inAmount.filter((r) => r.status === "paid"), ""));
      expect(await everyPage(filters)).toEqual(inAmount.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map((r) => r.id));
    });

    it("pages through every match in order, walked or (sparse) from the trigram index", async () => {
      const expected = hodokov()
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id))
        .map((r) => r.id);
      for (const size of [6, 10, 1000]) {
        WALK_ENTRIES.name = size;
        for (const filters of [{ q: "Ходоков", ...inRange }, { q: "Ходоков" }]) {
          expect(await everyPage(filters), `walk ${size}, ${JSON.stringify(filters)}`).toEqual(expected);
        }
        const failed = await listPayouts(db.prisma, { q: "Ходоков", ...inRange, status: "failed" }, { limit: 50 });
        expect(failed.rows.map((r) => r.id)).toEqual(hodokov().filter((r) => r.status === "failed").sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map((r) => r.id));
      }
    });
  });

  describe("counts the totals cannot answer", () => {
    it("an amount range is counted exactly below the cap", async () => {
      const rows = await allRows(db);
      const filters = { minKopecks: 10_000, maxKopecks: 100_000 };
      expect(await countByStatus(db.prisma, filters)).toEqual(expectedCounts(rows, filters));
    });

    it("a search over the cap says it is capped and never overstates a number", async () => {
      await db.prisma.payoutRequest.createMany({
        data: Array.from({ length: COUNT_CAP + 5 }, (_, i) => row({ recipientName: `Многоименов ${i}`, status: i % 2 ? "paid" : "failed" })),
      });
      const counts = await countByStatus(db.prisma, { q: "многоименов" });
      expect(counts.capped).toBe(true);
      expect(counts.all).toBe(COUNT_CAP);
      expect(counts.paid + counts.failed).toBeGreaterThanOrEqual(COUNT_CAP);
      expect(counts.paid).toBeLessThanOrEqual(Math.ceil((COUNT_CAP + 5) / 2));
      expect(counts.failed).toBeLessThanOrEqual(Math.ceil((COUNT_CAP + 5) / 2));
      // The chart for a search is an exact aggregate, whatever the count.
      const chart = await payoutVolumeByDay(db.prisma, { q: "многоименов", from: moscowDayStart(NOW, 60) }, NOW);
      expect(chart.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(COUNT_CAP + 5);
    });
  });
});
