import { randomUUID } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import type { PayoutBatch, Prisma } from "../generated/prisma/client";
import { formatKopecks, parseRublesToKopecks, toSafeKopecks } from "../money";
import { audit, auditMany, type Actor } from "./audit";
import { duplicateReferenceErrors, parseBatchFile, type BatchRowError, type ParsedBatchFile } from "./batch-csv";
import { openLinkToken, sealLinkToken } from "./batch-links";
import { approvePayout } from "./decisions";
import { nowOf, type PayoutDeps } from "./deps";
import { isPayoutError, PayoutError, type ErrorParams } from "./errors";
import { text } from "./export-csv";
import { linkUrl, newLinkToken } from "./links";
import { enqueuePartnerEvent } from "./partner-events";
import { startWithSavedInstrument } from "./requests";
import { resolveSavedInstrument } from "./saved-instruments";
import type { CreatePayoutRequest, ResolvedSavedInstrument } from "./schemas";
import { inTransaction, type PayoutTx } from "./transaction";

/**
 * Bulk payouts. A file (or a partner's JSON rows) is previewed, then confirmed by its typed total:
 * that writes the batch and its valid rows, nothing else. A background pass (lib/jobs/batches.ts)
 * turns pending rows into payout requests in chunks, each chunk one transaction with one insert of
 * requests and one of their audit events; `payout_requests.batch_row_id` is unique, so a row makes at
 * most one request however many runners pick it. The last chunk completes the batch (completeBatch).
 */

/** The batch's link-sealing key comes with the deps (derived from the portal secret, batch-links.ts). */
export type BatchDeps = PayoutDeps & { batchLinkKey: Buffer };

export interface BatchPreview {
  fileName: string | null;
  encoding: string;
  /** Data rows in the file. */
  rowCount: number;
  /** Rows without errors: the ones a confirmation creates. */
  validCount: number;
  totalKopecks: number;
  errors: BatchRowError[];
  missingColumns: string[];
}

export interface ValidBatchRow {
  line: number;
  input: CreatePayoutRequest;
}

/** References already used by payout requests (or rows of batches still being created). */
export async function existingReferences(deps: Pick<PayoutDeps, "prisma">, references: string[]): Promise<Set<string>> {
  if (references.length === 0) return new Set();
  const rows = await deps.prisma.$queryRaw<Array<{ reference: string }>>`
    SELECT reference FROM payout_requests WHERE reference = ANY(${references}::text[])
    UNION
    SELECT r.input->>'reference' FROM payout_batch_rows r WHERE r.status = 'pending' AND r.input->>'reference' = ANY(${references}::text[])`;
  return new Set(rows.map((row) => row.reference));
}

/** The file's rows as the preview shows them, and the valid ones (with duplicate references flagged). */
export async function previewBatchFile(
  deps: Pick<PayoutDeps, "prisma" | "settings">,
  file: { bytes: Uint8Array; fileName: string | null },
): Promise<{ preview: BatchPreview; valid: ValidBatchRow[] }> {
  const parsed: ParsedBatchFile = parseBatchFile(file.bytes, { maxKopecks: deps.settings.maxKopecks });
  const referenced = parsed.rows.map((row) => ({ line: row.line, reference: row.input?.reference }));
  const duplicates = duplicateReferenceErrors(
    referenced,
    await existingReferences(deps, referenced.flatMap((row) => (row.reference ? [row.reference] : []))),
  );
  const errors = [...parsed.errors, ...duplicates].sort((a, b) => a.line - b.line);
  const badLines = new Set(errors.map((error) => error.line));
  const valid = parsed.rows.flatMap((row) => (row.input && !badLines.has(row.line) ? [{ line: row.line, input: row.input }] : []));
  return {
    preview: {
      fileName: file.fileName,
      encoding: parsed.encoding,
      rowCount: parsed.rows.length,
      validCount: valid.length,
      totalKopecks: valid.reduce((sum, row) => sum + row.input.amountKopecks, 0),
      errors,
      missingColumns: parsed.missingColumns,
    },
    valid,
  };
}

/** The typed total ("1 234,56") against the batch's, in kopecks; refuses with both amounts. */
export function assertTypedTotal(typed: string, totalKopecks: number): void {
  const parsed = parseRublesToKopecks(typed);
  if (!parsed.ok || parsed.kopecks !== totalKopecks) {
    throw new PayoutError("batch_total_mismatch", `typedTotal: does not match the total of ${formatKopecks(totalKopecks)}`, {
      field: "typedTotal",
      params: { totalKopecks, ...(parsed.ok ? { typedKopecks: parsed.kopecks } : {}) },
    });
  }
}

/** Writes a batch and its rows (no payout requests yet: the background pass makes them). */
export async function insertBatch(
  deps: Pick<PayoutDeps, "prisma" | "events">,
  rows: ValidBatchRow[],
  meta: { fileName: string | null; skippedRows: number; actor: Actor; apiKeyId?: string },
  inTx?: (tx: Prisma.TransactionClient, batch: PayoutBatch) => Promise<void>,
): Promise<PayoutBatch> {
  if (rows.length === 0) throw new PayoutError("batch_empty", "The batch has no valid rows", { params: {} });
  const totalKopecks = rows.reduce((sum, row) => sum + row.input.amountKopecks, 0);
  return inTransaction(deps, async (tx, emit) => {
    const batch = await tx.payoutBatch.create({
      data: {
        fileName: meta.fileName,
        rowCount: rows.length,
        totalKopecks: BigInt(totalKopecks),
        skippedRows: meta.skippedRows,
        createdById: meta.actor.type === "operator" ? (meta.actor.id ?? null) : null,
        apiKeyId: meta.apiKeyId ?? null,
      },
    });
    // One statement with four array parameters, whatever the row count (a createMany of 10 000 rows
    // binds 50 000 parameters, which the embedded engine parses slowly).
    await tx.$executeRaw`
      INSERT INTO payout_batch_rows (id, batch_id, line, input, amount_kopecks)
      SELECT v.id, ${batch.id}::uuid, v.line, v.input, v.amount
      FROM unnest(${rows.map(() => randomUUID())}::uuid[], ${rows.map((row) => row.line)}::int[], ${rows.map((row) => JSON.stringify(row.input))}::jsonb[], ${rows.map((row) => BigInt(row.input.amountKopecks))}::bigint[])
        AS v(id, line, input, amount)`;
    await audit(tx, {
      actor: meta.actor,
      action: "batch.created",
      data: { batchId: batch.id, rows: rows.length, totalKopecks, skippedRows: meta.skippedRows, fileName: meta.fileName },
    });
    await inTx?.(tx, batch);
    emit({ type: "batch.updated", batchId: batch.id, status: batch.status });
    return batch;
  });
}

/** The operator's confirmation: the file again (re-validated here), and the total they typed. */
export async function createBatchFromFile(
  deps: Pick<PayoutDeps, "prisma" | "settings" | "events">,
  file: { bytes: Uint8Array; fileName: string | null; typedTotal: string },
  actor: Actor,
): Promise<PayoutBatch> {
  const { preview, valid } = await previewBatchFile(deps, file);
  if (preview.missingColumns.length > 0 || valid.length === 0) {
    throw new PayoutError("batch_empty", "The file has no valid rows", { params: { missing: preview.missingColumns } });
  }
  assertTypedTotal(file.typedTotal, preview.totalKopecks);
  return insertBatch(deps, valid, { fileName: file.fileName, skippedRows: preview.rowCount - preview.validCount, actor });
}

// ---------------------------------------------------------------------------------------------------------------
// Background creation

/** Rows one transaction makes (one insert of requests, one of audit events). */
const ROWS_PER_CHUNK = 500;

interface ClaimedRow {
  id: string;
  batch_id: string;
  line: number;
  input: CreatePayoutRequest;
}

/** A row whose request could not be made: why, in catalogue terms. */
function rowFailure(error: unknown): { errorCode: string; errorParams: ErrorParams } {
  if (isPayoutError(error)) return { errorCode: error.code, errorParams: { ...(error.details.params ?? {}), ...(error.details.field ? { field: error.details.field } : {}) } };
  return { errorCode: "internal_error", errorParams: {} };
}

/**
 * One chunk: pending rows locked with SKIP LOCKED (another runner takes other rows), their saved
 * instruments resolved, then one insert of requests, one of audit events, row updates. A row that
 * fails on its own is marked failed; the rest go on. Returns the rows handled (0 = nothing pending).
 */
async function createChunk(
  deps: BatchDeps,
  actorOf: (tx: PayoutTx, batchId: string) => Promise<{ actor: Actor; apiKeyId: string | null }>,
  rowsPerChunk: number,
): Promise<{ handled: number; batchIds: string[]; toStart: Array<{ id: string; saved: ResolvedSavedInstrument; actor: Actor }> }> {
  const now = nowOf(deps);
  const linkExpiresAt = new Date(now.getTime() + deps.settings.linkTtlHours * 3_600_000);
  const toStart: Array<{ id: string; saved: ResolvedSavedInstrument; actor: Actor }> = [];
  const result = await inTransaction(deps, async (tx, emit) => {
    const rows = await tx.$queryRaw<ClaimedRow[]>`
      SELECT id, batch_id, line, input FROM payout_batch_rows
      WHERE status = 'pending'
      ORDER BY batch_id, line
      LIMIT ${rowsPerChunk}
      FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return { handled: 0, batchIds: [] as string[] };
    const failed: Array<{ id: string; errorCode: string; errorParams: ErrorParams }> = [];
    const made: Array<{ row: ClaimedRow; requestId: string; sealed: string; hash: string; saved: ResolvedSavedInstrument | undefined; actor: Actor; apiKeyId: string | null }> = [];
    for (const row of rows) {
      try {
        const { actor, apiKeyId } = await actorOf(tx, row.batch_id);
        const input = row.input;
        const saved =
          input.savedInstrument?.kind === "saved"
            ? await resolveSavedInstrument({ prisma: tx as unknown as PayoutDeps["prisma"] }, input.savedInstrument.id, { recipientName: input.recipientName, method: input.method })
            : input.savedInstrument;
        const { token, hash } = newLinkToken();
        made.push({ row, requestId: randomUUID(), sealed: sealLinkToken(deps.batchLinkKey, row.id, token), hash, saved, actor, apiKeyId });
      } catch (error) {
        failed.push({ id: row.id, ...rowFailure(error) });
      }
    }
    if (made.length > 0) {
      await tx.payoutRequest.createMany({
        data: made.map(({ row, requestId, hash, actor, apiKeyId }) => ({
          id: requestId,
          amountKopecks: BigInt(row.input.amountKopecks),
          currency: row.input.currency,
          recipientName: row.input.recipientName,
          recipientEmail: row.input.recipientEmail ?? null,
          reference: row.input.reference ?? null,
          purpose: row.input.purpose,
          method: row.input.method,
          sourceAccount: row.input.sourceAccount,
          beneficiaryInn: row.input.beneficiaryInn ?? null,
          beneficiaryName: row.input.beneficiaryName ?? null,
          linkTokenHash: hash,
          linkExpiresAt,
          createdById: actor.type === "operator" ? (actor.id ?? null) : null,
          apiKeyId,
          batchRowId: row.id,
        })),
      });
      await auditMany(
        tx,
        made.map(({ row, requestId, actor }) => ({
          actor,
          action: "payout.created",
          payoutRequestId: requestId,
          toStatus: "awaiting_recipient",
          data: { amountKopecks: row.input.amountKopecks, method: row.input.method, sourceAccount: row.input.sourceAccount, batchId: row.batch_id, line: row.line },
        })),
      );
      await tx.$executeRaw`
        UPDATE payout_batch_rows AS r SET status = 'created', sealed_link = v.sealed, link_expires_at = ${linkExpiresAt}
        FROM unnest(${made.map((m) => m.row.id)}::uuid[], ${made.map((m) => m.sealed)}::text[]) AS v(id, sealed)
        WHERE r.id = v.id`;
      for (const m of made) if (m.saved) toStart.push({ id: m.requestId, saved: m.saved, actor: m.actor });
    }
    for (const failure of failed) {
      await tx.payoutBatchRow.update({ where: { id: failure.id }, data: { status: "failed", errorCode: failure.errorCode, errorParams: failure.errorParams as Prisma.InputJsonValue } });
    }
    const batchIds = [...new Set(rows.map((row) => row.batch_id))];
    for (const batchId of batchIds) emit({ type: "batch.updated", batchId });
    // One notice per chunk: lists refetch once, not once per request.
    emit({ type: "payout.created", status: "awaiting_recipient" });
    return { handled: rows.length, batchIds };
  });
  return { ...result, toStart };
}

/**
 * Finishes a batch whose rows are all handled: the one place a batch becomes completed (and where
 * its partner event is enqueued). Returns false when rows are still pending or it already was.
 */
export async function completeBatch(tx: PayoutTx, batchId: string): Promise<boolean> {
  const now = new Date();
  const updated = await tx.$executeRaw`
    UPDATE payout_batches SET status = 'completed', completed_at = ${now}
    WHERE id = ${batchId}::uuid AND status = 'processing'
      AND NOT EXISTS (SELECT 1 FROM payout_batch_rows WHERE batch_id = ${batchId}::uuid AND status = 'pending')`;
  if (updated === 0) return false;
  const counts = await tx.payoutBatchRow.groupBy({ by: ["status"], where: { batchId }, _count: { _all: true } });
  const count = (status: string) => counts.find((entry) => entry.status === status)?._count._all ?? 0;
  await audit(tx, { actor: { type: "system" }, action: "batch.completed", data: { batchId, created: count("created"), failed: count("failed") } });
  // The partner's backend learns it in the same transaction (outbox); the rows' details are at GET /payout-batches/{id}.
  await enqueuePartnerEvent(tx, {
    type: "batch.completed",
    batchId,
    data: { id: batchId, status: "completed", completed_at: now.toISOString(), counts: { created: count("created"), failed: count("failed") } },
  });
  return true;
}

export interface BatchPassReport {
  rows: number;
  completed: string[];
  started: number;
}

/**
 * One background pass: chunks until nothing is pending (or `maxRows`); a chunk that leaves its
 * batch without pending rows completes it; then the requests made for saved instruments start (each start is idempotent:
 * startPayout makes at most one bank session per request).
 */
export async function processBatches(
  deps: BatchDeps,
  options: { maxRows?: number; rowsPerChunk?: number; onStartError?: (error: unknown) => void } = {},
): Promise<BatchPassReport> {
  const maxRows = options.maxRows ?? 50_000;
  const actors = new Map<string, { actor: Actor; apiKeyId: string | null }>();
  // Read in the chunk's transaction: PGlite has one connection, which the transaction holds.
  const actorOf = async (tx: PayoutTx, batchId: string) => {
    let known = actors.get(batchId);
    if (!known) {
      const batch = await tx.payoutBatch.findUniqueOrThrow({ where: { id: batchId }, select: { createdById: true, apiKeyId: true } });
      known = { actor: batchActor(batch), apiKeyId: batch.apiKeyId };
      actors.set(batchId, known);
    }
    return known;
  };
  const report: BatchPassReport = { rows: 0, completed: [], started: 0 };
  while (report.rows < maxRows) {
    const chunk = await createChunk(deps, actorOf, options.rowsPerChunk ?? ROWS_PER_CHUNK);
    if (chunk.handled === 0) break;
    report.rows += chunk.handled;
    // A batch whose last rows this chunk made is complete now, before its saved cards are started.
    report.completed.push(...(await completeBatches(deps, chunk.batchIds)));
    for (const start of chunk.toStart) {
      try {
        await startWithSavedInstrument(deps, start.id, start.saved, start.actor);
        report.started++;
      } catch (error) {
        options.onStartError?.(error);
      }
    }
  }
  // Batches whose rows another runner finished are completed here too (completeBatch is conditional).
  const open = await deps.prisma.payoutBatch.findMany({ where: { status: "processing" }, select: { id: true }, take: 100 });
  report.completed.push(...(await completeBatches(deps, open.map((batch) => batch.id))));
  report.started += await startStranded(deps, options.onStartError);
  await forgetExpiredLinks(deps);
  return report;
}

/** Completes each batch with no pending row left; returns the ids completed now. */
async function completeBatches(deps: BatchDeps, batchIds: string[]): Promise<string[]> {
  const completed: string[] = [];
  for (const id of batchIds) {
    const done = await inTransaction(deps, async (tx, emit) => {
      const now = await completeBatch(tx, id);
      if (now) emit({ type: "batch.updated", batchId: id, status: "completed" });
      return now;
    });
    if (done) completed.push(id);
  }
  return completed;
}

/** Who a batch's requests are made by: its operator, else its partner key, else the portal. */
const batchActor = (batch: { createdById: string | null; apiKeyId: string | null }): Actor =>
  batch.createdById ? { type: "operator", id: batch.createdById } : batch.apiKeyId ? { type: "partner_api", id: batch.apiKeyId } : { type: "system" };

/**
 * Saved-instrument requests of batches that were created but never started (a runner stopped
 * between the chunk's commit and the start): started now.
 */
async function startStranded(deps: BatchDeps, onError?: (error: unknown) => void): Promise<number> {
  const cutoff = new Date(nowOf(deps).getTime() - 60_000);
  const stranded = await deps.prisma.payoutRequest.findMany({
    where: { batchRowId: { not: null }, status: "awaiting_recipient", method: { in: ["card_saved", "recurrent"] }, bankSession: null, createdAt: { lt: cutoff } },
    select: { id: true, recipientName: true, method: true, createdById: true, apiKeyId: true, batchRow: { select: { input: true } } },
    take: 100,
  });
  let started = 0;
  for (const request of stranded) {
    try {
      const input = request.batchRow!.input as unknown as CreatePayoutRequest;
      const saved =
        input.savedInstrument?.kind === "saved"
          ? await resolveSavedInstrument(deps, input.savedInstrument.id, { recipientName: request.recipientName, method: request.method })
          : input.savedInstrument;
      if (!saved) continue;
      const actor = batchActor(request);
      await startWithSavedInstrument(deps, request.id, saved, actor);
      started++;
    } catch (error) {
      onError?.(error);
    }
  }
  return started;
}

/** Sealed link tokens are kept only while the link can be used. */
async function forgetExpiredLinks(deps: BatchDeps): Promise<void> {
  await deps.prisma.payoutBatchRow.updateMany({ where: { sealedLink: { not: null }, linkExpiresAt: { lte: nowOf(deps) } }, data: { sealedLink: null } });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading, links, approval

export interface BatchRowView {
  line: number;
  status: string;
  amountKopecks: number;
  recipientName: string;
  reference: string | null;
  error: { code: string; params: ErrorParams } | null;
  payout: { id: string; number: number; status: string } | null;
}

export interface BatchView {
  id: string;
  number: number;
  status: string;
  fileName: string | null;
  rowCount: number;
  totalKopecks: number;
  skippedRows: number;
  createdAt: string;
  completedAt: string | null;
  createdById: string | null;
  rows: { pending: number; created: number; failed: number };
  /** Requests of the batch by payout status. */
  payouts: Record<string, number>;
  /** What a batch approval would approve now: requests awaiting approval. */
  eligible: { count: number; totalKopecks: number };
  /** The first rows (by line) with their payout's status. */
  list: BatchRowView[];
}

const LIST_LIMIT = 1_000;

export async function getBatch(deps: Pick<PayoutDeps, "prisma">, batchId: string): Promise<BatchView> {
  const batch = await deps.prisma.payoutBatch.findUnique({ where: { id: batchId } });
  if (!batch) throw new PayoutError("not_found", "Batch not found");
  const [rowCounts, payoutCounts, rows] = await Promise.all([
    deps.prisma.payoutBatchRow.groupBy({ by: ["status"], where: { batchId }, _count: { _all: true } }),
    deps.prisma.$queryRaw<Array<{ status: string; count: bigint; total: bigint }>>`
      SELECT p.status::text AS status, count(*) AS count, coalesce(sum(p.amount_kopecks), 0)::bigint AS total
      FROM payout_requests p JOIN payout_batch_rows r ON r.id = p.batch_row_id
      WHERE r.batch_id = ${batchId}::uuid GROUP BY p.status`,
    deps.prisma.payoutBatchRow.findMany({
      where: { batchId },
      orderBy: { line: "asc" },
      take: LIST_LIMIT,
      select: { line: true, status: true, amountKopecks: true, input: true, errorCode: true, errorParams: true, payoutRequest: { select: { id: true, number: true, status: true } } },
    }),
  ]);
  const rowCount = (status: string) => rowCounts.find((entry) => entry.status === status)?._count._all ?? 0;
  const awaiting = payoutCounts.find((entry) => entry.status === "awaiting_approval");
  return {
    id: batch.id,
    number: batch.number,
    status: batch.status,
    fileName: batch.fileName,
    rowCount: batch.rowCount,
    totalKopecks: toSafeKopecks(batch.totalKopecks),
    skippedRows: batch.skippedRows,
    createdAt: batch.createdAt.toISOString(),
    completedAt: batch.completedAt?.toISOString() ?? null,
    createdById: batch.createdById,
    rows: { pending: rowCount("pending"), created: rowCount("created"), failed: rowCount("failed") },
    payouts: Object.fromEntries(payoutCounts.map((entry) => [entry.status, Number(entry.count)])),
    eligible: { count: Number(awaiting?.count ?? 0), totalKopecks: toSafeKopecks(awaiting?.total ?? 0n) },
    list: rows.map((row) => {
      const input = row.input as unknown as CreatePayoutRequest;
      return {
        line: row.line,
        status: row.status,
        amountKopecks: toSafeKopecks(row.amountKopecks),
        recipientName: input.recipientName,
        reference: input.reference ?? null,
        error: row.errorCode ? { code: row.errorCode, params: (row.errorParams ?? {}) as ErrorParams } : null,
        payout: row.payoutRequest,
      };
    }),
  };
}

/** The recipient links still usable (request awaiting its recipient, link not expired), decrypted. */
export async function batchLinks(deps: BatchDeps, batchId: string): Promise<Array<{ line: number; number: number; recipientName: string; reference: string | null; amountKopecks: number; url: string; expiresAt: Date }>> {
  const batch = await deps.prisma.payoutBatch.findUnique({ where: { id: batchId }, select: { id: true } });
  if (!batch) throw new PayoutError("not_found", "Batch not found");
  const now = nowOf(deps);
  const rows = await deps.prisma.payoutBatchRow.findMany({
    where: { batchId, sealedLink: { not: null }, linkExpiresAt: { gt: now }, payoutRequest: { status: "awaiting_recipient", linkRevokedAt: null } },
    orderBy: { line: "asc" },
    select: { id: true, line: true, sealedLink: true, linkExpiresAt: true, payoutRequest: { select: { number: true, recipientName: true, reference: true, amountKopecks: true } } },
  });
  return rows.flatMap((row) => {
    const token = openLinkToken(deps.batchLinkKey, row.id, row.sealedLink!);
    const request = row.payoutRequest!;
    if (!token) return [];
    return [
      {
        line: row.line,
        number: request.number,
        recipientName: request.recipientName,
        reference: request.reference,
        amountKopecks: toSafeKopecks(request.amountKopecks),
        url: linkUrl(deps.settings.publicBaseUrl, token),
        expiresAt: row.linkExpiresAt!,
      },
    ];
  });
}

/** The links as a CSV for the operator; every download is an audit event (without the links). */
export async function batchLinksCsv(deps: BatchDeps, batchId: string, actor: Actor): Promise<string> {
  const links = await batchLinks(deps, batchId);
  await deps.prisma.$transaction((tx) => audit(tx, { actor, action: "batch.links_downloaded", data: { batchId, links: links.length } }));
  return stringify(
    // Cells that a spreadsheet would run as formulas are neutralised, as in the payouts export.
    links.map((link) => [link.line, link.number, text(link.recipientName), text(link.reference), formatKopecks(link.amountKopecks), link.url, link.expiresAt.toISOString()]),
    { header: true, columns: ["line", "request", "recipient_name", "reference", "amount", "link", "expires_at"], bom: true, delimiter: ";", record_delimiter: "\r\n" },
  );
}

export interface BatchApprovalResult {
  approved: Array<{ id: string; number: number; status: string; approvals?: { count: number; required: number } }>;
  refused: Array<{ id: string; number: number; code: string; params: ErrorParams }>;
}

/**
 * Approves every request of the batch awaiting approval, after the operator typed their total.
 * Each goes through the single-payout decision (approvePayout): every governance rule applies per
 * payout, and each refusal is reported with its code and params.
 */
export async function approveBatch(deps: PayoutDeps, input: { batchId: string; typedTotal: string; actor: Actor }): Promise<BatchApprovalResult> {
  const batch = await deps.prisma.payoutBatch.findUnique({ where: { id: input.batchId }, select: { id: true } });
  if (!batch) throw new PayoutError("not_found", "Batch not found");
  const eligible = await deps.prisma.payoutRequest.findMany({
    where: { batchRow: { batchId: input.batchId }, status: "awaiting_approval" },
    orderBy: { number: "asc" },
    select: { id: true, number: true, amountKopecks: true },
  });
  if (eligible.length === 0) throw new PayoutError("invalid_state", "No payout of this batch is awaiting approval", { params: { status: "none_eligible" } });
  assertTypedTotal(input.typedTotal, eligible.reduce((sum, request) => sum + toSafeKopecks(request.amountKopecks), 0));
  const result: BatchApprovalResult = { approved: [], refused: [] };
  for (const request of eligible) {
    try {
      const outcome = await approvePayout(deps, { payoutRequestId: request.id, actor: input.actor });
      result.approved.push({ id: request.id, number: request.number, status: outcome.status, ...(outcome.approvals ? { approvals: outcome.approvals } : {}) });
    } catch (error) {
      // One payout's failure never stops the others; it is listed with its reason.
      const { errorCode, errorParams } = rowFailure(error);
      result.refused.push({ id: request.id, number: request.number, code: errorCode, params: errorParams });
    }
  }
  await deps.prisma.$transaction((tx) =>
    audit(tx, { actor: input.actor, action: "batch.approved", data: { batchId: input.batchId, approved: result.approved.length, refused: result.refused.length } }),
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// The operators' list of batches

export const BATCH_LIST_PAGE_SIZE = 50;

export interface BatchListEntry {
  id: string;
  number: number;
  status: string;
  fileName: string | null;
  /** Who confirmed it: an operator's name, or the partner API key's name. */
  source: { kind: "operator" | "api_key"; name: string } | null;
  rowCount: number;
  totalKopecks: number;
  skippedRows: number;
  rows: { pending: number; created: number; failed: number };
  createdAt: string;
  completedAt: string | null;
}

/** Newest first, a page at a time by number (keyset: `beforeNumber` is the last number of the previous page). */
export async function listBatches(
  deps: Pick<PayoutDeps, "prisma">,
  options: { beforeNumber?: number; limit?: number } = {},
): Promise<{ batches: BatchListEntry[]; nextBeforeNumber: number | null }> {
  const limit = options.limit ?? BATCH_LIST_PAGE_SIZE;
  const found = await deps.prisma.payoutBatch.findMany({
    where: options.beforeNumber ? { number: { lt: options.beforeNumber } } : {},
    orderBy: { number: "desc" },
    take: limit + 1,
    include: { createdBy: { select: { name: true } }, apiKey: { select: { name: true } } },
  });
  const page = found.slice(0, limit);
  const counts = page.length
    ? await deps.prisma.payoutBatchRow.groupBy({ by: ["batchId", "status"], where: { batchId: { in: page.map((batch) => batch.id) } }, _count: { _all: true } })
    : [];
  const rowsOf = (batchId: string) => {
    const rows = { pending: 0, created: 0, failed: 0 };
    for (const entry of counts) if (entry.batchId === batchId) rows[entry.status] = entry._count._all;
    return rows;
  };
  return {
    batches: page.map((batch) => ({
      id: batch.id,
      number: batch.number,
      status: batch.status,
      fileName: batch.fileName,
      source: batch.createdBy ? { kind: "operator", name: batch.createdBy.name } : batch.apiKey ? { kind: "api_key", name: batch.apiKey.name } : null,
      rowCount: batch.rowCount,
      totalKopecks: toSafeKopecks(batch.totalKopecks),
      skippedRows: batch.skippedRows,
      rows: rowsOf(batch.id),
      createdAt: batch.createdAt.toISOString(),
      completedAt: batch.completedAt?.toISOString() ?? null,
    })),
    nextBeforeNumber: found.length > limit ? page[page.length - 1]!.number : null,
  };
}
