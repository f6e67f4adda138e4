import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { InvalidCursorError } from "@/lib/payouts/cursor-error";
import { CSV_COLUMNS, payoutsCsvStream } from "@/lib/payouts/export-csv";
import {
  countByStatus,
  lastReconciliation,
  listPayouts,
  payoutVolumeByDay,
  recentReconciliations,
  type PayoutListFilters,
  type PayoutListPage,
  type PayoutListRow,
} from "@/lib/payouts/list";
import { PayoutListQuerySchema } from "@/lib/payouts/list-query";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/tests/helpers/database";
import { payoutRowData } from "@/tests/helpers/payout-rows";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A fixed "now": 2026-11-22 12:00 Moscow (09:00 UTC). */
const NOW = new Date("2026-11-22T09:00:00.000Z");

type Extra = { bankSessionId?: string; bankPayoutId?: string; confirmDeadlineAt?: Date };

async function insert(db: TestDatabase, data: Partial<Prisma.PayoutRequestUncheckedCreateInput> & Extra = {}) {
  const { bankSessionId, bankPayoutId, confirmDeadlineAt, ...request } = data;
  const created = await db.prisma.payoutRequest.create({
    data: {
      ...payoutRowData(NOW, request),
      ...(bankSessionId || confirmDeadlineAt
        ? {
            bankSession: {
              create: {
                bankSessionId: bankSessionId ?? null,
                idempotencyKey: `idem-${randomUUID()}`,
                flow: "create_start",
                startPlan: {},
                confirmDeadlineAt: confirmDeadlineAt ?? null,
                ...(bankPayoutId ? { payouts: { create: { bankPayoutId, status: "succeeded" as const } } } : {}),
              },
            },
          }
        : {}),
    },
  });
  return created;
}

async function allPages(db: TestDatabase, filters: PayoutListFilters, page: Omit<PayoutListPage, "cursor">): Promise<PayoutListRow[][]> {
  const pages: PayoutListRow[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const result = await listPayouts(db.prisma, filters, { ...page, cursor });
    pages.push(result.rows);
    if (!result.hasMore) {
      expect(result.nextCursor).toBeNull();
      return pages;
    }
    cursor = result.nextCursor;
  }
  throw new Error("too many pages");
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

describe.each(testDatabaseKinds())("sessions dashboard queries (%s)", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ kind });
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe("filters, search and sorting", () => {
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      await db.prisma.payoutRequest.deleteMany({ where: { purpose: "Фильтры" } });
      const base = { purpose: "Фильтры" };
      ids.ivanov = (await insert(db, { ...base, recipientName: "Иванов Пётр Сергеевич", amountKopecks: 150_050n, status: "paid", reference: "INV-2026-001", bankSessionId: "ps_filter_1", bankPayoutId: "po_filter_1", cardBrand: "mir", cardLast4: "4940", cardNumberHash: "hash-1", createdAt: new Date(NOW.getTime() - 3 * DAY) })).id;
      ids.petrova = (await insert(db, { ...base, recipientName: "Петрова Анна", amountKopecks: 5_000_000n, status: "awaiting_approval", method: "bank_account", bankAccountToken: "acct", maskedAccount: "•••• 1234", sourceAccount: "escrow", bankSessionId: "ps_filter_2", confirmDeadlineAt: new Date(NOW.getTime() + HOUR), createdAt: new Date(NOW.getTime() - 2 * DAY) })).id;
      ids.sidorov = (await insert(db, { ...base, recipientName: "ООО «Сидоров и партнёры»", amountKopecks: 100n, status: "failed", failureCode: "card_expired", sourceAccount: "settlement", createdAt: new Date(NOW.getTime() - 1 * DAY) })).id;
      ids.percent = (await insert(db, { ...base, recipientName: "Д'Артаньян Шарль", reference: "АКЦИЯ-50%", amountKopecks: 60_000_000n, status: "awaiting_recipient", method: "card_saved", createdAt: new Date(NOW.getTime() - 12 * HOUR) })).id;
      ids.ivanova = (await insert(db, { ...base, recipientName: "иванова мария", amountKopecks: 150_050n, status: "paid", createdAt: new Date(NOW.getTime() - 6 * HOUR) })).id;
    });
    const mine = (filters: PayoutListFilters = {}, page: PayoutListPage = {}) =>
      listPayouts(db.prisma, { ...filters }, { limit: 100, ...page }).then((result) => result.rows.filter((row) => Object.values(ids).includes(row.id)).map((row) => row.id));

    it("returns rows newest first with their display fields", async () => {
      expect(await mine()).toEqual([ids.ivanova, ids.percent, ids.sidorov, ids.petrova, ids.ivanov]);
      const { rows } = await listPayouts(db.prisma, { q: "ps_filter_1" });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: ids.ivanov,
        status: "paid",
        amountKopecks: 150_050,
        currency: "rub",
        recipientName: "Иванов Пётр Сергеевич",
        reference: "INV-2026-001",
        method: "card_widget",
        sourceAccount: "regular",
        instrumentLabel: "МИР •••• 4940",
        bankSessionId: "ps_filter_1",
        bankPayoutId: "po_filter_1",
        confirmDeadlineAt: null,
        failureCode: null,
      });
      const [petrova] = (await listPayouts(db.prisma, { q: "ps_filter_2" })).rows;
      expect(petrova).toMatchObject({ instrumentLabel: "Счёт •••• 1234", bankPayoutId: null, confirmDeadlineAt: new Date(NOW.getTime() + HOUR).toISOString() });
    });

    it("filters by status, dates, amounts (inclusive, BIGINT), method and source account", async () => {
      expect(await mine({ status: "paid" })).toEqual([ids.ivanova, ids.ivanov]);
      expect(await mine({ status: "all" })).toHaveLength(5);
      expect(await mine({ from: new Date(NOW.getTime() - 2 * DAY), to: new Date(NOW.getTime() - 12 * HOUR) })).toEqual([ids.sidorov, ids.petrova]);
      expect(await mine({ minKopecks: 150_050, maxKopecks: 5_000_000 })).toEqual([ids.ivanova, ids.petrova, ids.ivanov]);
      expect(await mine({ minKopecks: 150_051n })).toEqual([ids.percent, ids.petrova]);
      expect(await mine({ maxKopecks: 100 })).toEqual([ids.sidorov]);
      expect(await mine({ method: "bank_account" })).toEqual([ids.petrova]);
      expect(await mine({ sourceAccount: "settlement" })).toEqual([ids.sidorov]);
      expect(await mine({ status: "paid", minKopecks: 150_050, q: "иванов" })).toEqual([ids.ivanova, ids.ivanov]);
    });

    it("searches by name (any case, contains), reference, request number, ps_, po_ and id", async () => {
      expect(await mine({ q: "ИВАНОВ" })).toEqual([ids.ivanova, ids.ivanov]);
      expect(await mine({ q: "сидоров и" })).toEqual([ids.sidorov]);
      expect(await mine({ q: "д'арт" })).toEqual([ids.percent]);
      // Names hold letters only: a query with digits or symbols is a reference, matched exactly (LIKE wildcards mean nothing).
      expect(await mine({ q: "АКЦИЯ-50%" })).toEqual([ids.percent]);
      expect(await mine({ q: "50%" })).toEqual([]);
      expect(await mine({ q: "_" })).toEqual([]);
      expect(await mine({ q: "%" })).toEqual([]);
      expect(await mine({ q: "INV-2026-001" })).toEqual([ids.ivanov]);
      const number = (await db.prisma.payoutRequest.findUniqueOrThrow({ where: { id: ids.petrova } })).number;
      expect(await mine({ q: `PR-${String(number).padStart(6, "0")}` })).toEqual([ids.petrova]);
      expect(await mine({ q: `pr-${number}` })).toEqual([ids.petrova]);
      expect(await mine({ q: String(number) })).toEqual([ids.petrova]);
      expect(await mine({ q: "ps_filter_2" })).toEqual([ids.petrova]);
      expect(await mine({ q: "ps_filter" })).toEqual([]); // session ids match exactly
      expect(await mine({ q: "po_filter_1" })).toEqual([ids.ivanov]);
      expect(await mine({ q: ids.sidorov!.toUpperCase() })).toEqual([ids.sidorov]);
      expect(await mine({ q: "   " })).toHaveLength(5);
    });

    it("sorts by amount and by update time, both directions, with the id as tie-breaker", async () => {
      const byAmountDesc = await mine({}, { sort: "amount", dir: "desc" });
      expect(byAmountDesc).toEqual([ids.percent, ids.petrova, ...[ids.ivanov!, ids.ivanova!].sort(), ids.sidorov]);
      const byAmountAsc = await mine({}, { sort: "amount", dir: "asc" });
      expect(byAmountAsc).toEqual([...byAmountDesc].reverse());
      await db.prisma.payoutRequest.update({ where: { id: ids.ivanov }, data: { version: { increment: 1 } } });
      expect((await mine({}, { sort: "updatedAt", dir: "desc" }))[0]).toBe(ids.ivanov);
      expect((await mine({}, { sort: "createdAt", dir: "asc" }))[0]).toBe(ids.ivanov);
    });

    it("counts per status ignore the status filter and honour the others", async () => {
      const counts = await countByStatus(db.prisma, { q: "иванов" });
      expect(counts).toMatchObject({ all: 2, paid: 2, failed: 0, awaiting_approval: 0 });
      const dated = await countByStatus(db.prisma, { from: new Date(NOW.getTime() - 2 * DAY - HOUR), to: NOW, q: "" });
      expect(dated.all).toBeGreaterThanOrEqual(4);
      const onlyMine = await countByStatus(db.prisma, { sourceAccount: "escrow" });
      expect(onlyMine).toMatchObject({ all: 1, awaiting_approval: 1 });
    });
  });

  describe("keyset pagination", () => {
    const purpose = "Страницы";
    beforeAll(async () => {
      // 23 rows, several sharing one created_at (and amount) to exercise the id tie-breaker.
      const same = new Date(NOW.getTime() - 30 * DAY);
      for (let i = 0; i < 23; i++) {
        await insert(db, { purpose, recipientName: `Страница ${i}`, amountKopecks: BigInt(1_000 * (i % 4)), createdAt: i % 3 === 0 ? same : new Date(NOW.getTime() - 30 * DAY - i * 1000) });
      }
    });
    const filters: PayoutListFilters = { q: "Страница" };

    it.each([
      ["createdAt", "desc"],
      ["createdAt", "asc"],
      ["amount", "desc"],
      ["amount", "asc"],
      ["updatedAt", "desc"],
    ] as const)("walks every row exactly once (%s %s)", async (sort, dir) => {
      const pages = await allPages(db, filters, { sort, dir, limit: 5 });
      expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
      const ids = pages.flat().map((row) => row.id);
      expect(new Set(ids).size).toBe(23);
      const single = await listPayouts(db.prisma, filters, { sort, dir, limit: 100 });
      expect(ids).toEqual(single.rows.map((row) => row.id));
    });

    it("keeps microsecond timestamps exact across pages", async () => {
      // Two rows 1 µs apart: a millisecond cursor would drop or repeat one of them.
      const at = "2020-01-01 10:00:00.123456+00";
      const a = await insert(db, { purpose, recipientName: "Страница микро A" });
      const b = await insert(db, { purpose, recipientName: "Страница микро B" });
      await db.prisma.$executeRaw`UPDATE payout_requests SET created_at = ${at}::timestamptz WHERE id = ${a.id}::uuid`;
      await db.prisma.$executeRaw`UPDATE payout_requests SET created_at = ${at}::timestamptz + interval '1 microsecond' WHERE id = ${b.id}::uuid`;
      const pages = await allPages(db, { q: "Страница микро" }, { limit: 1 });
      expect(pages.flat().map((row) => row.id)).toEqual([b.id, a.id]);
    });

    it("has no gaps or duplicates when rows are inserted between pages", async () => {
      const first = await listPayouts(db.prisma, filters, { limit: 10 });
      // New rows (newest) and one in the middle of what is still to come.
      await insert(db, { purpose, recipientName: "Страница новая", createdAt: NOW });
      await insert(db, { purpose, recipientName: "Страница вставка", createdAt: new Date(NOW.getTime() - 30 * DAY - 20_500) });
      const seen = [...first.rows];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await listPayouts(db.prisma, filters, { limit: 10, cursor });
        seen.push(...page.rows);
        cursor = page.nextCursor;
      }
      const ids = seen.map((row) => row.id);
      expect(new Set(ids).size).toBe(ids.length);
      const names = seen.map((row) => row.recipientName);
      expect(names).not.toContain("Страница новая"); // newer than the first page: shows on refresh, not mid-walk
      expect(names).toContain("Страница вставка"); // ahead of the cursor: picked up
      // Everything but the row inserted above the first page was walked, once.
      const everything = await listPayouts(db.prisma, filters, { limit: 100 });
      expect(everything.rows).toHaveLength(23 + 2 + 2);
      expect(ids).toHaveLength(everything.rows.length - 1);
    });

    it("caps the page size and rejects foreign or broken cursors", async () => {
      const big = await listPayouts(db.prisma, {}, { limit: 10_000 });
      expect(big.rows.length).toBeLessThanOrEqual(100);
      const page = await listPayouts(db.prisma, filters, { limit: 2 });
      await expect(listPayouts(db.prisma, filters, { limit: 2, cursor: page.nextCursor, sort: "amount" })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(listPayouts(db.prisma, filters, { cursor: "not-a-cursor" })).rejects.toBeInstanceOf(InvalidCursorError);
      const forged = Buffer.from(JSON.stringify(["createdAt", "desc", "'; DROP TABLE x; --", randomUUID()])).toString("base64url");
      await expect(listPayouts(db.prisma, filters, { cursor: forged })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe("volume chart", () => {
    it("buckets by Moscow day and status, with exact kopeck sums", async () => {
      const purpose = "График";
      // 23:30 Moscow on Nov 20 (20:30 UTC) and 00:30 Moscow on Nov 21 (21:30 UTC Nov 20): different days.
      await insert(db, { purpose, recipientName: "График 1", status: "paid", amountKopecks: 9_007_199_254_740n, createdAt: new Date("2026-11-20T20:30:00Z") });
      await insert(db, { purpose, recipientName: "График 2", status: "paid", amountKopecks: 1n, createdAt: new Date("2026-11-20T21:30:00Z") });
      await insert(db, { purpose, recipientName: "График 3", status: "failed", amountKopecks: 250n, createdAt: new Date("2026-11-20T21:45:00Z") });
      await insert(db, { purpose, recipientName: "График 4", status: "paid", amountKopecks: 99n, createdAt: new Date("2026-11-21T10:00:00Z") });
      const { buckets, capped } = await payoutVolumeByDay(db.prisma, { q: "График" }, NOW);
      expect(capped).toBe(false);
      expect(buckets).toEqual([
        { day: "2026-11-20", status: "paid", count: 1, amountKopecks: 9_007_199_254_740 },
        { day: "2026-11-21", status: "failed", count: 1, amountKopecks: 250 },
        { day: "2026-11-21", status: "paid", count: 2, amountKopecks: 100 },
      ]);
      expect((await payoutVolumeByDay(db.prisma, { q: "График", status: "failed" }, NOW)).buckets).toHaveLength(1);
      // Outside the default 30-day window: not in the chart.
      await insert(db, { purpose, recipientName: "График старый", status: "paid", createdAt: new Date(NOW.getTime() - 40 * DAY) });
      expect((await payoutVolumeByDay(db.prisma, { q: "График старый" }, NOW)).buckets.length).toBe(0);
      expect((await payoutVolumeByDay(db.prisma, { q: "График старый", from: new Date(NOW.getTime() - 50 * DAY) }, NOW)).buckets.length).toBe(1);
    });
  });

  describe("CSV export", () => {
    it("writes every filtered row for Russian Excel: BOM, ';', decimal comma, Moscow times, formula-safe", async () => {
      const purpose = "Выгрузка";
      const a = await insert(db, { purpose, recipientName: "=HYPERLINK(\"x\") Выгрузкин", amountKopecks: 150_050n, status: "paid", reference: "ref;with;semicolons", createdAt: new Date("2026-11-21T21:30:00Z"), bankSessionId: "ps_csv_1", bankPayoutId: "po_csv_1" });
      for (let i = 0; i < 7; i++) await insert(db, { purpose, recipientName: `Выгрузкин ${i}`, amountKopecks: BigInt(100 * i + 5) });
      const csv = await readStream(payoutsCsvStream(db.prisma, { q: "Выгрузкин" }, { batchSize: 3 }));
      expect(csv.startsWith("\uFEFF")).toBe(true);
      const lines = csv.slice(1).split("\r\n").filter(Boolean);
      expect(lines[0]).toBe(CSV_COLUMNS.join(";"));
      expect(lines).toHaveLength(1 + 8);
      const row = lines.find((line) => line.includes(a.id))!;
      expect(row).toContain(`PR-${String(a.number).padStart(6, "0")};2026-11-22 00:30:00;`);
      expect(row).toContain(";Выплачена;paid;");
      expect(row).toContain(`;"'=HYPERLINK(""x"") Выгрузкин";1500,50;RUB;Карта;`);
      expect(row).toContain(`;"ref;with;semicolons";ps_csv_1;po_csv_1;`);
      expect(lines.some((line) => line.includes(";0,05;"))).toBe(true);
      const filtered = await readStream(payoutsCsvStream(db.prisma, { q: "Выгрузкин", status: "paid" }));
      expect(filtered.slice(1).split("\r\n").filter(Boolean)).toHaveLength(2);
    });
  });

  describe("reconciliation runs", () => {
    it("returns the last run with findings, and recent runs newest first", async () => {
      expect(await lastReconciliation(db.prisma)).toBeNull();
      await db.prisma.reconciliationRun.create({ data: { runner: "a", startedAt: new Date(NOW.getTime() - HOUR), finishedAt: new Date(NOW.getTime() - HOUR + 500), checked: 3, changed: 1, errors: 0, findings: [{ payoutRequestId: "x", action: "status_applied", effect: "transition:paid" }] } });
      await db.prisma.reconciliationRun.create({ data: { runner: "b", startedAt: NOW, checked: 0 } });
      const last = await lastReconciliation(db.prisma);
      expect(last).toMatchObject({ runner: "b", finishedAt: null, findings: [] });
      const recent = await recentReconciliations(db.prisma, 10);
      expect(recent.map((run) => run.runner)).toEqual(["b", "a"]);
      expect(recent[1]).toMatchObject({ checked: 3, changed: 1, errors: 0, findings: [{ payoutRequestId: "x", action: "status_applied", effect: "transition:paid" }] });
    });
  });
});

describe("list query parameters", () => {
  it("parses filters and names the bad parameter", () => {
    const parsed = PayoutListQuerySchema.parse({ status: "paid", from: "2026-11-01", to: "2026-11-22", minKopecks: "150050", q: " x ", sort: "amount", dir: "asc", limit: "20", method: "" });
    expect(parsed).toMatchObject({ status: "paid", minKopecks: 150_050, sort: "amount", dir: "asc", limit: 20, method: undefined });
    expect(parsed.from?.toISOString()).toBe("2026-10-31T21:00:00.000Z"); // Moscow midnight
    expect(parsed.to?.toISOString()).toBe("2026-11-22T21:00:00.000Z"); // end of the day, exclusive
    expect(PayoutListQuerySchema.parse({}).limit).toBe(50);
    const bad = (input: Record<string, string>) => {
      const result = PayoutListQuerySchema.safeParse(input);
      return result.success ? null : result.error.issues[0]?.path.join(".");
    };
    expect(bad({ status: "paidd" })).toBe("status");
    expect(bad({ from: "2026-13-01" })).toBe("from");
    expect(bad({ minKopecks: "1.5" })).toBe("minKopecks");
    expect(bad({ minKopecks: "500", maxKopecks: "100" })).toBe("maxKopecks");
    expect(bad({ from: "2026-11-22", to: "2026-11-01" })).toBe("to");
    expect(bad({ limit: "101" })).toBe("limit");
    expect(bad({ sort: "name" })).toBe("sort");
    expect(bad({ method: "cash" })).toBe("method");
  });
});
