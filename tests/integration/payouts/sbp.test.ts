import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimits, RATE_LIMIT_NAMES, type RateLimitSettings } from "@/lib/auth/rate-limits";
import { PAYOUT_ERROR_STATUS, toErrorAnswer } from "@/lib/http/errors";
import { parseCreateBody } from "@/lib/partner-api/wire";
import type { Actor } from "@/lib/payouts/audit";
import { approvePayout } from "@/lib/payouts/decisions";
import { getPayoutDetail } from "@/lib/payouts/detail";
import type { PayoutDeps } from "@/lib/payouts/deps";
import { reconcileOnce } from "@/lib/payouts/reconcile";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { checkSbpDetails, sbpBanks } from "@/lib/payouts/sbp";
import { CreatePayoutRequestSchema, RecipientInstrumentSchema, type CreatePayoutRequestInput } from "@/lib/payouts/schemas";
import { startPayoutFromLink } from "@/lib/payouts/start-from-link";
import { testDatabaseKinds } from "@/tests/helpers/database";
import { confirmsAtBank } from "@/tests/helpers/payouts";
import { addApprover, createTestPortal, type TestPortal } from "@/tests/helpers/portal";

/**
 * Issue 13, item 3 (SBP): the recipient's bank and phone are verified with the bank
 * (`fps/customer_verification`, the sandbox's test phones) before the first payout to them; the payout
 * goes by `session/init/payout` with the SBP instrument; approvals are bound to the SBP details; the
 * partner API names a bad phone; SBP payouts are not watched for refunds.
 */
const PHONE = { verified: "79000000001", unknown: "79000000002", nameMismatch: "79000000003" } as const;
const SBERBANK = "100000000111";
const LARGE = 15_000_000;
const noLimit = async () => {};

describe.each(testDatabaseKinds())("SBP payouts by phone on %s", (kind) => {
  let portal: TestPortal;
  let first: Actor & { id: string };
  let second: Actor & { id: string };
  beforeAll(async () => {
    portal = await createTestPortal(kind);
    first = await addApprover(portal.deps.prisma, "Ольга Проверкина");
    second = await addApprover(portal.deps.prisma, "Иван Второв");
  });
  afterAll(async () => {
    await portal?.close();
  });

  const newSbpRequest = async (overrides: Partial<CreatePayoutRequestInput> = {}) =>
    createPayoutRequest(
      portal.deps,
      CreatePayoutRequestSchema.parse({ amountKopecks: 250_000, recipientName: "Иванов Иван Петрович", purpose: "Вознаграждение по договору", method: "sbp", ...overrides }),
      { type: "system" },
    );
  const bankCalls = (payoutRequestId: string, method: string) => portal.deps.prisma.bankCall.count({ where: { payoutRequestId, method } });

  it("fps/banks is read from the bank once and then served from the cache", async () => {
    let calls = 0;
    const counting: PayoutDeps = { ...portal.deps, bank: { ...portal.deps.bank, fpsBanks: (opts) => (calls++, portal.deps.bank.fpsBanks(opts)) } };
    const lists = await Promise.all([sbpBanks(counting), sbpBanks(counting)]);
    await sbpBanks(counting);
    expect(calls).toBe(1);
    expect(lists[0]).toContainEqual(expect.objectContaining({ id: SBERBANK, name: "Сбербанк" }));
  });

  it("a verified phone: the masked name is shown, the payout goes by init/payout with the SBP instrument and is paid", async () => {
    const { request, link } = await newSbpRequest();
    const check = await checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone: PHONE.verified }, noLimit);
    expect(check).toMatchObject({ status: "verified", maskedName: "Иван Петрович И.", phone: "+7 900 ***-**-01", bank: { id: SBERBANK, name: "Сбербанк" }, reused: false });
    expect(await bankCalls(request.id, "fps/customer_verification")).toBe(1);

    await startPayoutFromLink(portal.deps, link.token, RecipientInstrumentSchema.parse({ kind: "sbp", bankId: SBERBANK, phone: "+7 (900) 000-00-01" }));
    await portal.waitForStatus(request.id, "awaiting_approval");
    const init = await portal.deps.prisma.bankCall.findFirstOrThrow({ where: { payoutRequestId: request.id, method: "session/init/payout" } });
    expect(init.requestBody).toMatchObject({
      payout_details: { type: "bank_account", bank_account: { system_type: "faster_payment_system", faster_payment_system: { phone: PHONE.verified, bank_id: SBERBANK, description: "Вознаграждение по договору" } } },
    });

    const detail = await getPayoutDetail(portal.deps.prisma, request.id, portal.deps.settings);
    expect(detail?.sbp).toMatchObject({ phone: "+7 900 000-00-01", bankName: "Сбербанк", verifiedName: "Иван Петрович И.", lastVerification: { status: "verified" } });
    expect(detail?.instrument).toMatchObject({ kind: "sbp", label: "СБП: Сбербанк, +7 900 000-00-01" });

    await approvePayout(portal.deps, { payoutRequestId: request.id, actor: first });
    await portal.waitForStatus(request.id, "paid");
  });

  it("the same phone, bank and name again: the earlier verified answer is reused, the bank is not asked", async () => {
    const { request } = await newSbpRequest({ recipientName: "иванов  Иван Петрович" });
    let limited = 0;
    const check = await checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone: PHONE.verified }, async () => void limited++);
    expect(check).toMatchObject({ status: "verified", reused: true, maskedName: "Иван Петрович И." });
    expect(await bankCalls(request.id, "fps/customer_verification")).toBe(0);
    expect(limited).toBe(0);
    // Another bank is other details: asked again.
    const other = await checkSbpDetails(portal.deps, request, { bankId: "100000000069", phone: PHONE.verified }, noLimit);
    expect(other).toMatchObject({ status: "verified", reused: false });
  });

  it.each([
    ["unknown phone", PHONE.unknown, "account_not_found"],
    ["phone of someone else", PHONE.nameMismatch, "recipient_data_mismatch"],
  ])("%s: the check fails with the bank's reason, the operator sees it, and the payout cannot start", async (_name, phone, code) => {
    const { request, link } = await newSbpRequest();
    const check = await checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone }, noLimit);
    expect(check).toMatchObject({ status: "failed", failureCode: code, maskedName: null });

    const detail = await getPayoutDetail(portal.deps.prisma, request.id, portal.deps.settings);
    expect(detail?.sbp?.lastVerification).toMatchObject({ status: "failed", failureCode: code });
    expect(await portal.deps.prisma.auditEvent.count({ where: { payoutRequestId: request.id, action: "sbp.verification_failed", data: { path: ["code"], equals: code } } })).toBe(1);

    const refused = await startPayoutFromLink(portal.deps, link.token, RecipientInstrumentSchema.parse({ kind: "sbp", bankId: SBERBANK, phone })).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "sbp_not_verified" });
    expect(PAYOUT_ERROR_STATUS.sbp_not_verified).toBe(422);
    expect(await portal.deps.prisma.bankSession.count({ where: { payoutRequestId: request.id } })).toBe(0);
    // A failed answer is not reused: asking again asks the bank again.
    await checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone }, noLimit);
    expect(await bankCalls(request.id, "fps/customer_verification")).toBe(2);
  });

  it("a phone the payer gave is the only one: another is refused, none means that one", async () => {
    const { request } = await newSbpRequest({ sbpPhone: "8 (900) 000-00-01" });
    expect(request.sbpPhone).toBe(PHONE.verified);
    await expect(checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone: "79161234567" }, noLimit)).rejects.toMatchObject({ code: "sbp_phone_fixed", details: { field: "phone" } });
    await expect(checkSbpDetails(portal.deps, request, { bankId: SBERBANK }, noLimit)).resolves.toMatchObject({ status: "verified", phone: "+7 900 ***-**-01" });
    await expect(checkSbpDetails(portal.deps, request, { bankId: "100000000999" }, noLimit)).rejects.toMatchObject({ code: "sbp_bank_unknown", details: { field: "bankId" } });
  });

  it("verifications asking the bank are rate-limited per link; reused answers are not counted", async () => {
    const settings = Object.fromEntries(RATE_LIMIT_NAMES.map((name) => [name, { points: name === "linkSbpVerifications" ? 1 : 1000, durationSeconds: 3600 }]));
    const limits = createRateLimits({ kind: "memory" }, settings as RateLimitSettings);
    const { request } = await newSbpRequest();
    const limit = () => limits.consume("linkSbpVerifications", request.id);
    await checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone: PHONE.unknown }, limit);
    await expect(checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone: PHONE.unknown }, limit)).rejects.toMatchObject({ code: "rate_limited" });
    await expect(checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone: PHONE.verified }, limit)).resolves.toMatchObject({ status: "verified", reused: true });
  });

  it("SBP details changed after the first of two approvals refuse the confirm, naming the instrument", async () => {
    const { request, link } = await newSbpRequest({ amountKopecks: LARGE });
    await checkSbpDetails(portal.deps, request, { bankId: SBERBANK, phone: PHONE.verified }, noLimit);
    await startPayoutFromLink(portal.deps, link.token, RecipientInstrumentSchema.parse({ kind: "sbp", bankId: SBERBANK, phone: PHONE.verified }));
    await portal.waitForStatus(request.id, "awaiting_approval");
    const session = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });
    await expect(approvePayout(portal.deps, { payoutRequestId: request.id, actor: first })).resolves.toMatchObject({ approvals: { count: 1, required: 2 } });

    await portal.deps.prisma.payoutRequest.update({ where: { id: request.id }, data: { sbpPhone: "79161234567" } });
    await expect(approvePayout(portal.deps, { payoutRequestId: request.id, actor: second })).rejects.toMatchObject({
      code: "approval_changed",
      details: { params: { changed: ["instrument"] } },
    });
    expect(await confirmsAtBank(portal, session.bankSessionId!)).toBe(0);
    expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("awaiting_approval");
    // The verified name is covered too.
    await portal.deps.prisma.payoutRequest.update({ where: { id: request.id }, data: { sbpPhone: PHONE.verified } });
    await approvePayout(portal.deps, { payoutRequestId: request.id, actor: first });
    await portal.deps.prisma.payoutRequest.update({ where: { id: request.id }, data: { sbpVerifiedName: "Пётр П." } });
    await expect(approvePayout(portal.deps, { payoutRequestId: request.id, actor: second })).rejects.toMatchObject({ code: "approval_changed" });
  });

  it("a paid SBP payout is not watched for a refund (SBP payouts cannot be refunded)", async () => {
    const paid = await portal.deps.prisma.payoutRequest.findFirstOrThrow({ where: { method: "sbp", status: "paid" } });
    const report = await reconcileOnce({ ...portal.deps, now: () => new Date(Date.now() + 60_000) }, { staleAfterMs: 1, runner: "sbp-test", refundWatchMs: 86_400_000, auditWindowMs: 1 });
    expect(report.findings.map((finding) => finding.payoutRequestId)).not.toContain(paid.id);
    expect(await portal.deps.prisma.bankCall.count({ where: { payoutRequestId: paid.id, method: "session/status", createdAt: { gt: paid.updatedAt } } })).toBe(0);
  });

  it("the partner API refuses a bad SBP phone, a phone for another method and a long purpose, naming each field (4xx)", () => {
    const base = { amount_kopecks: 10_000, recipient_name: "Иванов Иван", purpose: "Выплата", method: "sbp" };
    const refusal = (body: object) => {
      try {
        parseCreateBody(body);
      } catch (error) {
        return toErrorAnswer(error);
      }
      throw new Error("accepted");
    };
    for (const [body, field] of [
      [{ ...base, sbp_phone: "12345" }, "sbp_phone"],
      [{ ...base, sbp_phone: "+1 555 000 00 00 00" }, "sbp_phone"],
      [{ ...base, method: "card_widget", sbp_phone: "79000000001" }, "sbp_phone"],
      [{ ...base, purpose: "П".repeat(141) }, "purpose"],
    ] as const) {
      const answer = refusal(body);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.error.field).toBe(field);
    }
    expect(parseCreateBody({ ...base, sbp_phone: "+7 (900) 000-00-01" })).toMatchObject({ method: "sbp", sbpPhone: PHONE.verified });
  });
});
