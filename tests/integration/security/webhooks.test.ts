import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPrivateKey, signBody } from "@/lib/bank131/signature";
import { RECIPIENT } from "@/lib/payouts/audit";
import { approvePayout } from "@/lib/payouts/decisions";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { ingestWebhook } from "@/lib/payouts/webhooks";
import { TEST_CARDS } from "@/sandbox/test-instruments";
import { testDatabaseKinds } from "../../helpers/database";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

/**
 * Hostile webhook deliveries against a payout that a real `payment_finished` WOULD move (it waits for
 * approval): forged, altered after signing, unsigned and wrongly-signed deliveries change no payout,
 * session, bank payout or audit row; a replay of a genuine delivery is a duplicate that changes nothing.
 */

const OPERATOR = { type: "operator" as const, id: null };

describe.each(testDatabaseKinds())("hostile webhooks change nothing (%s)", (kind) => {
  let portal: TestPortal;

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    await portal?.close();
  });

  /** Every row a webhook could move, as comparable text (BigInt-safe). */
  async function snapshot(): Promise<string> {
    const { prisma } = portal.deps;
    const [requests, sessions, payouts, audit, verified] = await Promise.all([
      prisma.payoutRequest.findMany({ orderBy: { id: "asc" } }),
      prisma.bankSession.findMany({ orderBy: { id: "asc" } }),
      prisma.bankPayout.findMany({ orderBy: { id: "asc" } }),
      prisma.auditEvent.count(),
      prisma.webhookInbox.count({ where: { verdict: "verified" } }),
    ]);
    return JSON.stringify({ requests, sessions, payouts, audit, verified }, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  }

  it("forged, altered, unsigned and wrong-key deliveries are refused with 0 state changes; a replay is a no-op duplicate", async () => {
    const input = CreatePayoutRequestSchema.parse({ amountKopecks: 150_000, recipientName: "Орлова Вера", purpose: "Гонорар", method: "card_widget" });
    const { request } = await createPayoutRequest(portal.deps, input, OPERATOR);
    const card = TEST_CARDS.find((item) => item.id === "mir_success")!;
    const { number_hash } = await portal.sandbox.control.card(card.number);
    await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    await portal.waitForStatus(request.id, "awaiting_approval");
    const { bankSessionId } = await portal.deps.prisma.bankSession.findUniqueOrThrow({ where: { payoutRequestId: request.id } });
    const deliveries = (await portal.sandbox.control.webhooks(bankSessionId!)) as Array<{ type: string; body: string }>;
    const ready = deliveries.find((delivery) => delivery.type === "ready_to_confirm")!.body;

    // What an attacker wants the portal to believe: the payout already succeeded (or failed).
    const finished = ready.replace('"type":"ready_to_confirm"', '"type":"payment_finished"').replace('"status":"in_progress"', '"status":"succeeded"');
    const failed = finished.replace('"status":"succeeded"', '"status":"failed"');
    expect(finished).not.toBe(ready);
    expect(failed).not.toBe(finished);

    const bankKey = loadPrivateKey(readFileSync(portal.sandbox.keys.bankPrivateKeyFile));
    const strangerKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const deliver = (body: string, signature: string | null) => ingestWebhook(portal.deps, { rawBody: Buffer.from(body), signature });

    const before = await snapshot();
    const hostile: Array<[string, string, string | null]> = [
      ["unsigned", finished, null],
      ["empty signature", finished, ""],
      ["garbage signature", finished, "not-a-signature=="],
      ["signed with a stranger's key", finished, signBody(finished, strangerKey)],
      ["signed with the partner's own key", failed, signBody(failed, portal.sandbox.keys.partnerPrivateKey)],
      ["the bank's signature of another body", finished, signBody(ready, bankKey)],
      ["altered by one byte after signing", `${finished} `, signBody(finished, bankKey)],
      ["signature of the body's prefix", failed, signBody(failed.slice(0, -1), bankKey)],
    ];
    for (const [name, body, signature] of hostile) {
      expect(await deliver(body, signature), name).toMatchObject({ accepted: false });
    }
    expect(await snapshot()).toBe(before);
    expect(await portal.deps.prisma.webhookInbox.count({ where: { verdict: "rejected" } })).toBe(hostile.length);

    // The genuine delivery again: acknowledged as a duplicate, nothing moves.
    expect(await deliver(ready, signBody(ready, bankKey))).toMatchObject({ accepted: true, duplicate: true });
    expect(await snapshot()).toBe(before);

    // The payout still follows the real bank: approval pays it.
    await approvePayout(portal.deps, { payoutRequestId: request.id, actor: await addApprover(portal.deps.prisma, "Проверяющий Тест") });
    await portal.waitForStatus(request.id, "paid");
  });
});
