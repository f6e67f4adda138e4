/**
 * Sessions dashboard queries at a million payout requests (lib/payouts/list.ts), on PostgreSQL.
 *
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:list [-- --rows 1000000 --runs 30 --keep]
 *   npm run bench:list -- --reuse postgresql://postgres@127.0.0.1:5432/portal_test_…   # a database kept by --keep
 *   (--reuse of a migrated database without payouts fills it first: a database of your own name.)
 *
 * Creates a fresh `portal_test_*` database, fills it with INSERT … SELECT generate_series (a few
 * minutes), ANALYZEs, then prints p50/p95 latency per query: the list (first page and a status
 * tab), the tab counts and the chart for each filter combination the dashboard can produce, and a
 * deep page by OFFSET against the keyset cursor. Numbers only: nothing is asserted.
 *
 * On a machine shared with other work wall times measure the neighbours too: the `server CPU`
 * column is the CPU time (user + system) the database's backends spent per query, read from
 * /proc/<pid>/stat when the server runs on this machine (10 ms ticks summed over the runs; a
 * parallel worker's time is not in it).
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { PoolClient } from "pg";
import { connectDatabase } from "../lib/db/client";
import {
  countByStatus,
  encodeCursor,
  listPayouts,
  payoutVolumeByDay,
  type PayoutListFilters,
  type PayoutListPage,
  type PayoutStatusCounts,
  type VolumeByDay,
} from "../lib/payouts/list";
import { moscowCalendarDay, moscowDayStart } from "../lib/format/time";
import { createPostgresTestDatabase } from "../tests/helpers/database";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    runs: { type: "string", default: "30" },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const KEEP = values.keep;
const REUSE = values.reuse;

if (!REUSE && !process.env.TEST_DATABASE_URL?.trim()) {
  console.error("TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
  process.exit(2);
}

const SURNAMES = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов"];
const FIRST = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил", "Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Юлия", "Екатерина"];

const DEEP_OFFSET = (rows: number) => Math.floor(rows * 0.8);

const sqlArray = (values: string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(",")}]`;

async function fill(client: PoolClient) {
    console.log(`filling ${ROWS.toLocaleString("en")} payout requests…`);
    const fillStarted = performance.now();
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '256MB'");
    // Filling with the indexes in place is several times slower: drop them, fill, recreate.
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'payout_requests' AND indexname <> 'payout_requests_pkey'`,
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
    // The dashboard totals are filled in one GROUP BY below, as the migration does for existing rows.
    await client.query("ALTER TABLE payout_requests DISABLE TRIGGER payout_daily_delta");
    // Status mix of a busy partner: mostly paid, some of every other status.
    await client.query(`
      INSERT INTO payout_requests (id, status, amount_kopecks, currency, recipient_name, reference, purpose, method, source_account,
                                   link_token_hash, link_expires_at, card_number_hash, card_brand, card_last4, masked_account, bank_account_token,
                                   created_at, updated_at)
      SELECT gen_random_uuid(),
             (CASE WHEN r < 0.55 THEN 'paid' WHEN r < 0.65 THEN 'awaiting_recipient' WHEN r < 0.72 THEN 'failed' WHEN r < 0.77 THEN 'cancelled'
                   WHEN r < 0.84 THEN 'expired' WHEN r < 0.89 THEN 'awaiting_approval' WHEN r < 0.92 THEN 'submitted' WHEN r < 0.94 THEN 'confirming'
                   WHEN r < 0.96 THEN 'refunded' WHEN r < 0.98 THEN 'bank_error' ELSE 'cancelling' END)::"PayoutRequestStatus",
             (100 + floor(random() * random() * 60000000))::bigint,
             'rub',
             (${sqlArray(SURNAMES)})[1 + (g % ${SURNAMES.length})] || ' ' || (${sqlArray(FIRST)})[1 + ((g / ${SURNAMES.length}) % ${FIRST.length})] || ' ' || (g % 997)::text,
             CASE WHEN g % 3 = 0 THEN 'INV-' || g::text END,
             'Вознаграждение',
             (CASE WHEN g % 10 < 7 THEN 'card_widget' WHEN g % 10 < 8 THEN 'card_saved' WHEN g % 10 < 9 THEN 'bank_account' ELSE 'recurrent' END)::"PayoutMethod",
             (CASE WHEN g % 50 = 0 THEN 'escrow' WHEN g % 20 = 0 THEN 'settlement' ELSE 'regular' END)::"SourceAccount",
             md5(g::text) || md5('t' || g::text),
             ts + interval '7 days',
             CASE WHEN g % 10 <> 8 THEN md5('card' || g::text) END,
             CASE WHEN g % 10 <> 8 THEN (ARRAY['mir','visa','mastercard'])[1 + g % 3] END,
             CASE WHEN g % 10 <> 8 THEN lpad((g % 10000)::text, 4, '0') END,
             CASE WHEN g % 10 = 8 THEN '•••• ' || lpad((g % 10000)::text, 4, '0') END,
             CASE WHEN g % 10 = 8 THEN 'acct_' || g::text END,
             ts, least(now(), ts + random() * interval '2 days')
      -- Rows arrive in time order over a year (as in production: created_at follows the insert order).
      FROM (SELECT g, random() AS r, now() - ((${ROWS} - g)::float8 / ${ROWS}) * interval '365 days' - random() * interval '1 minute' AS ts
            FROM generate_series(1, ${ROWS}) g) s`);
    for (const index of indexes) await client.query(index.indexdef);
    await client.query(`
      INSERT INTO payout_daily_totals (day, status, method, source_account, count, amount_kopecks)
      SELECT (created_at AT TIME ZONE 'Europe/Moscow')::date, status, method, source_account, count(*), sum(amount_kopecks)
      FROM payout_requests GROUP BY 1, 2, 3, 4`);
    await client.query("ALTER TABLE payout_requests ENABLE TRIGGER payout_daily_delta");
    // A needle for the "rare name" search.
    await client.query(`UPDATE payout_requests SET recipient_name = 'Уникальнова Агата' WHERE number = ${Math.floor(ROWS / 3)}`);
    // Live traffic since the last compaction: status changes waiting as deltas (readers add them).
    await client.query(`UPDATE payout_requests SET status = 'paid' WHERE number IN (SELECT number FROM payout_requests WHERE status = 'confirming' ORDER BY number DESC LIMIT 2000)`);
    await client.query(`
      INSERT INTO bank_sessions (id, payout_request_id, bank_session_id, idempotency_key, status, flow, start_plan, confirm_deadline_at, created_at, updated_at)
      SELECT gen_random_uuid(), id, 'ps_' || number, 'bench-' || number,
             (CASE WHEN status IN ('paid','refunded','failed') THEN 'accepted' WHEN status = 'cancelled' THEN 'cancelled' WHEN status = 'bank_error' THEN 'error' ELSE 'in_progress' END)::"BankSessionStatus",
             'create_start', '{}'::jsonb,
             CASE WHEN status = 'awaiting_approval' THEN now() + interval '1 day' END,
             created_at, updated_at
      FROM payout_requests WHERE status NOT IN ('awaiting_recipient', 'expired')`);
    await client.query(`
      INSERT INTO bank_payouts (id, bank_session_row_id, bank_payout_id, status, amount_kopecks, currency, created_at, updated_at)
      SELECT gen_random_uuid(), bs.id, 'po_' || pr.number,
             (CASE WHEN pr.status IN ('paid','refunded') THEN 'succeeded' WHEN pr.status = 'failed' THEN 'failed' ELSE 'in_progress' END)::"BankPayoutStatus",
             pr.amount_kopecks, 'rub', bs.created_at, bs.updated_at
      FROM bank_sessions bs JOIN payout_requests pr ON pr.id = bs.payout_request_id
      WHERE pr.status IN ('paid', 'refunded', 'failed', 'confirming')`);
    await client.query("VACUUM ANALYZE payout_requests");
    await client.query("VACUUM ANALYZE bank_sessions");
    await client.query("VACUUM ANALYZE bank_payouts");
    await client.query("VACUUM ANALYZE payout_daily_totals");
    await client.query("VACUUM ANALYZE payout_daily_deltas");
    const { rows: sizes } = await client.query<{ rows: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM payout_requests)::text AS rows, pg_size_pretty(pg_total_relation_size('payout_requests')) AS bytes`,
    );
    console.log(`filled in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s: ${sizes[0]!.rows} rows, payout_requests ${sizes[0]!.bytes} with indexes`);
}

/** Rows on a page, buckets in a chart, or the "all" count (`1000+` when capped). */
function resultSize(result: unknown): string {
  if (Array.isArray(result)) return String(result.length);
  if (result && typeof result === "object" && "buckets" in result) {
    const volume = result as VolumeByDay;
    return `${volume.buckets.length}${volume.capped ? ` from ${moscowCalendarDay(volume.from).slice(5)}` : ""}`;
  }
  if (result && typeof result === "object" && "rows" in result) return String((result as { rows: unknown[] }).rows.length);
  if (result && typeof result === "object" && "capped" in result) {
    const counts = result as PayoutStatusCounts;
    return `${counts.all}${counts.capped ? "+" : ""}`;
  }
  return "";
}

async function main() {
  const started = performance.now();
  const created = REUSE ? null : await createPostgresTestDatabase();
  const url = REUSE ?? created!.url;
  const db = await connectDatabase({ kind: "postgres", url }, { poolSize: 4 });
  const client = await db.pool!.connect();
  try {
    console.log(`database ${new URL(url).pathname.slice(1)}`);
    // A reused database that holds no payout yet (freshly migrated, any name) is filled first.
    const empty = (await client.query("SELECT NOT EXISTS (SELECT 1 FROM payout_requests) AS empty")).rows[0]!.empty as boolean;
    if (empty) await fill(client);
    const rowCount = Number((await client.query<{ n: string }>("SELECT count(*)::text AS n FROM payout_requests")).rows[0]!.n);
    const { rows: pending } = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM payout_daily_deltas");
    console.log(`${rowCount.toLocaleString("en")} rows; ${pending[0]!.n} count deltas pending compaction`);

    const { rows: deep } = await client.query<{ key: string; id: string }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key, id::text AS id
       FROM payout_requests ORDER BY created_at DESC, id ASC OFFSET ${DEEP_OFFSET(rowCount)} LIMIT 1`,
    );
    const deepCursor = encodeCursor({ s: "createdAt", d: "desc", k: deep[0]!.key, id: deep[0]!.id });
    const { rows: deepAmount } = await client.query<{ key: string; id: string }>(
      `SELECT amount_kopecks::text AS key, id::text AS id FROM payout_requests ORDER BY amount_kopecks DESC, id ASC OFFSET ${Math.floor(rowCount * 0.5)} LIMIT 1`,
    );
    const deepAmountCursor = encodeCursor({ s: "amount", d: "desc", k: deepAmount[0]!.key, id: deepAmount[0]!.id });
    const sample = (await client.query<{ number: number }>(`SELECT number FROM payout_requests WHERE status = 'paid' ORDER BY random() LIMIT 1`)).rows[0]!.number;

    /** CPU ticks (1/100 s) of this database's other backends, or null when their /proc is not readable (a remote server). */
    const serverTicks = async (): Promise<number | null> => {
      const { rows: pids } = await client.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      try {
        return pids.reduce((sum, { pid }) => {
          const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
          return sum + Number(fields[11]) + Number(fields[12]); // utime, stime
        }, 0);
      } catch {
        return null;
      }
    };

    const prisma = db.prisma;
    const now = new Date();
    const list = (filters: PayoutListFilters, page: PayoutListPage = {}) => () => listPayouts(prisma, filters, { limit: 50, ...page });
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["list: first page (created desc)", list({})],
      ["list: deep keyset page (80% in)", list({}, { cursor: deepCursor })],
      [
        "list: deep OFFSET page (80% in), for comparison",
        () =>
          prisma.$queryRawUnsafe(
            `SELECT id, status, amount_kopecks, recipient_name, created_at FROM payout_requests ORDER BY created_at DESC, id ASC OFFSET ${DEEP_OFFSET(rowCount)} LIMIT 50`,
          ),
      ],
      ["list: sort amount desc, first page", list({}, { sort: "amount" })],
      ["list: sort amount desc, deep page (50%)", list({}, { sort: "amount", cursor: deepAmountCursor })],
      ["list: sort updated asc, first page", list({}, { sort: "updatedAt", dir: "asc" })],
      ["search: name, no match", list({ q: "Несуществующий" })],
      ["search: request number PR-…", list({ q: `PR-${String(sample).padStart(6, "0")}` })],
      ["search: bank session ps_…", list({ q: `ps_${sample}` })],
      ["search: bank payout po_…", list({ q: `po_${sample}` })],
    ];
    // Every filter the dashboard's bar can set, alone and combined; dates as the bar sends them (Moscow days).
    const week = { from: moscowDayStart(now, 6), to: moscowDayStart(now, -1) };
    const quarter = { from: moscowDayStart(now, 91), to: moscowDayStart(now, -1) };
    const amount = { minKopecks: 100_000, maxKopecks: 500_000 };
    const filterSets: Array<[string, PayoutListFilters]> = [
      ["no filters", {}],
      ["last 7 days", week],
      ["last 92 days", quarter],
      ["API dates (not Moscow midnights), 30 days", { from: new Date(now.getTime() - 30 * 86_400_000), to: now }],
      ["method bank_account", { method: "bank_account" }],
      ["source escrow", { sourceAccount: "escrow" }],
      ["7 days + method + source", { ...week, method: "card_widget", sourceAccount: "settlement" }],
      ["amount 1 000–5 000 ₽", amount],
      ["amount + 7 days + method", { ...amount, ...week, method: "bank_account" }],
      ["name, common (\"Иванов\")", { q: "Иванов" }],
      ["name, two words (\"Петров Анна\")", { q: "Петров Анна" }],
      ["name, rare, lower case + ё→е", { q: "уникальнова" }],
      ["name, two letters (\"Се\")", { q: "Се" }],
      ["reference", { q: `INV-${Math.floor(rowCount / 9) * 3}` }],
      ["name + 7 days", { q: "Семенов", ...week }],
      ["name + amount", { q: "Семенов", ...amount }],
      // Too wide to read whole (the planner expects ~900 000 entries): the walks and the trigram index.
      ["name + amount from 1 000 ₽ (wide)", { q: "Семенов", minKopecks: amount.minKopecks }],
      ["name + method + source", { q: "Козлов", method: "recurrent", sourceAccount: "regular" }],
      ["every filter", { q: "Иванов", ...amount, ...quarter, method: "card_widget", sourceAccount: "regular" }],
    ];
    for (const [name, filters] of filterSets) {
      cases.push([`list: ${name}`, list(filters)]);
      cases.push([`list: ${name}, tab failed`, list({ ...filters, status: "failed" })]);
      cases.push([`counts: ${name}`, () => countByStatus(prisma, filters)]);
      cases.push([`chart: ${name}`, () => payoutVolumeByDay(prisma, filters, now)]);
      cases.push([`chart: ${name}, tab paid`, () => payoutVolumeByDay(prisma, { ...filters, status: "paid" }, now)]);
    }

    console.log(`load average ${loadavg().map((n) => n.toFixed(2)).join(" ")}`);
    console.log(`\n${"query".padEnd(56)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"server CPU".padStart(11)} ${"result".padStart(8)}`);
    for (const [name, run] of cases) {
      let last: unknown;
      for (let i = 0; i < 3; i++) last = await run(); // warm-up (plans, caches)
      const times: number[] = [];
      const ticksBefore = await serverTicks();
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        last = await run();
        times.push(performance.now() - t0);
      }
      const ticksAfter = await serverTicks();
      const cpu = ticksBefore === null || ticksAfter === null ? "-" : `${(((ticksAfter - ticksBefore) * 10) / RUNS).toFixed(1)}`;
      times.sort((a, b) => a - b);
      const pick = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
      console.log(`${name.padEnd(56)} ${pick(50).toFixed(1).padStart(8)} ${pick(95).toFixed(1).padStart(8)} ${cpu.padStart(11)} ${resultSize(last).padStart(8)}`);
    }
    client.release();
    console.log(`\nload average ${loadavg().map((n) => n.toFixed(2)).join(" ")}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await db.close();
    if (KEEP || REUSE) console.log(`kept ${url}`);
    else await created!.drop();
  }
}

await main();
