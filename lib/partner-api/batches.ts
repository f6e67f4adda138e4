import { formatBatchNumber } from "../format/numbers";
import { audit } from "../payouts/audit";
import { batchLinks, existingReferences, getBatch, insertBatch, type BatchDeps, type ValidBatchRow } from "../payouts/batches";
import { duplicateReferenceErrors } from "../payouts/batch-csv";
import { formatKopecks } from "../money";
import { HttpError, badRequest, notFound, toErrorAnswer } from "../http/errors";
import { parseIdempotencyKey, type CommitAnswer, type StoredResponse } from "./idempotency";
import type { PartnerPrincipal } from "./keys";
import { parsePartnerJson, runPartnerCreate, type PartnerResponse } from "./service";
import { MAX_BATCH_ROWS, parseCreateBody, type WirePayoutBatch } from "./wire";

/**
 * POST /api/v1/payout-batches and GET /api/v1/payout-batches/{id}. A batch from the API has no
 * typed total: the rows are all-or-nothing (the first bad row is a 400 naming `rows[i].field`), and
 * the Idempotency-Key makes a retry return the same batch instead of a second one.
 */

const rowRefusal = (index: number, error: unknown): HttpError => {
  if (!(error instanceof HttpError)) throw error;
  const field = `rows[${index}]${error.field ? `.${error.field}` : ""}`;
  return badRequest(`${field}: ${error.message.replace(/^[\w.]+: /, "")}`, field, error.params);
};

async function parseRows(deps: BatchDeps, json: unknown): Promise<ValidBatchRow[]> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw badRequest("Body must be a JSON object");
  const { rows, ...rest } = json as { rows?: unknown };
  const unknown = Object.keys(rest)[0];
  if (unknown) throw badRequest(`${unknown}: is not a known field`, unknown);
  if (!Array.isArray(rows) || rows.length === 0) throw badRequest("rows: must be a non-empty array of payout requests", "rows");
  if (rows.length > MAX_BATCH_ROWS) throw badRequest(`rows: at most ${MAX_BATCH_ROWS} rows per batch`, "rows", { issue: "too_big", maximum: MAX_BATCH_ROWS });
  const valid = rows.map((row, index): ValidBatchRow => {
    let input;
    try {
      input = parseCreateBody(row);
    } catch (error) {
      throw rowRefusal(index, error);
    }
    if (input.amountKopecks > deps.settings.maxKopecks) {
      throw badRequest(`rows[${index}].amount_kopecks: must be at most ${formatKopecks(deps.settings.maxKopecks)}`, `rows[${index}].amount_kopecks`, {
        issue: "too_big",
        maximum: deps.settings.maxKopecks,
      });
    }
    return { line: index + 1, input };
  });
  return valid;
}

/** References repeated in the rows or already used: checked when the batch is made (a replay skips it). */
async function assertFreshReferences(deps: BatchDeps, valid: ValidBatchRow[]): Promise<void> {
  const references = valid.map((row) => ({ line: row.line, reference: row.input.reference }));
  const [duplicate] = duplicateReferenceErrors(references, await existingReferences(deps, valid.flatMap((row) => (row.input.reference ? [row.input.reference] : []))));
  if (duplicate) {
    const field = `rows[${duplicate.line - 1}].reference`;
    throw badRequest(`${field}: ${duplicate.params.rule === "duplicate_reference_in_file" ? "repeats an earlier row's reference" : "is already used by a payout request"}`, field, duplicate.params);
  }
}

export async function createPayoutBatchForPartner(
  deps: BatchDeps,
  principal: PartnerPrincipal,
  request: { rawBody: string; idempotencyKey: string | null },
  options: { onStoreError?: (error: unknown) => void } = {},
): Promise<PartnerResponse> {
  const key = parseIdempotencyKey(request.idempotencyKey);
  const rows = await parseRows(deps, parsePartnerJson(request.rawBody));
  const actor = { type: "partner_api", id: principal.apiKeyId } as const;
  const execute = async (commit: CommitAnswer): Promise<StoredResponse> => {
    try {
      await assertFreshReferences(deps, rows);
    } catch (error) {
      // A refusal is this key's answer (stored); a retry with the same key gets it again.
      const { status, body } = toErrorAnswer(error);
      if (status < 500) return { status, body };
      throw error;
    }
    let answer: StoredResponse | undefined;
    await insertBatch(deps, rows, { fileName: null, skippedRows: 0, actor, apiKeyId: principal.apiKeyId }, async (tx, batch) => {
      answer = { status: 202, body: await batchWire(deps, batch.id, tx) };
      await commit(tx, answer);
    });
    return answer!;
  };
  return runPartnerCreate(deps, principal, { rawBody: request.rawBody, key }, execute, options);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Reader = Pick<BatchDeps, "prisma">["prisma"] | Parameters<Parameters<BatchDeps["prisma"]["$transaction"]>[0]>[0];

/** The batch as partners see it (a just-created batch is read in its own transaction). */
async function batchWire(deps: BatchDeps, batchId: string, reader: Reader = deps.prisma, links: Map<number, string> = new Map()): Promise<WirePayoutBatch> {
  const view = await getBatch({ prisma: reader as BatchDeps["prisma"] }, batchId);
  return {
    id: view.id,
    number: formatBatchNumber(view.number),
    status: view.status as WirePayoutBatch["status"],
    row_count: view.rowCount,
    total_kopecks: view.totalKopecks,
    created_at: view.createdAt,
    completed_at: view.completedAt,
    counts: view.rows,
    rows: view.list.map((row) => ({
      index: row.line - 1,
      status: row.status as "pending" | "created" | "failed",
      payout_request_id: row.payout?.id ?? null,
      payout_status: (row.payout?.status ?? null) as WirePayoutBatch["rows"][number]["payout_status"],
      error: row.error ? { code: row.error.code } : null,
      recipient_link: links.get(row.line) ?? null,
    })),
  };
}

/** The batch with its rows' payout statuses and usable recipient links (reading links is audited). */
export async function getPayoutBatchForPartner(deps: BatchDeps, principal: PartnerPrincipal, id: string): Promise<WirePayoutBatch> {
  if (!UUID.test(id)) throw notFound("Payout batch not found");
  const batch = await deps.prisma.payoutBatch.findUnique({ where: { id: id.toLowerCase() }, select: { id: true } });
  if (!batch) throw notFound("Payout batch not found");
  const links = await batchLinks(deps, batch.id);
  if (links.length > 0) {
    await deps.prisma.$transaction((tx) =>
      audit(tx, { actor: { type: "partner_api", id: principal.apiKeyId }, action: "batch.links_downloaded", data: { batchId: batch.id, links: links.length } }),
    );
  }
  return batchWire(deps, batch.id, deps.prisma, new Map(links.map((link) => [link.line, link.url])));
}
