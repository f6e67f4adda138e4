import type { PayoutRequest, Prisma } from "../generated/prisma/client";
import { formatKopecks } from "../money";
import { audit, type Actor } from "./audit";
import { nowOf, type PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import { enqueuePartnerEvent } from "./partner-events";
import { hashLinkToken, LINK_TOKEN_PATTERN, linkUrl, newLinkToken } from "./links";
import type { CreatePayoutRequest, ResolvedSavedInstrument } from "./schemas";
import { resolveSavedInstrument } from "./saved-instruments";
import { assertAnnualLimitAtCreation } from "./self-employed";
import { startPayout, type StartInstrument, type StartOutcome } from "./start";
import { inTransaction } from "./transaction";
import { transition } from "./transition";

export interface CreatedPayoutRequest {
  request: PayoutRequest;
  /** The only time the link token exists in clear: hand it to the recipient now. */
  link: { token: string; url: string; expiresAt: Date };
  /** For saved instruments the payout starts at once. */
  start?: StartOutcome;
}

export async function createPayoutRequest(
  deps: PayoutDeps,
  input: CreatePayoutRequest,
  actor: Actor,
  options: {
    apiKeyId?: string;
    /** Runs inside the creating transaction (e.g. to store an idempotent answer that commits with the row). */
    inTransaction?: (tx: Prisma.TransactionClient, created: Omit<CreatedPayoutRequest, "start">) => Promise<void>;
  } = {},
): Promise<CreatedPayoutRequest> {
  if (input.amountKopecks > deps.settings.maxKopecks) {
    throw new PayoutError("validation", `amountKopecks: must be at most ${formatKopecks(deps.settings.maxKopecks)}`, {
      field: "amountKopecks",
      params: { issue: "too_big", maximum: deps.settings.maxKopecks },
    });
  }
  // Refused before anything is stored when the INN's income this year already leaves no room.
  if (input.selfEmployed) await assertAnnualLimitAtCreation(deps, input.selfEmployed.inn, input.amountKopecks);
  const saved =
    input.savedInstrument?.kind === "saved"
      ? await resolveSavedInstrument(deps, input.savedInstrument.id, { recipientName: input.recipientName, method: input.method })
      : input.savedInstrument;
  const now = nowOf(deps);
  const { token, hash } = newLinkToken();
  const expiresAt = new Date(now.getTime() + deps.settings.linkTtlHours * 3_600_000);
  const link = { token, url: linkUrl(deps.settings.publicBaseUrl, token), expiresAt };
  const request = await inTransaction(deps, async (tx, emit) => {
    const created = await tx.payoutRequest.create({
      data: {
        amountKopecks: BigInt(input.amountKopecks),
        currency: input.currency,
        recipientName: input.recipientName,
        recipientEmail: input.recipientEmail ?? null,
        reference: input.reference ?? null,
        purpose: input.purpose,
        method: input.method,
        sourceAccount: input.sourceAccount,
        beneficiaryInn: input.beneficiaryInn ?? null,
        beneficiaryName: input.beneficiaryName ?? null,
        sbpPhone: input.method === "sbp" ? (input.sbpPhone ?? null) : null,
        ...(input.selfEmployed
          ? {
              selfEmployedInn: input.selfEmployed.inn,
              selfEmployedServices: input.selfEmployed.services as unknown as Prisma.InputJsonValue,
              npdStatus: "checking",
            }
          : {}),
        linkTokenHash: hash,
        linkExpiresAt: expiresAt,
        createdById: actor.type === "operator" ? (actor.id ?? null) : null,
        apiKeyId: options.apiKeyId ?? null,
      },
    });
    await audit(tx, {
      actor,
      action: "payout.created",
      payoutRequestId: created.id,
      toStatus: created.status,
      data: {
        amountKopecks: input.amountKopecks,
        method: input.method,
        sourceAccount: input.sourceAccount,
        ...(input.selfEmployed ? { selfEmployedInn: input.selfEmployed.inn } : {}),
      } as Prisma.InputJsonValue,
    });
    await enqueuePartnerEvent(tx, { type: "payout.created", payoutRequestId: created.id });
    emit({ type: "payout.created", payoutRequestId: created.id, status: created.status });
    await options.inTransaction?.(tx, { request: created, link });
    return created;
  });

  const result: CreatedPayoutRequest = { request, link };
  if (saved) result.start = await startWithSavedInstrument(deps, request.id, saved, actor);
  return result;
}

/** Starts a request made for a saved instrument (at creation, or when a retry finds it not started). */
export async function startWithSavedInstrument(deps: PayoutDeps, payoutRequestId: string, saved: ResolvedSavedInstrument, actor: Actor): Promise<StartOutcome> {
  const instrument: StartInstrument =
    saved.kind === "card_hash" ? { kind: "card_hash", numberHash: saved.numberHash } : { kind: saved.kind, token: saved.token };
  return startPayout(deps, { payoutRequestId, instrument, actor });
}

export type LinkState = "active" | "used" | "expired" | "revoked";

export function linkStateOf(request: Pick<PayoutRequest, "linkRevokedAt" | "linkExpiresAt" | "linkUsedAt" | "status">, now: Date): LinkState {
  if (request.linkRevokedAt) return "revoked";
  if (request.status !== "awaiting_recipient" || request.linkUsedAt) return "used";
  if (request.linkExpiresAt <= now) return "expired";
  return "active";
}

/** Finds the request behind a recipient link; unknown and malformed tokens are both just "not found". */
export async function findByLinkToken(deps: Pick<PayoutDeps, "prisma">, token: string): Promise<PayoutRequest | null> {
  if (!LINK_TOKEN_PATTERN.test(token)) return null;
  return deps.prisma.payoutRequest.findUnique({ where: { linkTokenHash: hashLinkToken(token) } });
}

/** Resolves a link for an action that needs it active (widget token, tokenize, start). */
export async function requireActiveLink(deps: PayoutDeps, token: string): Promise<PayoutRequest> {
  const request = await findByLinkToken(deps, token);
  if (!request) throw new PayoutError("not_found", "This payout link does not exist");
  const state = linkStateOf(request, nowOf(deps));
  if (state === "revoked") throw new PayoutError("link_revoked", "This payout link was revoked");
  if (state === "expired") throw new PayoutError("link_expired", "This payout link has expired");
  if (state === "used") throw new PayoutError("link_used", "This payout link was already used", { params: { status: request.status } });
  return request;
}

/** Revokes an unused link; the request becomes cancelled so nobody can use it later. */
export async function revokeLink(deps: PayoutDeps, payoutRequestId: string, actor: Actor, reason: string): Promise<void> {
  const moved = await inTransaction(deps, async (tx) => {
    const request = await tx.payoutRequest.findUnique({ where: { id: payoutRequestId } });
    if (!request) throw new PayoutError("not_found", "Payout request not found");
    if (request.linkRevokedAt) return null;
    return transition(tx, payoutRequestId, "cancelled", actor, {
      action: "link.revoked",
      data: { reason },
      set: { linkRevokedAt: nowOf(deps), failureCode: "link_revoked", failureMessage: reason },
      from: ["awaiting_recipient"],
    });
  });
  if (moved === null) {
    const request = await deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: payoutRequestId } });
    if (!request.linkRevokedAt) {
      throw new PayoutError("invalid_state", "Only a link that has not been used yet can be revoked", { params: { status: request.status } });
    }
  }
}

/** Marks requests whose link expired unused; run by the background jobs. Returns how many. */
export async function expireStaleLinks(deps: PayoutDeps): Promise<number> {
  const now = nowOf(deps);
  const stale = await deps.prisma.payoutRequest.findMany({
    where: { status: "awaiting_recipient", linkExpiresAt: { lte: now } },
    select: { id: true },
    take: 500,
  });
  let expired = 0;
  for (const { id } of stale) {
    const moved = await inTransaction(deps, (tx) =>
      transition(tx, id, "expired", { type: "system" }, { action: "link.expired", from: ["awaiting_recipient"] }),
    );
    if (moved) expired++;
  }
  return expired;
}
