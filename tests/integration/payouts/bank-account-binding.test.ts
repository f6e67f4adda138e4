import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYOUT_ERROR_STATUS } from "@/lib/http/errors";
import { RECIPIENT } from "@/lib/payouts/audit";
import { getPayoutDetail } from "@/lib/payouts/detail";
import { recipientInstrument, tokenizeBankAccount } from "@/lib/payouts/instruments";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema, RecipientInstrumentSchema } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { TEST_BANK_ACCOUNTS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "@/tests/helpers/database";
import { createTestPortal, type TestPortal } from "@/tests/helpers/portal";

/**
 * Issue 9, item 5: approvers see the account the BANK tokenized for this link, never what the browser
 * claims, and an account token works only on the link that produced it. The start below is what
 * `POST /api/p/<token>/start` does with the recipient's body.
 */
describe.each(testDatabaseKinds())("bank-account tokens bound to their link on %s", (kind) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await createTestPortal(kind);
  });
  afterAll(async () => {
    await portal?.close();
  });

  const account = TEST_BANK_ACCOUNTS.find((item) => item.id === "account_success")!;
  const newRequest = async () =>
    (
      await createPayoutRequest(
        portal.deps,
        CreatePayoutRequestSchema.parse({ amountKopecks: 30_000, recipientName: "Счетов Семён", purpose: "Выплата на счёт", method: "bank_account" }),
        { type: "system" },
      )
    ).request;

  /** The recipient's start, as the route runs it: the body is parsed, the instrument resolved, the payout started. */
  async function startFromBrowser(payoutRequestId: string, body: unknown) {
    const instrument = await recipientInstrument(portal.deps, payoutRequestId, RecipientInstrumentSchema.parse(body));
    return startPayout(portal.deps, { payoutRequestId, instrument, actor: RECIPIENT, viaLinkToken: true });
  }

  it("a forged mask and BIK from the browser are ignored: approvers see the bank's mask", async () => {
    const request = await newRequest();
    const tokenized = await tokenizeBankAccount(portal.deps, request.id, { bik: account.bik, account: account.account });
    const bankMask = `${account.account.slice(0, 5)}***${account.account.slice(-4)}`;
    expect(tokenized.maskedAccount).toBe(bankMask);

    await startFromBrowser(request.id, { kind: "bank_account_token", token: tokenized.token, maskedAccount: "40817***9999", bik: "044525225" });
    const row = await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row).toMatchObject({ bankAccountToken: tokenized.token, maskedAccount: bankMask, bik: account.bik });
    const detail = await getPayoutDetail(portal.deps.prisma, request.id, portal.deps.settings);
    expect(detail?.instrument).toMatchObject({ kind: "bank_account", maskedAccount: bankMask, bik: account.bik });
    expect(JSON.stringify(detail)).not.toContain("40817***9999");
  });

  it("an account token from another link is refused with instrument_unknown (4xx) and nothing starts", async () => {
    const theirs = await newRequest();
    const tokenized = await tokenizeBankAccount(portal.deps, theirs.id, { bik: account.bik, account: account.account });
    const mine = await newRequest();

    const error = await startFromBrowser(mine.id, { kind: "bank_account_token", token: tokenized.token, maskedAccount: "40817***0131", bik: account.bik }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "instrument_unknown" });
    const status = PAYOUT_ERROR_STATUS[(error as { code: keyof typeof PAYOUT_ERROR_STATUS }).code];
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(await portal.deps.prisma.bankSession.count({ where: { payoutRequestId: mine.id } })).toBe(0);
    expect((await portal.deps.prisma.payoutRequest.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe("awaiting_recipient");
  });
});
