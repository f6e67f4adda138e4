import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { HttpError } from "../http/errors";
import { isUniqueViolation } from "../db/errors";

/**
 * `Idempotency-Key` for the partner API.
 *
 * - One record per (API key, Idempotency-Key), inserted BEFORE the work runs (the unique index makes
 *   exactly one concurrent caller the owner), with a SHA-256 of the raw request body.
 * - The owner runs the work and stores the answer (status + JSON). Later calls with the same key and
 *   the same body get that stored answer; nothing runs twice.
 * - Same key, different body → 422 `idempotency_key_reused`; same key while the owner still runs →
 *   409 `idempotency_request_in_progress`.
 * - What is stored: every answer the work returned deliberately (201 and 4xx). Work that creates
 *   something stores its answer with `commit` inside the transaction that creates it, so the key and the
 *   created row commit together: a failure after that commit keeps the answer, and a retry gets it
 *   (never a second request). Only when the work throws before anything was committed is the record
 *   released, so a retry under the same key runs again.
 *
 * The stored answer to a create contains the recipient link, a bearer credential for the payout that
 * the portal otherwise keeps only as a hash. So stored answers are encrypted (AES-256-GCM) under a key
 * derived from the caller's API key, which the database does not hold (only its SHA-256): a copy of the
 * database does not reveal working links, and only a holder of the same API key can replay them.
 */

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const IdempotencyKeySchema = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(/^[\x20-\x7E]+$/, "may contain only printable ASCII characters");

/** The header's value, or null when the request has none. A malformed value is a 400 naming the header. */
export function parseIdempotencyKey(value: string | null): string | null {
  if (value === null) return null;
  const parsed = IdempotencyKeySchema.safeParse(value);
  if (!parsed.success) {
    throw new HttpError(400, "invalid_idempotency_key", `${IDEMPOTENCY_HEADER}: ${parsed.error.issues[0]?.message ?? "is invalid"}`, IDEMPOTENCY_HEADER);
  }
  return parsed.data;
}

export function hashRequestBody(raw: string | Uint8Array): string {
  return createHash("sha256").update(raw).digest("hex");
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotencyScope {
  apiKeyId: string;
  key: string;
  requestHash: string;
  /** The API key as presented: the encryption key of the stored answer is derived from it. */
  secret: string;
}

export interface IdempotentResult {
  response: StoredResponse;
  /** True when this is a stored answer to an earlier request. */
  replayed: boolean;
}

/** Stores the answer in the caller's transaction, so it commits exactly when the work does. */
export type CommitAnswer = (tx: Prisma.TransactionClient, response: StoredResponse) => Promise<void>;

export const keyReused = () =>
  new HttpError(422, "idempotency_key_reused", `This ${IDEMPOTENCY_HEADER} was already used with a different request body; use a new key for a new request`, IDEMPOTENCY_HEADER);
export const requestInProgress = () =>
  new HttpError(409, "idempotency_request_in_progress", `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry in a moment`, IDEMPOTENCY_HEADER);


/**
 * Runs `execute` at most once per (API key, Idempotency-Key) and answers repeats from the store.
 * Throws 422/409 HttpErrors for reused keys and duplicates still in progress.
 */
export async function runIdempotent(
  prisma: PrismaClient,
  scope: IdempotencyScope,
  execute: (commit: CommitAnswer) => Promise<StoredResponse>,
  options: { onStoreError?: (error: unknown) => void } = {},
): Promise<IdempotentResult> {
  // A record released by a failed owner between our insert and our read: try again (bounded).
  for (let attempt = 0; attempt < 3; attempt++) {
    let recordId: string;
    try {
      const record = await prisma.idempotencyRecord.create({
        data: { apiKeyId: scope.apiKeyId, key: scope.key, requestHash: scope.requestHash },
        select: { id: true },
      });
      recordId = record.id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await prisma.idempotencyRecord.findUnique({ where: { apiKeyId_key: { apiKeyId: scope.apiKeyId, key: scope.key } } });
      if (!existing) continue;
      if (existing.requestHash !== scope.requestHash) throw keyReused();
      if (existing.responseCode === null || existing.responseBody === null) throw requestInProgress();
      return { response: { status: existing.responseCode, body: openResponse(scope, existing.responseBody) }, replayed: true };
    }

    const commit: CommitAnswer = async (tx, answer) => {
      await tx.idempotencyRecord.update({
        where: { id: recordId },
        data: { responseCode: answer.status, responseBody: sealResponse(scope, answer.body) as unknown as Prisma.InputJsonValue },
      });
    };
    let response: StoredResponse;
    try {
      response = await execute(commit);
    } catch (error) {
      // Released only if no answer was committed: otherwise the work happened and retries must see it.
      await prisma.idempotencyRecord.deleteMany({ where: { id: recordId, responseCode: null } }).catch(() => undefined);
      throw error;
    }
    try {
      await prisma.idempotencyRecord.update({
        where: { id: recordId },
        data: { responseCode: response.status, responseBody: sealResponse(scope, response.body) as unknown as Prisma.InputJsonValue },
      });
    } catch (error) {
      // The work is done (a payout request may exist): answer it rather than invite a blind retry.
      // Repeats get the answer committed with the work, or 409 if the work committed none.
      options.onStoreError?.(error);
    }
    return { response, replayed: false };
  }
  throw requestInProgress();
}

/** Deletes finished records older than `before` (retention); returns how many. In-progress ones stay. */
export async function purgeIdempotencyRecords(prisma: PrismaClient, before: Date): Promise<number> {
  const { count } = await prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: before }, responseCode: { not: null } } });
  return count;
}

// ---------------------------------------------------------------------------------------------------------------
// Encryption of stored answers

interface SealedResponse {
  v: 1;
  alg: "A256GCM";
  iv: string;
  tag: string;
  data: string;
}

const HKDF_INFO = "bank131-portal partner-api idempotent-response v1";

function responseKey(scope: Pick<IdempotencyScope, "secret" | "apiKeyId">): Buffer {
  return Buffer.from(hkdfSync("sha256", scope.secret, scope.apiKeyId, HKDF_INFO, 32));
}

/** Binds the ciphertext to its record, so a stored answer cannot be moved to another key or body. */
function additionalData(scope: Pick<IdempotencyScope, "apiKeyId" | "key" | "requestHash">): Buffer {
  return Buffer.from(`${scope.apiKeyId}\n${scope.requestHash}\n${scope.key}`, "utf8");
}

export function sealResponse(scope: IdempotencyScope, body: unknown): SealedResponse {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", responseKey(scope), iv);
  cipher.setAAD(additionalData(scope));
  const data = Buffer.concat([cipher.update(JSON.stringify(body), "utf8"), cipher.final()]);
  return { v: 1, alg: "A256GCM", iv: iv.toString("base64url"), tag: cipher.getAuthTag().toString("base64url"), data: data.toString("base64url") };
}

const SealedResponseSchema = z.object({ v: z.literal(1), alg: z.literal("A256GCM"), iv: z.string(), tag: z.string(), data: z.string() });

export function openResponse(scope: IdempotencyScope, stored: unknown): unknown {
  const sealed = SealedResponseSchema.parse(stored);
  const decipher = createDecipheriv("aes-256-gcm", responseKey(scope), Buffer.from(sealed.iv, "base64url"));
  decipher.setAAD(additionalData(scope));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64url"));
  const text = Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64url")), decipher.final()]).toString("utf8");
  return JSON.parse(text) as unknown;
}
