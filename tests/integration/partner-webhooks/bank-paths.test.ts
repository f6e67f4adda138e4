import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { startPartnerWebhookDelivery, type PartnerWebhookLoop } from "@/lib/jobs/partner-webhooks";
import { approvePayout, cancelPayout } from "@/lib/payouts/decisions";
import { testDatabaseKinds } from "../../helpers/database";
import { registerEndpoint, TEST_SECRETS_KEY } from "../../helpers/partner-webhooks";
import { payoutAwaitingApproval } from "../../helpers/payouts";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";
import { startWebhookReceiver, type WebhookReceiver } from "../../helpers/webhook-receiver";

/**
 * The outbox is fed by transition(), so real paths produce partner events: a payout created, submitted by the
 * recipient, approved and paid through the sandbox bank's webhooks; another cancelled by an operator.
 */
describe.each(testDatabaseKinds())("partner events from the real payout paths (%s)", (kind) => {
  let portal: TestPortal;
  let receiver: WebhookReceiver;
  let loop: PartnerWebhookLoop;
  let secret: string;

  beforeAll(async () => {
    portal = await createTestPortal(kind);
    receiver = await startWebhookReceiver({ path: "/partner" });
    ({ secret } = await registerEndpoint(portal.deps.prisma, receiver.url, ["payout.created", "payout.submitted", "payout.awaiting_approval", "payout.paid", "payout.cancelled"]));
    loop = startPartnerWebhookDelivery(portal.deps.prisma, { secretsKey: TEST_SECRETS_KEY, runner: "test", timeoutMs: 2_000, retryBaseMs: 50, retryMaxDelayMs: 200, giveUpAfterMs: 60_000, pollIntervalMs: 25 });
  });
  afterAll(async () => {
    await loop.stop();
    await receiver.close();
    await portal.close();
  });

  /** What a partner processes: one event per webhook-id (a retry after a slow answer may repeat one). */
  const eventsOf = (id: string) => {
    const seen = new Set<unknown>();
    return receiver.received.filter((webhook) => {
      if (webhook.json?.data?.id !== id || seen.has(webhook.headers["webhook-id"])) return false;
      seen.add(webhook.headers["webhook-id"]);
      return true;
    });
  };

  it("approve → paid: the partner hears created, submitted, awaiting_approval, paid — in order, each verifiable", async () => {
    const maker = await addApprover(portal.deps.prisma, "Создатель");
    const checker = await addApprover(portal.deps.prisma, "Проверяющий");
    const payout = await payoutAwaitingApproval(portal, maker);
    await approvePayout(portal.deps, { payoutRequestId: payout.id, actor: checker });
    await portal.waitForStatus(payout.id, "paid");
    await receiver.waitForMatch((webhook) => webhook.json?.type === "payout.paid" && webhook.json.data.id === payout.id);
    expect(eventsOf(payout.id).map((webhook) => webhook.json.type)).toEqual(["payout.created", "payout.submitted", "payout.awaiting_approval", "payout.paid"]);
    for (const webhook of eventsOf(payout.id)) {
      new Webhook(secret).verify(webhook.text, webhook.headers as Record<string, string>);
    }
    expect(eventsOf(payout.id).at(-1)!.json.data).toMatchObject({ status: "paid", instrument: { kind: "card" } });
  });

  it("an operator's cancel reaches the partner as payout.cancelled", async () => {
    const maker = await addApprover(portal.deps.prisma, "Создатель");
    const payout = await payoutAwaitingApproval(portal, maker);
    await cancelPayout(portal.deps, { payoutRequestId: payout.id, actor: maker, reason: "Получатель отказался" });
    await portal.waitForStatus(payout.id, "cancelled");
    const cancelled = await receiver.waitForMatch((webhook) => webhook.json?.type === "payout.cancelled" && webhook.json.data.id === payout.id);
    expect(cancelled.json.data.status).toBe("cancelled");
  });
});
