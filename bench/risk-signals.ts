/**
 * Risk signals for a page of the approval queue (lib/payouts/risk-signals.ts), on PostgreSQL.
 *
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:risk [-- --rows 200000 --runs 30]
 *
 * Creates a fresh `portal_test_*` database with --rows payout requests over 20 000 cards and 5 000
 * recipients (so instruments and names repeat like a busy partner's), ANALYZEs, then prints p50/p95 of
 * riskSignalsFor for the 100 payouts the queue shows, and of the whole queue read with and without the
 * signals filter. Numbers only: nothing is asserted.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { connectDatabase } from "../lib/db/client";
import { approvalQueue, QUEUE_LIMIT } from "../lib/payouts/queue";
import { riskSignalsFor } from "../lib/payouts/risk-signals";
import { createPostgresTestDatabase } from "../tests/helpers/database";

const { values } = parseArgs({ options: { rows: { type: "string", default: "200000" }, runs: { type: "string", default: "30" } } });
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
if (!process.env.TEST_DATABASE_URL?.trim()) {
  console.error("TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
  process.exit(2);
}

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  console.log(`${label.padEnd(48)} p50 ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms`);
}

const { url, drop } = await createPostgresTestDatabase({});
const db = await connectDatabase({ kind: "postgres", url }, { poolSize: 2 });
try {
  const started = performance.now();
  // One card per 10 payouts on average (20 000 cards), one name per 40; 1 % await approval with a deadline.
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO payout_requests (id, status, amount_kopecks, recipient_name, purpose, method, link_token_hash, link_expires_at,
                                 card_number_hash, card_last4, created_at, updated_at)
    SELECT gen_random_uuid(),
           (CASE WHEN g % 100 = 0 THEN 'awaiting_approval' WHEN g % 10 < 7 THEN 'paid' WHEN g % 10 < 9 THEN 'failed' ELSE 'cancelled' END)::"PayoutRequestStatus",
           (10000 + (g * 7919) % 5000000)::bigint,
           'Получатель ' || (g % 5000)::text,
           'Вознаграждение', 'card_widget', md5(g::text || 'link'), now() + interval '7 days',
           md5((g % 20000)::text), lpad(((g % 20000) % 10000)::text, 4, '0'),
           now() - (g || ' minutes')::interval, now()
    FROM generate_series(1, ${ROWS}) AS g`);
  await db.prisma.$executeRawUnsafe(`
    INSERT INTO bank_sessions (id, payout_request_id, bank_session_id, idempotency_key, status, flow, start_plan, confirm_deadline_at, updated_at)
    SELECT gen_random_uuid(), id, 'ps_' || id::text, 'idem_' || id::text, 'in_progress', 'create_start', '{}', now() + interval '4 hours', now()
    FROM payout_requests WHERE status = 'awaiting_approval'`);
  await db.prisma.$executeRawUnsafe("ANALYZE");
  console.log(`filled ${ROWS.toLocaleString("en")} payout requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const page = await approvalQueue(db.prisma);
  const ids = page.rows.map((row) => row.id);
  console.log(`queue: ${page.total} awaiting approval, ${ids.length} shown (QUEUE_LIMIT ${QUEUE_LIMIT}), ${page.rows.filter((row) => row.signals.length > 0).length} of them flagged`);
  await timed(`riskSignalsFor(${ids.length} payouts)`, () => riskSignalsFor(db.prisma, ids));
  await timed("approvalQueue (first page, with signals)", () => approvalQueue(db.prisma));
  await timed("approvalQueue (only with signals: whole queue)", () => approvalQueue(db.prisma, new Date(), { onlyWithSignals: true }));
} finally {
  await db.close();
  await drop();
}
