import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventBus } from "@/lib/events/bus";
import { createApiKey, verifyApiKey, type PartnerPrincipal } from "@/lib/partner-api/keys";
import { createPayoutRequestForPartner } from "@/lib/partner-api/service";
import { testDatabaseKinds } from "@/tests/helpers/database";
import { createTestPortal, type TestPortal } from "@/tests/helpers/portal";

// The sandbox seeds this recurrent token for its "Visa, payout succeeds" card.
const SANDBOX_RECURRENT_TOKEN = "9a8a650c49de69eb98549027c5bc366f5bda51efe59bb8c0e02eb8a8a4e359da";

/** Issue 9, item 4: an Idempotency-Key holds once the request row is committed, whatever fails after. */
describe.each(testDatabaseKinds())("partner API Idempotency-Key after a commit on %s", (kind) => {
  let portal: TestPortal;
  let principal: PartnerPrincipal;
  beforeAll(async () => {
    portal = await createTestPortal(kind);
    const created = await createApiKey(portal.deps.prisma, { name: "commit", actor: { type: "system" } });
    principal = (await verifyApiKey(portal.deps.prisma, created.key))!;
  });
  afterAll(async () => {
    await portal?.close();
  });

  /** The real event bus, except that the next `payout.created` publish fails (after the row committed). */
  function failingOnceAfterCommit(): EventBus {
    const real = portal.deps.events;
    let failed = false;
    return {
      ...real,
      publish: async (event) => {
        if (event.type === "payout.created" && !failed) {
          failed = true;
          throw new Error("event bus unavailable");
        }
        return real.publish(event);
      },
      subscribe: (listener) => real.subscribe(listener),
      state: () => real.state(),
      close: () => real.close(),
    };
  }

  it("a retry with the same key gets the committed request: one row, one bank session", async () => {
    const rawBody = JSON.stringify({
      amount_kopecks: 25_000,
      recipient_name: "Sidorov Sidor",
      purpose: "Выплата после сбоя",
      method: "recurrent",
      reference: "after-commit-1",
      saved_instrument: { kind: "recurrent", token: SANDBOX_RECURRENT_TOKEN },
    });
    const first = await createPayoutRequestForPartner({ ...portal.deps, events: failingOnceAfterCommit() }, principal, { rawBody, idempotencyKey: "after-commit-1" }).catch(
      (error: unknown) => error,
    );
    expect(first).toBeInstanceOf(Error);
    expect(await portal.deps.prisma.payoutRequest.count({ where: { reference: "after-commit-1" } })).toBe(1);

    const retry = await createPayoutRequestForPartner(portal.deps, principal, { rawBody, idempotencyKey: "after-commit-1" });
    expect(retry.status).toBe(201);
    const row = await portal.deps.prisma.payoutRequest.findFirstOrThrow({ where: { reference: "after-commit-1" } });
    expect(retry.body).toMatchObject({ id: row.id });
    // The retry finishes what the failed call left undone: the payout starts, once.
    expect((retry.body as { status: string }).status).not.toBe("awaiting_recipient");

    const again = await createPayoutRequestForPartner(portal.deps, principal, { rawBody, idempotencyKey: "after-commit-1" });
    expect(again).toMatchObject({ status: 201, replayed: true, body: { id: row.id } });
    expect(await portal.deps.prisma.payoutRequest.count({ where: { reference: "after-commit-1" } })).toBe(1);
    expect(await portal.deps.prisma.bankSession.count({ where: { payoutRequestId: row.id } })).toBe(1);
    const bankSessions = await portal.sandbox.control.get("/sandbox/sessions");
    const ours = (bankSessions.sessions ?? bankSessions).filter((s: { session?: { metadata?: unknown } }) => JSON.stringify(s).includes(`PR-${String(row.number).padStart(6, "0")}`));
    expect(ours.length).toBeLessThanOrEqual(1);
  });
});
