/**
 * The yardstick for `npm run bench:webhooks`: the same work per signed webhook as the portal — RSA verify
 * on the raw bytes, then one transaction that stores the inbox row, moves the bank session and the payout
 * forward (conditional update), records the bank payout, appends the audit event (unsealed: the portal's
 * sealer links events into the hash chain after the commit, work this handler is spared), marks the inbox
 * row processed, and notifies listeners after the commit. No framework, no ORM. Served by a bare
 * `node:http` server (bench/webhooks-bare.ts) and, to measure the framework's own cost, by a Next route
 * handler with nothing else in its app (bench/next-floor).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { loadPublicKey, verifyBody } from "../lib/bank131/signature";

export interface BareWebhookHandler {
  /** The HTTP status to answer. */
  handle(raw: Buffer, signature: string | undefined): Promise<number>;
  close(): Promise<void>;
}

export function bareWebhookHandler(url: string, publicKeyFile: string): BareWebhookHandler {
  const publicKey = loadPublicKey(readFileSync(publicKeyFile));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return { handle: (raw, signature) => handle(pool, publicKey, raw, signature), close: () => pool.end() };
}

interface ReadyToConfirm {
  type: string;
  session: { id: string; status: string; next_action?: string; payout_list: Array<{ id: string; status: string; amount_details: { amount: number; currency: string } }> };
}

async function handle(pool: pg.Pool, publicKey: ReturnType<typeof loadPublicKey>, raw: Buffer, signature: string | undefined): Promise<number> {
  if (!signature || !verifyBody(raw, signature, publicKey)) return 401;
  const webhook = JSON.parse(raw.toString("utf8")) as ReadyToConfirm;
  const dedupeKey = createHash("sha256").update(raw).digest("hex");
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const inbox = await client.query<{ id: string }>(
      `INSERT INTO webhook_inbox (id, verdict, dedupe_key, raw_body, signature, event_type, bank_session_id)
       VALUES (gen_random_uuid(), 'verified', $1, $2, $3, $4, $5) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [dedupeKey, raw.toString("utf8"), signature, webhook.type, webhook.session.id],
    );
    if (inbox.rowCount === 0) {
      await client.query("ROLLBACK");
      return 200;
    }
    const session = await client.query<{ id: string; payout_request_id: string }>(
      `UPDATE bank_sessions SET status = $2::"BankSessionStatus", next_action = $3, last_synced_at = now(), check_failures = 0, next_check_at = NULL, updated_at = now()
       WHERE bank_session_id = $1 RETURNING id, payout_request_id`,
      [webhook.session.id, webhook.session.status, webhook.session.next_action ?? null],
    );
    let effect = "ignored:unknown_session";
    const row = session.rows[0];
    if (row) {
      const payout = webhook.session.payout_list[0]!;
      await client.query(
        `INSERT INTO bank_payouts (id, bank_session_row_id, bank_payout_id, status, amount_kopecks, currency, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3::"BankPayoutStatus", $4, $5, now()) ON CONFLICT (bank_payout_id) DO NOTHING`,
        [row.id, payout.id, payout.status, payout.amount_details.amount, payout.amount_details.currency],
      );
      const moved = await client.query(
        `UPDATE payout_requests SET status = 'awaiting_approval', version = version + 1, updated_at = now() WHERE id = $1 AND status = 'submitted'`,
        [row.payout_request_id],
      );
      effect = moved.rowCount === 1 ? "transition:awaiting_approval" : "ignored:stale";
      await client.query(
        `INSERT INTO audit_events (at, actor_type, actor_id, action, payout_request_id, from_status, to_status, data)
         VALUES (now(), 'bank', NULL, 'bank.news', $1, 'submitted', 'awaiting_approval', $2)`,
        [row.payout_request_id, JSON.stringify({ source: "webhook" })],
      );
    }
    await client.query("UPDATE webhook_inbox SET effect = $2, processed_at = now() WHERE id = $1", [inbox.rows[0]!.id, effect]);
    await client.query("COMMIT");
    await client.query("SELECT pg_notify('portal_events', $1)", [JSON.stringify({ type: "webhook.received", payoutRequestId: row?.payout_request_id })]);
    return 200;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

