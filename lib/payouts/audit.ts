import { createHash } from "node:crypto";
import type { Prisma } from "../generated/prisma/client";
import type { ActorType } from "../generated/prisma/enums";
import { sqlOf, type Sql } from "../db/sql";

export interface Actor {
  type: ActorType;
  id?: string | null;
}

/** The portal itself (reconciliation, audits of finished payouts). */
export const SYSTEM: Actor = { type: "system" };
export const BANK: Actor = { type: "bank" };
export const RECIPIENT: Actor = { type: "recipient" };

type Tx = Prisma.TransactionClient;

/**
 * Sealing serializes on this transaction-scoped advisory lock, so the chain has one order. Writers
 * never take it: an event is inserted unsealed (no sequence, no hash) by the transaction that made
 * the change, and the sealer links committed events into the chain right after. A busy payout path
 * therefore never waits for every other transaction's commit.
 */
export const AUDIT_CHAIN_LOCK = 131_000_006;

/** The fields an audit hash covers, exactly as stored. */
export interface ChainedFields {
  sequence: bigint;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  payoutRequestId: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  data: unknown;
  prevHash: string | null;
}

/** JSON with object keys sorted at every level and no whitespace; `undefined` members dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(",")}}`;
}

/**
 * SHA-256 (hex) over the canonical JSON of
 * `{ action, actorId, actorType, at (ISO-8601, ms), data, fromStatus, payoutRequestId, prevHash, sequence (decimal string), toStatus }`.
 * The row id is not covered: `sequence` is the event's place in the chain.
 */
export function auditHash(fields: ChainedFields): string {
  const canonical = canonicalJson({
    action: fields.action,
    actorId: fields.actorId,
    actorType: fields.actorType,
    at: fields.at.toISOString(),
    data: fields.data ?? null,
    fromStatus: fields.fromStatus,
    payoutRequestId: fields.payoutRequestId,
    prevHash: fields.prevHash,
    sequence: fields.sequence.toString(),
    toStatus: fields.toStatus,
  });
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * Records one audit event in the transaction that made the change it describes (it commits or rolls
 * back with it). It is sealed into the hash chain after the commit (`sealAuditChain`).
 */
export async function audit(tx: Tx | Sql, event: AuditEventInput): Promise<void> {
  const insert = auditInsert(event, 1);
  await sqlOf(tx).execute(`INSERT INTO audit_events ${insert.columns} VALUES (${insert.values})`, insert.params);
  auditAppended();
}

/**
 * One audit event as SQL (the columns, the value list with parameters numbered from `first`), for
 * audit() and for statements that append the event themselves (transition()); the caller then calls
 * auditAppended().
 */
export function auditInsert(event: AuditEventInput, first: number): { columns: string; values: string; params: unknown[] } {
  // Millisecond precision, so the stored value reads back exactly as it will be hashed.
  const row = auditRow(event, new Date());
  const n = (offset: number) => `$${first + offset}`;
  return {
    columns: "(at, actor_type, actor_id, action, payout_request_id, from_status, to_status, data)",
    values: `${n(0)}::timestamptz, ${n(1)}::"ActorType", ${n(2)}, ${n(3)}, ${n(4)}::uuid, ${n(5)}, ${n(6)}, ${n(7)}::jsonb`,
    params: [row.at, row.actorType, row.actorId, row.action, row.payoutRequestId, row.fromStatus, row.toStatus, row.data === undefined ? null : JSON.stringify(row.data)],
  };
}

/** An event was appended: this process's sealers link it into the chain shortly. */
export function auditAppended(): void {
  for (const sealer of sealers) sealer.soon();
}

export type AuditEventInput = { actor: Actor; action: string; payoutRequestId?: string | null; fromStatus?: string | null; toStatus?: string | null; data?: Prisma.InputJsonValue };

const auditRow = (event: AuditEventInput, at: Date) => ({
  at,
  actorType: event.actor.type,
  actorId: event.actor.id ?? null,
  action: event.action,
  payoutRequestId: event.payoutRequestId ?? null,
  fromStatus: event.fromStatus ?? null,
  toStatus: event.toStatus ?? null,
  data: event.data,
});

/** Many events of one transaction in one statement (bulk creation); the same fields as audit(). */
export async function auditMany(tx: Tx, events: AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const at = new Date();
  await tx.auditEvent.createMany({ data: events.map((event) => auditRow(event, at)) });
  for (const sealer of sealers) sealer.soon();
}

const SEAL_BATCH = 500;

type SealingClient = { $transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T> };

/**
 * Links every committed unsealed event into the chain, in the order the sealer meets them (rows
 * written before the chain existed first, by their sequence; then new events by id), and returns how
 * many it sealed. Safe to run from any number of processes at once: they take turns on the lock.
 */
export async function sealAuditChain(prisma: SealingClient): Promise<number> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
      let sealed = 0;
      let last = await tx.auditEvent.findFirst({ where: { sequence: { not: null }, hash: { not: null } }, orderBy: { sequence: "desc" }, select: { sequence: true, hash: true } });
      for (;;) {
        // Events from before the chain have a sequence but no hash, all above the last hashed one (the
        // chain is hashed in sequence order); events waiting for the sealer have neither. Both reads
        // walk the sequence index, so a pass with nothing to do reads no rows.
        const legacy = await tx.auditEvent.findMany({ where: { sequence: { gt: last?.sequence ?? 0n } }, orderBy: { sequence: "asc" }, take: SEAL_BATCH });
        const batch = legacy.length > 0 ? legacy : await tx.auditEvent.findMany({ where: { sequence: null }, orderBy: { id: "asc" }, take: SEAL_BATCH });
        if (batch.length === 0) return sealed;
        const ids: bigint[] = [];
        const sequences: bigint[] = [];
        const prevHashes: Array<string | null> = [];
        const hashes: string[] = [];
        for (const row of batch) {
          const sequence = row.sequence ?? (last?.sequence ?? 0n) + 1n;
          const prevHash = last?.hash ?? null;
          const hash = auditHash({ ...row, sequence, prevHash });
          ids.push(row.id);
          sequences.push(sequence);
          prevHashes.push(prevHash);
          hashes.push(hash);
          last = { sequence, hash };
        }
        // One statement per batch; the append-only trigger lets exactly these three columns be set once.
        await tx.$executeRaw`
          UPDATE audit_events AS a SET sequence = v.sequence, prev_hash = v.prev_hash, hash = v.hash
          FROM unnest(${ids}::bigint[], ${sequences}::bigint[], ${prevHashes}::text[], ${hashes}::text[]) AS v(id, sequence, prev_hash, hash)
          WHERE a.id = v.id`;
        sealed += batch.length;
        // A short batch of new events was all there was: whatever commits later starts another pass.
        if (legacy.length === 0 && batch.length < SEAL_BATCH) return sealed;
      }
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
}

/** Sealers of this process: each seals shortly after an append, and sweeps on an interval for appends made elsewhere. */
const sealers = new Set<{ soon(): void }>();

/**
 * Runs `sealAuditChain` for this process: a few milliseconds after each append (coalesced; by then the
 * appending transaction has usually committed) and every `intervalMs` (events committed later, or by
 * other processes). Returns a stop function that waits for a running pass.
 */
export function startAuditSealer(
  prisma: SealingClient,
  options: { intervalMs?: number; delayMs?: number; onError?: (error: unknown) => void } = {},
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let pending: NodeJS.Timeout | null = null;
  const pass = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = sealAuditChain(prisma)
      .then(() => undefined, (error: unknown) => options.onError?.(error))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          pass();
        }
      });
  };
  const sealer = {
    soon(): void {
      if (pending || stopped) return;
      pending = setTimeout(() => {
        pending = null;
        pass();
      }, options.delayMs ?? 20);
      pending.unref();
    },
  };
  sealers.add(sealer);
  const sweep = setInterval(pass, options.intervalMs ?? 2_000);
  sweep.unref();
  return async () => {
    stopped = true;
    sealers.delete(sealer);
    clearInterval(sweep);
    if (pending) clearTimeout(pending);
    await running;
  };
}

export type ChainVerdict =
  | { ok: true; count: number; /** Committed events the sealer has not linked yet (verified once sealed). */ unsealed: number }
  | {
      ok: false;
      count: number;
      /** The first event that does not match the chain. */
      sequence: bigint;
      id: bigint;
      reason: "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap" | "not_hashed";
      expected: string | null;
      stored: string | null;
    };

/** Walks the chain in sequence order and names the first broken link (read-only). */
export async function verifyAuditChain(prisma: Pick<Tx, "auditEvent">, options: { batchSize?: number } = {}): Promise<ChainVerdict> {
  let count = 0;
  let expectedSequence = 1n;
  let prevHash: string | null = null;
  for (;;) {
    const batch = await prisma.auditEvent.findMany({ where: { sequence: { gte: expectedSequence } }, orderBy: { sequence: "asc" }, take: options.batchSize ?? 1_000 });
    if (batch.length === 0) return { ok: true, count, unsealed: await prisma.auditEvent.count({ where: { sequence: null } }) };
    for (const row of batch) {
      const broken = (reason: Extract<ChainVerdict, { ok: false }>["reason"], expected: string | null, stored: string | null): ChainVerdict => ({
        ok: false,
        count,
        sequence: row.sequence ?? expectedSequence,
        id: row.id,
        reason,
        expected,
        stored,
      });
      if (row.sequence !== expectedSequence) return broken("sequence_gap", expectedSequence.toString(), String(row.sequence));
      if (row.hash === null) return broken("not_hashed", null, null);
      if (row.prevHash !== prevHash) return broken("prev_hash_mismatch", prevHash, row.prevHash);
      const expected = auditHash({ ...row, sequence: expectedSequence, prevHash });
      if (expected !== row.hash) return broken("hash_mismatch", expected, row.hash);
      prevHash = row.hash;
      expectedSequence += 1n;
      count += 1;
    }
  }
}
