/**
 * CPU per webhook-shaped transaction (BEGIN, 8 statements, COMMIT) through three clients on one
 * PostgreSQL database: Prisma typed calls, Prisma $queryRawUnsafe/$executeRawUnsafe (same SQL as pg),
 * and node-postgres directly. Optionally inside AsyncLocalStorage (as Next runs every request).
 *
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/webhooks-tx.ts [-- --count 2000 --als]
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { connectDatabase } from "../lib/db/client";
import { createPostgresTestDatabase } from "../tests/helpers/database";

const { values } = parseArgs({ options: { count: { type: "string", default: "2000" }, concurrency: { type: "string", default: "8" }, als: { type: "boolean", default: false } } });
const COUNT = Number(values.count);
const CONCURRENCY = Number(values.concurrency);

const created = await createPostgresTestDatabase();
const db = await connectDatabase({ kind: "postgres", url: created.url }, { poolSize: 10 });
const { prisma, pool } = db;
const total = COUNT * 4 + 400;
await pool!.query(`
  INSERT INTO payout_requests (id, status, amount_kopecks, currency, recipient_name, purpose, method, link_token_hash, link_expires_at, link_used_at, card_number_hash, card_brand, card_last4, updated_at)
  SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'submitted', 100000, 'rub', 'Получатель ' || g, 'Вознаграждение', 'card_widget',
         md5(g::text) || md5('t' || g::text), now() + interval '7 days', now(), md5('card' || g::text), 'mir', '4940', now()
  FROM generate_series(1, ${total}) g`);
await pool!.query(`
  INSERT INTO bank_sessions (id, payout_request_id, bank_session_id, idempotency_key, status, flow, start_plan, updated_at)
  SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'ps_b_' || g, 'bench-' || g, 'in_progress', 'create_start', '{}'::jsonb, now()
  FROM generate_series(1, ${total}) g`);
await pool!.query("VACUUM ANALYZE");

const SQL = {
  lock: `SELECT s.id::text AS "id", s.payout_request_id::text AS "payoutRequestId", s.status::text AS "status", p.status::text AS "payoutStatus"
         FROM bank_sessions s JOIN payout_requests p ON p.id = s.payout_request_id WHERE s.bank_session_id = $1 FOR UPDATE OF s, p`,
  payouts: `SELECT bank_payout_id, status::text, amount_kopecks, refunded_at FROM bank_payouts WHERE bank_payout_id = ANY($1::text[])`,
  insertPayout: `INSERT INTO bank_payouts (id, bank_session_row_id, bank_payout_id, status, amount_kopecks, currency, updated_at) VALUES ($1::uuid, $2::uuid, $3, 'pending', 100000, 'rub', now())`,
  move: `UPDATE payout_requests SET status = 'awaiting_approval', version = version + 1, updated_at = now() WHERE id = $1::uuid AND status = 'submitted'`,
  audit: `INSERT INTO audit_events (at, actor_type, action, payout_request_id, from_status, to_status, data) VALUES (now(), 'bank', 'bank.webhook', $1::uuid, 'submitted', 'awaiting_approval', $2::jsonb)`,
  endpoints: `SELECT id FROM partner_webhook_endpoints WHERE event_types @> ARRAY[$1]::text[]`,
  session: `UPDATE bank_sessions SET status = 'in_progress', next_action = 'confirm', last_synced_at = now(), check_failures = 0, next_check_at = NULL, updated_at = now() WHERE id = $1::uuid`,
  inbox: `INSERT INTO webhook_inbox (id, verdict, dedupe_key, raw_body, signature, event_type, bank_session_id, effect, processed_at) VALUES ($1::uuid, 'verified', $2, $3, 'sig', 'ready_to_confirm', $4, 'transition', now())`,
};
const body = "x".repeat(900);

type Row = { id: string; payoutRequestId: string };
async function viaPg(n: number) {
  const client = await pool!.connect();
  try {
    await client.query("BEGIN");
    const row = (await client.query<Row>(SQL.lock, [`ps_b_${n}`])).rows[0]!;
    await client.query(SQL.payouts, [[`po_${n}`]]);
    await client.query(SQL.insertPayout, [randomUUID(), row.id, `po_${n}`]);
    await client.query(SQL.move, [row.payoutRequestId]);
    await client.query(SQL.audit, [row.payoutRequestId, JSON.stringify({ bankSessionId: `ps_b_${n}` })]);
    await client.query(SQL.endpoints, ["payout.awaiting_approval"]);
    await client.query(SQL.session, [row.id]);
    await client.query(SQL.inbox, [randomUUID(), String(n).padStart(64, "0"), body, `ps_b_${n}`]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
async function viaPrismaRaw(n: number) {
  await prisma.$transaction(async (tx) => {
    const row = (await tx.$queryRawUnsafe<Row[]>(SQL.lock, `ps_b_${n}`))[0]!;
    await tx.$queryRawUnsafe(SQL.payouts, [`po_${n}`]);
    await tx.$executeRawUnsafe(SQL.insertPayout, randomUUID(), row.id, `po_${n}`);
    await tx.$executeRawUnsafe(SQL.move, row.payoutRequestId);
    await tx.$executeRawUnsafe(SQL.audit, row.payoutRequestId, JSON.stringify({ bankSessionId: `ps_b_${n}` }));
    await tx.$queryRawUnsafe(SQL.endpoints, "payout.awaiting_approval");
    await tx.$executeRawUnsafe(SQL.session, row.id);
    await tx.$executeRawUnsafe(SQL.inbox, randomUUID(), String(n).padStart(64, "0"), body, `ps_b_${n}`);
  });
}
async function viaPrismaTyped(n: number) {
  await prisma.$transaction(async (tx) => {
    const row = (await tx.$queryRawUnsafe<Row[]>(SQL.lock, `ps_b_${n}`))[0]!;
    await tx.bankPayout.findMany({ where: { bankPayoutId: { in: [`po_${n}`] } }, select: { bankPayoutId: true, status: true, amountKopecks: true, refundedAt: true } });
    await tx.bankPayout.createMany({ data: { bankSessionRowId: row.id, bankPayoutId: `po_${n}`, status: "pending", amountKopecks: 100000n, currency: "rub" } });
    await tx.payoutRequest.updateMany({ where: { id: row.payoutRequestId, status: "submitted" }, data: { status: "awaiting_approval", version: { increment: 1 } } });
    await tx.auditEvent.createMany({ data: { at: new Date(), actorType: "bank", action: "bank.webhook", payoutRequestId: row.payoutRequestId, fromStatus: "submitted", toStatus: "awaiting_approval", data: { bankSessionId: `ps_b_${n}` } } });
    await tx.partnerWebhookEndpoint.findMany({ where: { eventTypes: { has: "payout.awaiting_approval" } }, select: { id: true } });
    await tx.bankSession.updateMany({ where: { id: row.id }, data: { status: "in_progress", nextAction: "confirm", lastSyncedAt: new Date(), checkFailures: 0, nextCheckAt: null } });
    await tx.webhookInbox.createMany({ data: { verdict: "verified", dedupeKey: String(n).padStart(64, "0"), rawBody: body, signature: "sig", eventType: "ready_to_confirm", bankSessionId: `ps_b_${n}`, effect: "transition", processedAt: new Date() } });
  });
}

const als = new AsyncLocalStorage<{ n: number }>();
let next = 1;
async function run(name: string, fn: (n: number) => Promise<void>, count: number) {
  const first = next;
  next += count;
  let index = first;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let n = index++; n < first + count; n = index++) await (values.als ? als.run({ n }, () => fn(n)) : fn(n));
    }),
  );
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - started;
  console.log(`${name.padEnd(14)} ${((used.user + used.system) / 1000 / count).toFixed(3)} ms CPU/tx (user ${(used.user / 1000 / count).toFixed(3)}), ${(count / (ms / 1000)).toFixed(0)} tx/s`);
}
try {
  console.log(`${COUNT} transactions each, concurrency ${CONCURRENCY}${values.als ? ", inside AsyncLocalStorage" : ""}`);
  for (const [name, fn] of [["pg", viaPg], ["prisma raw", viaPrismaRaw], ["prisma typed", viaPrismaTyped]] as const) await run(`warm ${name}`, fn, 100);
  for (const [name, fn] of [["pg", viaPg], ["prisma raw", viaPrismaRaw], ["prisma typed", viaPrismaTyped]] as const) await run(name, fn, COUNT);
} finally {
  await db.close();
  await created.drop();
}
