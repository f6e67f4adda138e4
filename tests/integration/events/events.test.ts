import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Bank131Client } from "@/lib/bank131/client";
import { CHANNEL, createEventBus, type EventBus, type PortalEvent } from "@/lib/events/bus";
import type { PayoutDeps } from "@/lib/payouts/deps";
import { createPayoutRequest, revokeLink } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";
import { inTransaction } from "@/lib/payouts/transaction";
import { transition } from "@/lib/payouts/transition";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/tests/helpers/database";

const OPERATOR = { type: "operator" as const, id: null };

/** These tests never reach the bank; any call would be a bug. */
const noBank = new Proxy({} as Bank131Client, {
  get: (_target, property) => () => Promise.reject(new Error(`unexpected bank call ${String(property)}`)),
});

/** The LISTEN connection is up (PGlite needs none). */
const listening = (bus: EventBus) => vi.waitFor(() => expect(bus.state()).not.toBe("reconnecting"), { timeout: 10_000 });

/** Everything the bus delivers, plus a wait for the first event matching a predicate. */
function recordEvents(bus: EventBus) {
  const received: PortalEvent[] = [];
  const unsubscribe = bus.subscribe((event) => received.push(event));
  const waitFor = (predicate: (event: PortalEvent) => boolean) => expect.poll(() => received.some(predicate), { timeout: 10_000 }).toBe(true);
  return { received, waitFor, unsubscribe };
}

describe.each(testDatabaseKinds())("events are published once, after commit (%s)", (kind) => {
  let db: TestDatabase;
  let events: EventBus;
  let deps: PayoutDeps;

  beforeAll(async () => {
    db = await createTestDatabase({ kind });
    events = createEventBus(db);
    deps = { prisma: db.prisma, bank: noBank, events, settings: { maxKopecks: 60_000_000, linkTtlHours: 168, publicBaseUrl: "http://portal.test", twoApproversFromKopecks: 10_000_000 } };
    await listening(events);
  });
  afterAll(async () => {
    await events?.close();
    await db?.drop();
  });

  it("a rolled-back transition publishes nothing; a committed one publishes exactly once", async () => {
    const log = recordEvents(events);
    const input = CreatePayoutRequestSchema.parse({ amountKopecks: 150_000, recipientName: "Иванов Иван", purpose: "Вознаграждение", method: "card_widget" });
    const { request } = await createPayoutRequest(deps, input, OPERATOR);

    const failure = new Error("a later step of the same transaction failed");
    await expect(
      inTransaction(deps, async (tx) => {
        const moved = await transition(tx, request.id, "cancelled", OPERATOR, { from: ["awaiting_recipient"] });
        expect(moved).toBe("awaiting_recipient");
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await db.prisma.payoutRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("awaiting_recipient");

    await revokeLink(deps, request.id, OPERATOR, "Дубликат");
    // A later event marks the end: NOTIFYs arrive in commit order, so anything the steps above
    // published (a rolled-back change, a second copy) has arrived before it.
    await inTransaction(deps, async (_tx, emit) => emit({ type: "reconciliation.ran" }));
    await log.waitFor((event) => event.type === "reconciliation.ran");
    log.unsubscribe();

    expect(log.received.filter((event) => event.payoutRequestId === request.id).map(({ type, status }) => ({ type, status }))).toEqual([
      { type: "payout.created", status: "awaiting_recipient" },
      { type: "payout.updated", status: "cancelled" },
    ]);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL?.trim())("NOTIFY listener on PostgreSQL", () => {
  let db: TestDatabase;
  let events: EventBus;
  const unreadable: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ kind: "postgres" });
    events = createEventBus(db, { onUnreadable: (reason) => unreadable.push(reason) });
    await listening(events);
  });
  afterAll(async () => {
    await events?.close();
    await db?.drop();
  });

  it("ignores a payload that is not JSON or not an event, and keeps delivering good ones", async () => {
    const log = recordEvents(events);
    await db.prisma.$executeRaw`SELECT pg_notify(${CHANNEL}, 'not json')`;
    await db.prisma.$executeRaw`SELECT pg_notify(${CHANNEL}, ${JSON.stringify({ type: "payout.deleted", payoutRequestId: 42 })})`;
    await events.publish({ type: "payout.updated", payoutRequestId: "good-one", status: "paid" });

    await log.waitFor((event) => event.payoutRequestId === "good-one");
    expect(log.received).toHaveLength(1);
    expect(log.received[0]).toMatchObject({ type: "payout.updated", payoutRequestId: "good-one", status: "paid" });
    expect(unreadable).toEqual([expect.stringContaining("not JSON"), expect.stringContaining("not a portal event")]);
    // The listener is still connected (a throw in the handler would have killed the test process).
    expect(events.state()).toBe("live");
    log.unsubscribe();
  });

  it("publishes while every pool connection is busy, in the order events were published", async () => {
    const log = recordEvents(events);
    // Webhook transactions holding the whole pool must not hold back the answers waiting on their NOTIFYs.
    const busy = await Promise.all(Array.from({ length: db.pool!.options.max }, () => db.pool!.connect()));
    try {
      // Commits completing together: one publishes at once, the others in later microtasks and turns.
      const published = Promise.all([
        events.publish({ type: "payout.updated", payoutRequestId: "first", status: "paid" }),
        Promise.resolve().then(() => events.publish({ type: "payout.updated", payoutRequestId: "second", status: "paid" })),
        new Promise<void>((resolve) => setImmediate(resolve)).then(() => events.publish({ type: "webhook.received", payoutRequestId: "third" })),
      ]);
      const blocked = new Promise((_, reject) => setTimeout(() => reject(new Error("publish waited for a pool connection")), 5_000).unref());
      await Promise.race([published, blocked]);
    } finally {
      busy.forEach((connection) => connection.release());
    }
    await log.waitFor((event) => event.payoutRequestId === "third");
    expect(log.received.map((event) => event.payoutRequestId)).toEqual(["first", "second", "third"]);
    log.unsubscribe();
  });
});
