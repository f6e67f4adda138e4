import { setTimeout as delay } from "node:timers/promises";
import type { Bank131Client } from "../bank131/client";
import { Bank131ApiError } from "../bank131/errors";
import type { PaymentSession } from "../bank131/schemas";
import { maskPersonName, maskPhone } from "../format/sbp";
import type { PayoutRequest, SbpVerification } from "../generated/prisma/client";
import { audit, RECIPIENT } from "./audit";
import { recordedCall } from "./bank-calls";
import { nowOf, type PayoutDeps } from "./deps";
import { PayoutError } from "./errors";
import type { StartInstrument } from "./start";
import { inTransaction } from "./transaction";

/**
 * SBP (faster payment system) payouts by phone. The recipient picks their bank from `fps/banks` and
 * gives (or confirms) the phone; before the first payout to those details the portal asks the bank
 * (`fps/customer_verification`) whether that phone at that bank belongs to the payout's recipient.
 *
 * Reuse rule: a `verified` answer for the same phone + SBP bank + recipient name (compared folded:
 * case, ё/е, spaces) is reused for any payout for `verificationTtlDays` (SBP_VERIFICATION_TTL_DAYS)
 * after the bank gave it, without asking the bank again. Failed answers are kept (the operator sees
 * why) but never reused: a new attempt asks the bank again, within the link's rate limit.
 */

export const DEFAULT_SBP_SETTINGS = { verificationTtlDays: 30, banksCacheSeconds: 600 };
/** How long one verify call waits for the bank's verdict before answering "still checking". */
const VERDICT_WAIT_MS = 5_000;
const VERDICT_POLL_MS = 250;

export interface SbpBank {
  id: string;
  /** Russian name (the bank's `ru_name`, else `eng_name`, else the id). */
  name: string;
  nameEn: string;
}

const settingsOf = (deps: Pick<PayoutDeps, "settings">) => deps.settings.sbp ?? DEFAULT_SBP_SETTINGS;

// One list per bank client, kept briefly: every recipient page reads it, the bank need not answer each.
const banksCache = new WeakMap<Bank131Client, { banks: Promise<SbpBank[]>; expiresAt: number }>();

/** The SBP participants (`fps/banks`), cached for SBP_BANKS_CACHE_SECONDS; a failed fetch is not cached. */
export function sbpBanks(deps: Pick<PayoutDeps, "bank" | "settings" | "now">): Promise<SbpBank[]> {
  const now = nowOf(deps).getTime();
  const cached = banksCache.get(deps.bank);
  if (cached && cached.expiresAt > now) return cached.banks;
  const banks = deps.bank.fpsBanks().then((answer) =>
    answer.banks
      .map((bank) => ({ id: bank.id, name: bank.ru_name || bank.eng_name || bank.id, nameEn: bank.eng_name || bank.ru_name || bank.id }))
      .sort((a, b) => a.name.localeCompare(b.name, "ru")),
  );
  banksCache.set(deps.bank, { banks, expiresAt: now + settingsOf(deps).banksCacheSeconds * 1000 });
  banks.catch(() => banksCache.delete(deps.bank));
  return banks;
}

async function requireSbpBank(deps: PayoutDeps, bankId: string): Promise<SbpBank> {
  const bank = (await sbpBanks(deps)).find((candidate) => candidate.id === bankId);
  if (!bank) throw new PayoutError("sbp_bank_unknown", "bankId: not an SBP bank (see fps/banks)", { field: "bankId" });
  return bank;
}

/** The reuse key of a name: lower case, ё → е, single spaces. */
export function sbpNameKey(name: string): string {
  return name.trim().toLowerCase().replace(/ё/gu, "е").replace(/\s+/gu, " ");
}

/** The phone to pay: the payer's when they gave one (the recipient may only confirm it), else the recipient's. */
function phoneFor(request: Pick<PayoutRequest, "sbpPhone">, entered: string | undefined): string {
  if (request.sbpPhone) {
    if (entered !== undefined && entered !== request.sbpPhone) {
      throw new PayoutError("sbp_phone_fixed", "phone: the payer set the phone for this payout", { field: "phone" });
    }
    return request.sbpPhone;
  }
  if (entered === undefined) throw new PayoutError("validation", "phone: is required", { field: "phone", params: { issue: "too_small", minimum: 1 } });
  return entered;
}

function assertSbp(request: Pick<PayoutRequest, "method">): void {
  if (request.method !== "sbp") throw new PayoutError("invalid_state", "This payout is not paid by SBP", { params: { method: request.method } });
}

export interface SbpCheck {
  status: "verified" | "pending" | "failed";
  /** The bank's code when it did not verify (account_not_found, recipient_data_mismatch, …). */
  failureCode: string | null;
  /** The name the bank holds for the phone, masked («Иван И.»). */
  maskedName: string | null;
  bank: SbpBank;
  /** `+7 900 ***-**-01`. */
  phone: string;
  /** Whether this answer came from an earlier verification (no bank call made now). */
  reused: boolean;
}

function checkOf(row: SbpVerification, bank: SbpBank, reused: boolean): SbpCheck {
  const status = row.status === "verified" || row.status === "failed" ? row.status : "pending";
  return { status, failureCode: row.failureCode, maskedName: row.maskedName, bank, phone: maskPhone(row.phone), reused };
}

async function reusableVerification(deps: PayoutDeps, details: { phone: string; bankId: string; nameKey: string }): Promise<SbpVerification | null> {
  const since = new Date(nowOf(deps).getTime() - settingsOf(deps).verificationTtlDays * 86_400_000);
  return deps.prisma.sbpVerification.findFirst({
    where: { ...details, status: "verified", finishedAt: { gte: since } },
    orderBy: { finishedAt: "desc" },
  });
}

/** Verification's recipient: the bank wants first + last name (or full_name); names are "Фамилия Имя [Отчество]". */
function verifiedRecipient(name: string): Record<string, string> {
  const words = name.trim().split(/\s+/u);
  if (words.length < 2) return { full_name: name };
  const [last_name = "", first_name = "", ...middle] = words;
  return middle.length > 0 ? { last_name, first_name, middle_name: middle.join(" ") } : { last_name, first_name };
}

/** The bank's verdict in a verification session: null while it has none. */
function verdictOf(session: PaymentSession): { status: "verified" | "failed"; code: string | null; maskedName: string | null } | null {
  const payout = session.payout_list?.[0];
  if (session.status === "accepted" && payout?.status === "succeeded") {
    const recipient = payout.participant_details?.recipient;
    const maskedName = recipient
      ? maskPersonName({ fullName: recipient.full_name, firstName: recipient.first_name, lastName: recipient.last_name, middleName: recipient.middle_name })
      : null;
    return { status: "verified", code: null, maskedName };
  }
  if (session.status === "cancelled" || payout?.status === "failed") {
    return { status: "failed", code: payout?.error?.code ?? session.error?.code ?? "verification_failed", maskedName: null };
  }
  return null;
}

async function finish(deps: PayoutDeps, row: SbpVerification, verdict: NonNullable<ReturnType<typeof verdictOf>>): Promise<SbpVerification> {
  return inTransaction(deps, async (tx) => {
    const updated = await tx.sbpVerification.updateMany({
      where: { id: row.id, status: "pending" },
      data: { status: verdict.status, failureCode: verdict.code, maskedName: verdict.maskedName, finishedAt: nowOf(deps) },
    });
    const current = await tx.sbpVerification.findUniqueOrThrow({ where: { id: row.id } });
    if (updated.count === 1) {
      await audit(tx, {
        actor: RECIPIENT,
        action: verdict.status === "verified" ? "sbp.verified" : "sbp.verification_failed",
        payoutRequestId: row.payoutRequestId,
        data: { bankId: row.bankId, phone: maskPhone(row.phone), code: verdict.code, maskedName: verdict.maskedName },
      });
    }
    return current;
  });
}

/**
 * The recipient's "check" on the link page: reuses a fresh verified answer, else asks the bank (once per
 * details; a repeat while the bank is still checking polls the same verification) and waits a few
 * seconds for its verdict. `beforeBankCall` is the link's rate limit, counted only when the bank is asked.
 */
export async function checkSbpDetails(
  deps: PayoutDeps,
  request: PayoutRequest,
  input: { bankId: string; phone?: string },
  beforeBankCall: () => Promise<void>,
): Promise<SbpCheck> {
  assertSbp(request);
  const phone = phoneFor(request, input.phone);
  const bank = await requireSbpBank(deps, input.bankId);
  const details = { phone, bankId: bank.id, nameKey: sbpNameKey(request.recipientName) };
  const reusable = await reusableVerification(deps, details);
  if (reusable) return checkOf(reusable, bank, true);

  await beforeBankCall();
  let row =
    (await deps.prisma.sbpVerification.findFirst({ where: { ...details, payoutRequestId: request.id, status: "pending" }, orderBy: { createdAt: "desc" } })) ??
    (await deps.prisma.sbpVerification.create({ data: { ...details, payoutRequestId: request.id, status: "pending" } }));

  if (!row.bankSessionId) {
    const body = {
      payout_details: {
        type: "bank_account" as const,
        bank_account: { system_type: "faster_payment_system_verification" as const, faster_payment_system_verification: { phone, bank_id: bank.id } },
      },
      participant_details: { recipient: verifiedRecipient(request.recipientName) },
    };
    // Same key on a replay (an earlier call's outcome unknown): the bank answers with the same session.
    const idempotencyKey = `sbp-verification-${row.id}`;
    try {
      const started = await recordedCall(deps.prisma, { payoutRequestId: request.id, method: "fps/customer_verification", idempotencyKey, body }, () =>
        deps.bank.fpsCustomerVerification(body, { idempotencyKey }),
      );
      row = await deps.prisma.sbpVerification.update({ where: { id: row.id }, data: { bankSessionId: started.session.id } });
      const verdict = verdictOf(started.session);
      if (verdict) return checkOf(await finish(deps, row, verdict), bank, false);
    } catch (error) {
      if (error instanceof Bank131ApiError) {
        // A definitive refusal of the request itself (e.g. the bank does not know the bank id).
        return checkOf(await finish(deps, row, { status: "failed", code: error.code, maskedName: null }), bank, false);
      }
      throw new PayoutError("bank_unavailable", "The bank did not answer the SBP verification; try again");
    }
  }
  return checkOf(await awaitVerdict(deps, row), bank, false);
}

/** Polls the verification session until the bank has a verdict or VERDICT_WAIT_MS passes (then: still pending). */
async function awaitVerdict(deps: PayoutDeps, row: SbpVerification): Promise<SbpVerification> {
  const sessionId = row.bankSessionId!;
  const until = Date.now() + VERDICT_WAIT_MS;
  for (;;) {
    const answer = await deps.bank.status(sessionId).catch(() => null);
    const verdict = answer ? verdictOf(answer.session) : null;
    if (verdict) return finish(deps, row, verdict);
    if (Date.now() + VERDICT_POLL_MS > until) return row;
    await delay(VERDICT_POLL_MS);
  }
}

/**
 * The instrument a recipient's SBP choice starts: only details with a fresh verified answer for this
 * payout's recipient (`sbp_not_verified` otherwise), with the bank's name and the masked verified name.
 */
export async function verifiedSbpInstrument(deps: PayoutDeps, request: PayoutRequest, chosen: { bankId: string; phone?: string }): Promise<StartInstrument> {
  assertSbp(request);
  const phone = phoneFor(request, chosen.phone);
  const bank = await requireSbpBank(deps, chosen.bankId);
  const verified = await reusableVerification(deps, { phone, bankId: bank.id, nameKey: sbpNameKey(request.recipientName) });
  if (!verified) throw new PayoutError("sbp_not_verified", "instrument: these SBP details are not verified for this recipient", { field: "instrument" });
  return { kind: "sbp", phone, bankId: bank.id, bankName: bank.name, verifiedName: verified.maskedName };
}

/** The latest verification asked through a payout's link, for the operator's detail. */
export async function latestSbpVerification(prisma: PayoutDeps["prisma"], payoutRequestId: string): Promise<SbpVerification | null> {
  return prisma.sbpVerification.findFirst({ where: { payoutRequestId }, orderBy: { createdAt: "desc" } });
}
