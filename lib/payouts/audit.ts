import { createHash } from "node:crypto";
import type { Prisma } from "../generated/prisma/client";
import type { ActorType } from "../generated/prisma/enums";

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
 * Appends serialize on this transaction-scoped advisory lock, so the chain has one order: the lock
 * is taken right before the insert and held to commit, which is why `audit()` belongs at the end
 * of a transaction.
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
 * Appends one audit event to the hash chain; call inside the transaction that made the change it
 * describes, as its last write (the chain lock is held from here to commit).
 */
export async function audit(
  tx: Tx,
  event: { actor: Actor; action: string; payoutRequestId?: string | null; fromStatus?: string | null; toStatus?: string | null; data?: Prisma.InputJsonValue },
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  let last = await tx.auditEvent.findFirst({ orderBy: { sequence: "desc" }, select: { sequence: true, hash: true } });
  if (last && last.hash === null) last = await backfillInTx(tx);
  const fields: ChainedFields = {
    sequence: (last?.sequence ?? 0n) + 1n,
    // Millisecond precision, so the stored value reads back exactly as hashed.
    at: new Date(),
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    action: event.action,
    payoutRequestId: event.payoutRequestId ?? null,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    // What the jsonb column will give back (undefined members dropped).
    data: event.data === undefined ? null : (JSON.parse(JSON.stringify(event.data)) as unknown),
    prevHash: last?.hash ?? null,
  };
  await tx.auditEvent.create({
    data: { ...fields, actorType: event.actor.type, data: event.data, hash: auditHash(fields) },
  });
}

/**
 * Hashes events written before the chain existed (the migration gave them a sequence, not a hash),
 * in sequence order. Runs once, under the chain lock: from the first append after the migration,
 * or from `npm run audit:verify`. Returns the new last link.
 */
async function backfillInTx(tx: Tx): Promise<{ sequence: bigint; hash: string | null } | null> {
  let prevHash: string | null = null;
  let last: { sequence: bigint; hash: string | null } | null = null;
  let after = 0n;
  for (;;) {
    const batch = await tx.auditEvent.findMany({ where: { sequence: { gt: after } }, orderBy: { sequence: "asc" }, take: 500 });
    if (batch.length === 0) return last;
    for (const row of batch) {
      const hash: string = row.hash ?? auditHash({ ...row, prevHash });
      if (row.hash === null) await tx.auditEvent.update({ where: { id: row.id }, data: { prevHash, hash } });
      prevHash = hash;
      last = { sequence: row.sequence, hash };
      after = row.sequence;
    }
  }
}

export async function backfillAuditChain(prisma: { $transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { timeout?: number }): Promise<T> }): Promise<number> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
      const pending = await tx.auditEvent.count({ where: { hash: null } });
      if (pending > 0) await backfillInTx(tx);
      return pending;
    },
    { timeout: 600_000 },
  );
}

export type ChainVerdict =
  | { ok: true; count: number }
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
    if (batch.length === 0) return { ok: true, count };
    for (const row of batch) {
      const broken = (reason: Extract<ChainVerdict, { ok: false }>["reason"], expected: string | null, stored: string | null): ChainVerdict => ({
        ok: false,
        count,
        sequence: row.sequence,
        id: row.id,
        reason,
        expected,
        stored,
      });
      if (row.sequence !== expectedSequence) return broken("sequence_gap", expectedSequence.toString(), row.sequence.toString());
      if (row.hash === null) return broken("not_hashed", null, null);
      if (row.prevHash !== prevHash) return broken("prev_hash_mismatch", prevHash, row.prevHash);
      const expected = auditHash({ ...row, prevHash });
      if (expected !== row.hash) return broken("hash_mismatch", expected, row.hash);
      prevHash = row.hash;
      expectedSequence += 1n;
      count += 1;
    }
  }
}
