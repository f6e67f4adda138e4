import { servicesOf, type NpdStatus } from "./self-employed";
import type { SelfEmployedService } from "./schemas";
import { describeBankError } from "../bank131/messages";
import { formatMaskedCard } from "../cards";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { ActorType, PayoutMethod, SourceAccount, WebhookVerdict } from "../generated/prisma/enums";
import { formatFingerprint, formatRequestNumber } from "../format/numbers";
import { formatPhone } from "../format/sbp";
import { toSafeKopecks } from "../money";
import { claimView, type ClaimView } from "./claims";
import { InvalidCursorError } from "./cursor-error";
import { redactJsonText, redactSecrets } from "./redact";
import { requiredApprovals } from "./approvals";
import { riskSignalsFor, type RiskSignal } from "./risk-signals";
import type { PayoutDeps } from "./deps";
import { linkStateOf, type LinkState } from "./requests";
import type { PayoutStatus } from "./state-machine";

/**
 * What an operator sees about one payout: the request, its bank session and payouts, and ONE
 * timeline merging the audit trail, every call made to the bank and every webhook about the
 * session. Plain JSON (ISO dates, safe-integer kopecks) so the same value feeds the API route,
 * the server-rendered page and React Query on the client.
 */

type Json = Prisma.JsonValue;

export interface PayoutDetailInstrument {
  kind: "card" | "bank_account" | "recurrent" | "sbp";
  /** `МИР •••• 4940`, `Счёт 40817***0131`, … — masks only. */
  label: string;
  brand: string | null;
  bin: string | null;
  last4: string | null;
  maskedAccount: string | null;
  bik: string | null;
  /** What the portal keeps to pay it at the bank (never a number): widget hash, saved token, … */
  storedAs: "number_hash" | "card_token" | "recurrent_token" | "bank_account_token" | "sbp_phone";
}

/** SBP payouts: the details and what the bank said about them (lib/payouts/sbp.ts). */
export interface PayoutDetailSbp {
  /** `+7 900 000-00-01`, or null while the recipient has not given it. */
  phone: string | null;
  bankId: string | null;
  bankName: string | null;
  /** The name the bank holds for the phone, masked («Иван И.»), once verified and paid to. */
  verifiedName: string | null;
  /** The latest verification asked through this payout's link (a reused earlier answer asks nothing). */
  lastVerification: { status: "verified" | "pending" | "failed"; failureCode: string | null; maskedName: string | null; bankId: string; at: string } | null;
}

export interface PayoutDetailBankPayout {
  bankPayoutId: string;
  status: "in_progress" | "pending" | "succeeded" | "failed";
  amountKopecks: number | null;
  currency: string | null;
  error: { code: string; description: string | null; message: string } | null;
  finishedAt: string | null;
  refundedAt: string | null;
  updatedAt: string;
}

export interface PayoutDetailBankSession {
  bankSessionId: string | null;
  idempotencyKey: string;
  status: "starting" | "created" | "in_progress" | "accepted" | "cancelled" | "error";
  nextAction: string | null;
  confirmInformation: Json | null;
  confirmDeadlineAt: string | null;
  flow: string;
  apiVersion: number;
  startAttempts: number;
  lastError: string | null;
  lastSyncedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type TimelineEntry =
  | {
      kind: "audit";
      id: string;
      at: string;
      actor: { type: ActorType; id: string | null; name: string | null };
      action: string;
      fromStatus: string | null;
      toStatus: string | null;
      data: Json | null;
    }
  | {
      kind: "bank_call";
      id: string;
      /** When the call was sent (the row is written when it finished). */
      at: string;
      finishedAt: string;
      method: string;
      idempotencyKey: string | null;
      outcome: string;
      httpStatus: number | null;
      errorCode: string | null;
      durationMs: number;
      request: Json;
      response: Json | null;
    }
  | {
      kind: "webhook";
      id: string;
      at: string;
      type: string | null;
      verdict: WebhookVerdict;
      rejectReason: string | null;
      /** sha256 of the raw bytes for verified deliveries; null for rejected ones. */
      dedupeKey: string | null;
      /** Times these exact bytes arrived; every one after the first was dropped as a duplicate. */
      deliveries: number;
      effect: string | null;
      bankSessionId: string | null;
      processedAt: string | null;
      hasSignature: boolean;
      /** As received, credentials redacted; null for a rejected delivery (its body is never stored). */
      rawBody: string | null;
      /** A rejected delivery's bounded sample; null for verified ones. */
      rejectedSample: RejectedSample | null;
    };

/** What is kept of a rejected delivery instead of its body. */
export interface RejectedSample {
  sha256: string | null;
  bytes: number | null;
  clientAddress: string | null;
  /** The session id the untrusted body named. */
  namedSessionId: string | null;
}

export interface PayoutDetailApproval {
  operator: { id: string; name: string };
  at: string;
  /** Full SHA-256 of what was approved; `short` is what people compare (`9A8A 59DA`). */
  fingerprint: string;
  short: string;
  /** What was approved no longer matched what would be paid, or the bank refused that attempt's confirm. */
  counts: boolean;
  /** The risk signals the payout had when this approval was given. */
  riskSignals: RiskSignal[];
}

export interface PayoutDetailApprovals {
  /** Approvals this payout needs (2 at or above the two-approver threshold). */
  required: number;
  /** Approvals that count towards the current decision. */
  count: number;
  /** Every approval ever given, oldest first. */
  list: PayoutDetailApproval[];
}

export interface PayoutDetail {
  id: string;
  number: number;
  /** `PR-000042`. */
  requestNumber: string;
  status: PayoutStatus;
  version: number;
  amountKopecks: number;
  currency: string;
  recipientName: string;
  recipientEmail: string | null;
  partnerReference: string | null;
  purpose: string;
  method: PayoutMethod;
  sourceAccount: SourceAccount;
  beneficiaryInn: string | null;
  beneficiaryName: string | null;
  instrument: PayoutDetailInstrument | null;
  /** Present for method sbp only. */
  sbp: PayoutDetailSbp | null;
  link: { state: LinkState; expiresAt: string; usedAt: string | null; revokedAt: string | null };
  failure: { code: string; description: string | null; message: string } | null;
  /** Status needs_attention: why an operator must look (machine code, e.g. start_refused_session_unknown). */
  attentionReason: string | null;
  /** The after-the-fact audit found the bank disagreeing with this finished payout (never rewritten). */
  bankMismatch: { at: string; detail: Json } | null;
  createdBy: { type: "operator" | "partner_api"; name: string | null };
  createdAt: string;
  updatedAt: string;
  bankSession: PayoutDetailBankSession | null;
  bankPayouts: PayoutDetailBankPayout[];
  approvals: PayoutDetailApprovals;
  /** Risk signals as they stand now (lib/payouts/risk-signals.ts). */
  riskSignals: RiskSignal[];
  /** Oldest first. */
  timeline: TimelineEntry[];
  /** Who holds the payout for review, while the claim is in force (lib/payouts/claims.ts). */
  claim: ClaimView | null;
  /** Self-employed (НПД) payouts: the INN, the tax service's answer about it, the receipt's services and the receipt. */
  selfEmployed: {
    inn: string;
    npdStatus: NpdStatus;
    services: SelfEmployedService[];
    receipt: { id: string | null; link: string } | null;
  } | null;
  /** When this view was read (server clock), for countdowns that should not trust the browser's clock. */
  generatedAt: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

function instrumentOf(request: {
  cardNumberHash: string | null;
  cardToken: string | null;
  recurrentToken: string | null;
  bankAccountToken: string | null;
  cardBrand: string | null;
  cardBin: string | null;
  cardLast4: string | null;
  maskedAccount: string | null;
  bik: string | null;
  sbpPhone: string | null;
  sbpBankId: string | null;
  sbpBankName: string | null;
}): PayoutDetailInstrument | null {
  const card = { brand: request.cardBrand, bin: request.cardBin, last4: request.cardLast4, maskedAccount: null, bik: null };
  if (request.sbpBankId) {
    const label = `СБП: ${request.sbpBankName ?? request.sbpBankId}, ${request.sbpPhone ? formatPhone(request.sbpPhone) : "—"}`;
    return { kind: "sbp", label, brand: null, bin: null, last4: null, maskedAccount: null, bik: null, storedAs: "sbp_phone" };
  }
  if (request.bankAccountToken) {
    return {
      kind: "bank_account",
      label: request.maskedAccount ? `Счёт ${request.maskedAccount}` : "Банковский счёт",
      brand: null,
      bin: null,
      last4: null,
      maskedAccount: request.maskedAccount,
      bik: request.bik,
      storedAs: "bank_account_token",
    };
  }
  if (request.recurrentToken) {
    return { kind: "recurrent", label: request.cardLast4 ? formatMaskedCard(card) : "Карта по рекуррентному токену", ...card, storedAs: "recurrent_token" };
  }
  if (request.cardNumberHash || request.cardToken) {
    return { kind: "card", label: formatMaskedCard(card), ...card, storedAs: request.cardNumberHash ? "number_hash" : "card_token" };
  }
  return null;
}

/** The body (credentials redacted) of a verified delivery, or the sample kept of a rejected one. */
function deliveryBody(row: {
  verdict: WebhookVerdict;
  rawBody: string | null;
  signature: string | null;
  signaturePresent: boolean | null;
  bodySha256: string | null;
  bodyBytes: number | null;
  clientAddress: string | null;
  namedSessionId: string | null;
}): { hasSignature: boolean; rawBody: string | null; rejectedSample: RejectedSample | null } {
  const hasSignature = (row.signature !== null && row.signature !== "") || row.signaturePresent === true;
  const rawBody = row.rawBody === null ? null : redactJsonText(row.rawBody);
  if (row.verdict !== "rejected") return { hasSignature, rawBody, rejectedSample: null };
  return {
    hasSignature,
    rawBody,
    rejectedSample: { sha256: row.bodySha256, bytes: row.bodyBytes, clientAddress: row.clientAddress, namedSessionId: row.namedSessionId },
  };
}

/** At most this many (newest) rejected deliveries naming the session in their untrusted body. */
const REJECTED_MENTIONS_LIMIT = 50;

const KIND_ORDER: Record<TimelineEntry["kind"], number> = { audit: 0, bank_call: 1, webhook: 2 };

export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return entries.sort((a, b) => {
    const byTime = Date.parse(a.at) - Date.parse(b.at);
    if (byTime !== 0) return byTime;
    const byKind = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
    if (byKind !== 0) return byKind;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** The whole story of one payout request, or null when there is no such request. */
export async function getPayoutDetail(
  prisma: PrismaClient,
  id: string,
  settings: Pick<PayoutDeps["settings"], "twoApproversFromKopecks" | "risk">,
  now: Date = new Date(),
): Promise<PayoutDetail | null> {
  const request = await prisma.payoutRequest.findUnique({
    where: { id },
    include: {
      bankSession: { include: { payouts: { orderBy: { createdAt: "asc" } } } },
      createdBy: { select: { name: true } },
      apiKey: { select: { name: true } },
      claim: { include: { holder: { select: { name: true } } } },
      auditEvents: { orderBy: [{ at: "asc" }, { id: "asc" }] },
      bankCalls: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      approvals: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { operator: { select: { id: true, name: true } } } },
      sbpVerifications: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1 },
    },
  });
  if (!request) return null;

  const session = request.bankSession;
  const bankSessionId = session?.bankSessionId ?? null;
  const webhooks = bankSessionId
    ? await prisma.webhookInbox.findMany({
        where: {
          OR: [
            { bankSessionId },
            // A rejected delivery was never trusted (so it has no session id): the id its body
            // claimed (an indexed column), so a forgery about this session is visible here too.
            { verdict: "rejected", namedSessionId: bankSessionId },
          ],
        },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        take: 500,
      })
    : [];
  const rejectedMentions = webhooks.filter((row) => row.verdict === "rejected");
  const keptRejected = new Set(rejectedMentions.slice(0, REJECTED_MENTIONS_LIMIT).map((row) => row.id));

  // actorId is free text (not a foreign key): only UUID-shaped ids can name an operator row.
  const operatorIds = [
    ...new Set(request.auditEvents.filter((event) => event.actorType === "operator" && event.actorId && UUID_RE.test(event.actorId)).map((event) => event.actorId!)),
  ];
  const operators = operatorIds.length
    ? await prisma.operator.findMany({ where: { id: { in: operatorIds } }, select: { id: true, name: true } })
    : [];
  const operatorName = new Map(operators.map((operator) => [operator.id, operator.name]));

  const timeline: TimelineEntry[] = [
    ...request.auditEvents.map(
      (event): TimelineEntry => ({
        kind: "audit",
        id: `audit-${event.id.toString()}`,
        at: event.at.toISOString(),
        actor: { type: event.actorType, id: event.actorId, name: event.actorId ? (operatorName.get(event.actorId) ?? null) : null },
        action: event.action,
        fromStatus: event.fromStatus,
        toStatus: event.toStatus,
        data: redactSecrets(event.data ?? null),
      }),
    ),
    ...request.bankCalls.map(
      (call): TimelineEntry => ({
        kind: "bank_call",
        id: `call-${call.id}`,
        at: new Date(call.createdAt.getTime() - call.durationMs).toISOString(),
        finishedAt: call.createdAt.toISOString(),
        method: call.method,
        idempotencyKey: call.idempotencyKey,
        outcome: call.outcome,
        httpStatus: call.httpStatus,
        errorCode: call.errorCode,
        durationMs: call.durationMs,
        // Rows recorded before bank-call bodies were redacted at the source are redacted here too.
        request: redactSecrets(call.requestBody),
        response: redactSecrets(call.responseBody ?? null),
      }),
    ),
    ...webhooks
      .filter((row) => row.verdict === "verified" || keptRejected.has(row.id))
      .map(
        (row): TimelineEntry => ({
          kind: "webhook",
          id: `webhook-${row.id}`,
          at: row.receivedAt.toISOString(),
          type: row.eventType,
          verdict: row.verdict,
          rejectReason: row.rejectReason,
          dedupeKey: row.dedupeKey,
          deliveries: row.deliveries,
          effect: row.effect,
          bankSessionId: row.bankSessionId,
          processedAt: iso(row.processedAt),
          ...deliveryBody(row),
        }),
      ),
  ];

  const failureCode = request.failureCode;
  return {
    id: request.id,
    number: request.number,
    requestNumber: formatRequestNumber(request.number),
    status: request.status,
    version: request.version,
    amountKopecks: toSafeKopecks(request.amountKopecks),
    currency: request.currency,
    recipientName: request.recipientName,
    recipientEmail: request.recipientEmail,
    partnerReference: request.reference,
    purpose: request.purpose,
    method: request.method,
    sourceAccount: request.sourceAccount,
    beneficiaryInn: request.beneficiaryInn,
    beneficiaryName: request.beneficiaryName,
    instrument: instrumentOf(request),
    sbp: request.method === "sbp" ? sbpOf(request) : null,
    link: {
      state: linkStateOf(request, now),
      expiresAt: request.linkExpiresAt.toISOString(),
      usedAt: iso(request.linkUsedAt),
      revokedAt: iso(request.linkRevokedAt),
    },
    failure: failureCode ? { code: failureCode, description: request.failureMessage, message: describeBankError(failureCode, "ru") } : null,
    attentionReason: request.status === "needs_attention" ? request.attentionReason : null,
    selfEmployed: request.selfEmployedInn
      ? {
          inn: request.selfEmployedInn,
          npdStatus: (request.npdStatus ?? "checking") as NpdStatus,
          services: servicesOf(request),
          receipt: request.receiptLink ? { id: request.receiptId, link: request.receiptLink } : null,
        }
      : null,
    bankMismatch: request.bankMismatchAt ? { at: request.bankMismatchAt.toISOString(), detail: request.bankMismatch ?? null } : null,
    createdBy: request.apiKeyId
      ? { type: "partner_api", name: request.apiKey?.name ?? null }
      : { type: "operator", name: request.createdBy?.name ?? null },
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    bankSession: session
      ? {
          bankSessionId: session.bankSessionId,
          idempotencyKey: session.idempotencyKey,
          status: session.status,
          nextAction: session.nextAction,
          confirmInformation: redactSecrets(session.confirmInformation ?? null),
          confirmDeadlineAt: iso(session.confirmDeadlineAt),
          flow: session.flow,
          apiVersion: session.apiVersion,
          startAttempts: session.startAttempts,
          lastError: session.lastError,
          lastSyncedAt: iso(session.lastSyncedAt),
          createdAt: session.createdAt.toISOString(),
          updatedAt: session.updatedAt.toISOString(),
        }
      : null,
    bankPayouts: (session?.payouts ?? []).map((payout) => ({
      bankPayoutId: payout.bankPayoutId,
      status: payout.status,
      amountKopecks: payout.amountKopecks === null ? null : toSafeKopecks(payout.amountKopecks),
      currency: payout.currency,
      error: payout.errorCode ? { code: payout.errorCode, description: payout.errorDescription, message: describeBankError(payout.errorCode, "ru") } : null,
      finishedAt: iso(payout.finishedAt),
      refundedAt: iso(payout.refundedAt),
      updatedAt: payout.updatedAt.toISOString(),
    })),
    approvals: approvalsOf(request, settings.twoApproversFromKopecks),
    riskSignals: (await riskSignalsFor(prisma, [request.id], settings.risk)).get(request.id) ?? [],
    timeline: sortTimeline(timeline),
    claim: request.claim && request.claim.expiresAt > now ? claimView({ ...request.claim, holderName: request.claim.holder.name }) : null,
    generatedAt: now.toISOString(),
  };
}

function sbpOf(request: {
  sbpPhone: string | null;
  sbpBankId: string | null;
  sbpBankName: string | null;
  sbpVerifiedName: string | null;
  sbpVerifications: Array<{ status: string; failureCode: string | null; maskedName: string | null; bankId: string; createdAt: Date; finishedAt: Date | null }>;
}): PayoutDetailSbp {
  const last = request.sbpVerifications[0];
  return {
    phone: request.sbpPhone ? formatPhone(request.sbpPhone) : null,
    bankId: request.sbpBankId,
    bankName: request.sbpBankName,
    verifiedName: request.sbpVerifiedName,
    lastVerification: last
      ? {
          status: last.status === "verified" || last.status === "failed" ? last.status : "pending",
          failureCode: last.failureCode,
          maskedName: last.maskedName,
          bankId: last.bankId,
          at: (last.finishedAt ?? last.createdAt).toISOString(),
        }
      : null,
  };
}

function approvalsOf(
  request: {
    amountKopecks: bigint;
    bankSession: { decisionAttempt: number } | null;
    approvals: Array<{ operator: { id: string; name: string }; createdAt: Date; fingerprint: string; decisionAttempt: number; voidedAt: Date | null; riskSignals: Json }>;
  },
  twoApproversFromKopecks: number,
): PayoutDetailApprovals {
  const attempt = request.bankSession?.decisionAttempt ?? 0;
  const list = request.approvals.map((approval) => ({
    operator: approval.operator,
    at: approval.createdAt.toISOString(),
    fingerprint: approval.fingerprint,
    short: formatFingerprint(approval.fingerprint),
    counts: approval.voidedAt === null && approval.decisionAttempt === attempt,
    riskSignals: approval.riskSignals as unknown as RiskSignal[],
  }));
  return { required: requiredApprovals(request.amountKopecks, twoApproversFromKopecks), count: list.filter((approval) => approval.counts).length, list };
}

// ---- webhooks page -------------------------------------------------------------------------------

export interface WebhookDelivery {
  id: string;
  receivedAt: string;
  processedAt: string | null;
  verdict: WebhookVerdict;
  rejectReason: string | null;
  type: string | null;
  bankSessionId: string | null;
  /** The payout the session belongs to, when the portal knows the session. */
  payout: { id: string; number: number; requestNumber: string } | null;
  dedupeKey: string | null;
  deliveries: number;
  effect: string | null;
  hasSignature: boolean;
  /** Null for a rejected delivery (see rejectedSample). */
  rawBody: string | null;
  rejectedSample: RejectedSample | null;
}

export interface WebhookDeliveryPage {
  items: WebhookDelivery[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const WEBHOOK_PAGE_SIZE = 25;

/**
 * Webhook deliveries, newest first, keyset-paginated by (receivedAt, id). The cursor is the id of
 * the last row shown; the comparison happens in SQL against that row's stored timestamp, so the
 * database's microseconds are never rounded to JavaScript milliseconds (which would skip rows).
 */
export async function listWebhookDeliveries(
  prisma: PrismaClient,
  options: { verdict?: WebhookVerdict; cursor?: string | null; limit?: number } = {},
): Promise<WebhookDeliveryPage> {
  const limit = Math.min(Math.max(options.limit ?? WEBHOOK_PAGE_SIZE, 1), 100);
  const cursor = options.cursor || null;
  if (cursor !== null && !UUID_RE.test(cursor)) throw new InvalidCursorError();

  const conditions: Prisma.Sql[] = [];
  if (options.verdict) conditions.push(Prisma.sql`verdict::text = ${options.verdict}`);
  if (cursor) {
    conditions.push(Prisma.sql`(received_at, id) < (SELECT c.received_at, c.id FROM webhook_inbox c WHERE c.id = ${cursor}::uuid)`);
  }
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const ids = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT id::text AS id FROM webhook_inbox ${where} ORDER BY received_at DESC, id DESC LIMIT ${limit + 1}`;
  const pageIds = ids.slice(0, limit).map((row) => row.id);
  const rows = pageIds.length ? await prisma.webhookInbox.findMany({ where: { id: { in: pageIds } } }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const page = pageIds.map((id) => byId.get(id)).filter((row): row is NonNullable<typeof row> => row !== undefined);

  const sessionIds = [...new Set(page.map((row) => row.bankSessionId).filter((value): value is string => value !== null))];
  const sessions = sessionIds.length
    ? await prisma.bankSession.findMany({
        where: { bankSessionId: { in: sessionIds } },
        select: { bankSessionId: true, payoutRequest: { select: { id: true, number: true } } },
      })
    : [];
  const payoutBySession = new Map(sessions.map((session) => [session.bankSessionId, session.payoutRequest]));

  return {
    items: page.map((row) => {
      const payout = row.bankSessionId ? payoutBySession.get(row.bankSessionId) : undefined;
      return {
        id: row.id,
        receivedAt: row.receivedAt.toISOString(),
        processedAt: iso(row.processedAt),
        verdict: row.verdict,
        rejectReason: row.rejectReason,
        type: row.eventType,
        bankSessionId: row.bankSessionId,
        payout: payout ? { id: payout.id, number: payout.number, requestNumber: formatRequestNumber(payout.number) } : null,
        dedupeKey: row.dedupeKey,
        deliveries: row.deliveries,
        effect: row.effect,
        ...deliveryBody(row),
      };
    }),
    nextCursor: ids.length > limit ? (pageIds.at(-1) ?? null) : null,
  };
}
