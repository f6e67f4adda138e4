/**
 * Sessions dashboard queries at a million payout requests (lib/payouts/list.ts), on PostgreSQL.
 *
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:list [-- --rows 1000000 --runs 30 --keep]
 *
 * Creates a fresh `portal_test_*` database, fills it with INSERT … SELECT generate_series (a minute
 * or so), ANALYZEs, then prints p50/p95 latency per query. Numbers only: nothing is asserted.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { connectDatabase } from "../lib/db/client";
import {
  countByStatus,
  encodeCursor,
  listPayouts,
  payoutVolumeByDay,
  type PayoutListFilters,
  type PayoutListPage,
} from "../lib/payouts/list";
import { createPostgresTestDatabase } from "../tests/helpers/database";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, runs: { type: "string", default: "30" }, keep: { type: "boolean", default: false } },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const KEEP = values.keep;

if (!process.env.TEST_DATABASE_URL?.trim()) {
  console.error("TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
  process.exit(2);
}

const SURNAMES = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов"];
const FIRST = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил", "Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Юлия", "Екатерина"];

const sqlArray = (values: string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(",")}]`;

async function main() {
  const started = performance.now();
  const { url, drop } = await createPostgresTestDatabase();
  const db = await connectDatabase({ kind: "postgres", url }, { poolSize: 4 });
  const client = await db.pool!.connect();
  try {
    console.log(`database ${new URL(url).pathname.slice(1)}; filling ${ROWS.toLocaleString("en")} payout requests…`);
    const fillStarted = performance.now();
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '256MB'");
    // Filling with the indexes in place is several times slower: drop them, fill, recreate.
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'payout_requests' AND indexname <> 'payout_requests_pkey'`,
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
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
    // A needle for the "rare name" search.
    await client.query(`UPDATE payout_requests SET recipient_name = 'Уникальнова Агата' WHERE number = ${Math.floor(ROWS / 3)}`);
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
    const { rows: sizes } = await client.query<{ rows: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM payout_requests)::text AS rows, pg_size_pretty(pg_total_relation_size('payout_requests')) AS bytes`,
    );
    console.log(`filled in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s: ${sizes[0]!.rows} rows, payout_requests ${sizes[0]!.bytes} with indexes`);

    const { rows: deep } = await client.query<{ key: string; id: string }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key, id::text AS id
       FROM payout_requests ORDER BY created_at DESC, id ASC OFFSET ${Math.floor(ROWS * 0.8)} LIMIT 1`,
    );
    const deepCursor = encodeCursor({ s: "createdAt", d: "desc", k: deep[0]!.key, id: deep[0]!.id });
    const { rows: deepAmount } = await client.query<{ key: string; id: string }>(
      `SELECT amount_kopecks::text AS key, id::text AS id FROM payout_requests ORDER BY amount_kopecks DESC, id ASC OFFSET ${Math.floor(ROWS * 0.5)} LIMIT 1`,
    );
    const deepAmountCursor = encodeCursor({ s: "amount", d: "desc", k: deepAmount[0]!.key, id: deepAmount[0]!.id });
    const sample = (await client.query<{ number: number }>(`SELECT number FROM payout_requests WHERE status = 'paid' ORDER BY random() LIMIT 1`)).rows[0]!.number;
    client.release();

    const prisma = db.prisma;
    const now = new Date();
    const day = 86_400_000;
    const list = (filters: PayoutListFilters, page: PayoutListPage = {}) => () => listPayouts(prisma, filters, { limit: 50, ...page });
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["list: first page (created desc)", list({})],
      ["list: deep keyset page (80% in)", list({}, { cursor: deepCursor })],
      ["list: status tab awaiting_approval", list({ status: "awaiting_approval" })],
      ["list: sort amount desc, first page", list({}, { sort: "amount" })],
      ["list: sort amount desc, deep page (50%)", list({}, { sort: "amount", cursor: deepAmountCursor })],
      ["list: sort updated asc, first page", list({}, { sort: "updatedAt", dir: "asc" })],
      ["list: last 7 days + 1000-5000 ₽ + bank_account", list({ from: new Date(now.getTime() - 7 * day), minKopecks: 100_000, maxKopecks: 500_000, method: "bank_account" })],
      ["list: source escrow + failed", list({ sourceAccount: "escrow", status: "failed" })],
      ["search: name, common (\"Иванов\")", list({ q: "Иванов" })],
      ["search: name, common + status failed", list({ q: "Петров Анна", status: "failed" })],
      ["search: name, rare (1 row)", list({ q: "уникальнова" })],
      ["search: name, no match", list({ q: "Несуществующий" })],
      ["search: request number PR-…", list({ q: `PR-${String(sample).padStart(6, "0")}` })],
      ["search: bank session ps_…", list({ q: `ps_${sample}` })],
      ["search: bank payout po_…", list({ q: `po_${sample}` })],
      ["search: reference", list({ q: `INV-${Math.floor(ROWS / 3 / 3) * 3}` })],
      ["counts: all rows", () => countByStatus(prisma, {})],
      ["counts: last 30 days", () => countByStatus(prisma, { from: new Date(now.getTime() - 30 * day) })],
      ["counts: name search \"Иванов\"", () => countByStatus(prisma, { q: "Иванов" })],
      ["chart: default 30 days", () => payoutVolumeByDay(prisma, {})],
      ["chart: 92 days (the longest it draws)", () => payoutVolumeByDay(prisma, { from: new Date(now.getTime() - 92 * day) })],
      ["chart: 30 days, status paid", () => payoutVolumeByDay(prisma, { status: "paid" })],
    ];

    console.log(`\n${"query".padEnd(48)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"rows".padStart(6)}`);
    for (const [name, run] of cases) {
      let last: unknown;
      for (let i = 0; i < 3; i++) last = await run(); // warm-up (plans, caches)
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        last = await run();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const pick = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
      const count = Array.isArray(last) ? last.length : last && typeof last === "object" && "rows" in last ? (last as { rows: unknown[] }).rows.length : "";
      console.log(`${name.padEnd(48)} ${pick(50).toFixed(1).padStart(8)} ${pick(95).toFixed(1).padStart(8)} ${String(count).padStart(6)}`);
    }
    console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await db.close();
    if (KEEP) console.log(`kept ${url}`);
    else await drop();
  }
}

await main();
