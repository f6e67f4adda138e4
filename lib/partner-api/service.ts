import type { PrismaClient } from "../generated/prisma/client";
import { HttpError, badRequest, notFound, toErrorAnswer } from "../http/errors";
import { nowOf, type PayoutDeps } from "../payouts/deps";
import { createPayoutRequest, startWithSavedInstrument } from "../payouts/requests";
import { resolveSavedInstrument } from "../payouts/saved-instruments";
import { hashRequestBody, parseIdempotencyKey, runIdempotent, type CommitAnswer, type StoredResponse } from "./idempotency";
import { presentedApiKey, verifyApiKey, type PartnerPrincipal } from "./keys";
import { serializeCreated, serializePayoutRequest } from "./serialize";
import { parseCreateBody, wireField, type WireCreated, type WirePayoutRequest } from "./wire";

/**
 * The partner API's operations, independent of Next: route handlers pass in headers and the raw
 * body and send back what these return.
 */

export const invalidApiKey = (message = "Missing or invalid API key: send Authorization: Bearer <key> or X-API-Key: <key>") =>
  new HttpError(401, "unauthorized", message);

/** The caller's key, or a 401 (missing, malformed, unknown and revoked keys all look the same). */
export async function authenticatePartner(prisma: PrismaClient, headers: Headers, now?: Date): Promise<PartnerPrincipal> {
  const presented = presentedApiKey(headers);
  if (presented.conflict) throw invalidApiKey("Authorization and X-API-Key carry different keys; send one");
  if (!presented.key) throw invalidApiKey();
  const principal = await verifyApiKey(prisma, presented.key, now);
  if (!principal) throw invalidApiKey();
  return principal;
}

/** The two request limits of the partner API (lib/auth/rate-limits.ts provides them). */
export interface PartnerLimits {
  check(name: "partnerBadKeysPerAddress", subject: string): Promise<void>;
  consume(name: "partnerBadKeysPerAddress" | "partnerPerKey", subject: string): Promise<void>;
}

/**
 * The key check under its two limits: an address that sent too many wrong keys is refused (429)
 * before any key is looked at, so keys cannot be guessed at speed; a valid key is held to its own
 * request rate, so one partner's runaway client cannot crowd out the rest.
 */
export async function authenticatePartnerWithinLimits(
  prisma: PrismaClient,
  headers: Headers,
  limits: PartnerLimits,
  address: string,
): Promise<PartnerPrincipal> {
  await limits.check("partnerBadKeysPerAddress", address);
  let principal: PartnerPrincipal;
  try {
    principal = await authenticatePartner(prisma, headers);
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) await limits.consume("partnerBadKeysPerAddress", address);
    throw error;
  }
  await limits.consume("partnerPerKey", principal.apiKeyId);
  return principal;
}


/** An error answer in wire terms: a domain field (`amountKopecks`) renamed as partners know it (`amount_kopecks`). */
function wireAnswer(error: unknown): StoredResponse & { status: number } {
  const { status, body } = toErrorAnswer(error);
  const { field: domainField, message } = body.error;
  const field = wireField(domainField);
  if (!domainField || !field) return { status, body };
  const renamed = message.startsWith(`${domainField}:`) ? `${field}${message.slice(domainField.length)}` : message;
  return { status, body: { error: { ...body.error, field, message: renamed } } };
}

export interface PartnerResponse extends StoredResponse {
  replayed: boolean;
}

/** A create's raw body as JSON (empty = undefined), or a 400. */
export function parsePartnerJson(rawBody: string): unknown {
  try {
    return rawBody.trim() === "" ? undefined : JSON.parse(rawBody);
  } catch {
    throw badRequest("Body is not valid JSON");
  }
}

/** Runs a create once per Idempotency-Key (or just runs it without one); repeats get the stored answer. */
export async function runPartnerCreate(
  deps: Pick<PayoutDeps, "prisma">,
  principal: PartnerPrincipal,
  request: { rawBody: string; key: string | null },
  execute: (commit: CommitAnswer) => Promise<StoredResponse>,
  options: { onStoreError?: (error: unknown) => void },
): Promise<PartnerResponse> {
  if (request.key === null) return { ...(await execute(async () => {})), replayed: false };
  const result = await runIdempotent(
    deps.prisma,
    { apiKeyId: principal.apiKeyId, key: request.key, requestHash: hashRequestBody(request.rawBody), secret: principal.presentedKey },
    execute,
    options,
  );
  return { ...result.response, replayed: result.replayed };
}

/**
 * POST /api/v1/payout-requests. The body is validated before the idempotency store is touched (an
 * invalid request is not "executed" and is not remembered); then, with an Idempotency-Key, the work
 * runs at most once and repeats get the stored answer.
 */
export async function createPayoutRequestForPartner(
  deps: PayoutDeps,
  principal: PartnerPrincipal,
  request: { rawBody: string; idempotencyKey: string | null },
  options: { onStoreError?: (error: unknown) => void } = {},
): Promise<PartnerResponse> {
  const key = parseIdempotencyKey(request.idempotencyKey);
  const input = parseCreateBody(parsePartnerJson(request.rawBody));

  const actor = { type: "partner_api", id: principal.apiKeyId } as const;
  const execute = async (commit: CommitAnswer): Promise<StoredResponse> => {
    try {
      // The 201 is stored with the row it announces: whatever fails after that commit, the key holds.
      const created = await createPayoutRequest(deps, input, actor, {
        apiKeyId: principal.apiKeyId,
        inTransaction: (tx, made) => commit(tx, { status: 201, body: serializeCreated(made.request, made.link) }),
      });
      // Saved instruments start at once: answer with the status after the start.
      const current = created.start ? await deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.request.id } }) : created.request;
      return { status: 201, body: serializeCreated(current, created.link) };
    } catch (error) {
      // Refusals are answers (and stored under the key); failures are not, so a retry runs again.
      const refusal = wireAnswer(error);
      if (refusal.status < 500) return refusal;
      throw error;
    }
  };

  const result = await runPartnerCreate(deps, principal, { rawBody: request.rawBody, key }, execute, options);
  if (result.replayed && result.status === 201 && input.savedInstrument) {
    // The first call committed the request but failed before starting it: the retry starts it (once).
    const answer = result.body as WireCreated;
    const created = await deps.prisma.payoutRequest.findUnique({ where: { id: answer.id }, include: { bankSession: { select: { id: true } } } });
    if (created?.status === "awaiting_recipient" && !created.bankSession) {
      const saved = input.savedInstrument.kind === "saved" ? await resolveSavedInstrument(deps, input.savedInstrument.id, input) : input.savedInstrument;
      await startWithSavedInstrument(deps, created.id, saved, actor);
      const current = await deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id } });
      return { status: 201, body: { ...answer, status: current.status }, replayed: true };
    }
  }
  return result;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /api/v1/payout-requests/{id}. The portal serves one partner, so any of its keys may read any
 * of its payout requests (also those operators created in the dashboard).
 */
export async function getPayoutRequestForPartner(deps: Pick<PayoutDeps, "prisma" | "now">, id: string): Promise<WirePayoutRequest> {
  // An id that cannot exist is just not found (no hint about the id format needed).
  if (!UUID.test(id)) throw notFound("Payout request not found");
  const request = await deps.prisma.payoutRequest.findUnique({ where: { id: id.toLowerCase() } });
  if (!request) throw notFound("Payout request not found");
  return serializePayoutRequest(request, nowOf(deps));
}
