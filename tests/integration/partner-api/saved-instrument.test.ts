import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, verifyApiKey, type PartnerPrincipal } from "@/lib/partner-api/keys";
import { createPayoutRequestForPartner, getPayoutRequestForPartner } from "@/lib/partner-api/service";
import { testDatabaseKinds } from "@/tests/helpers/database";
import { createTestPortal, type TestPortal } from "@/tests/helpers/portal";

// The sandbox seeds this recurrent token for its "Visa, payout succeeds" card.
const SANDBOX_RECURRENT_TOKEN = "9a8a650c49de69eb98549027c5bc366f5bda51efe59bb8c0e02eb8a8a4e359da";

describe.each(testDatabaseKinds())("partner API with a saved instrument on %s", (kind) => {
  let portal: TestPortal;
  let principal: PartnerPrincipal;
  beforeAll(async () => {
    portal = await createTestPortal(kind);
    const created = await createApiKey(portal.deps.prisma, { name: "saved", actor: { type: "system" } });
    principal = (await verifyApiKey(portal.deps.prisma, created.key))!;
  });
  afterAll(async () => {
    await portal?.close();
  });

  const body = (token: string) =>
    JSON.stringify({
      amount_kopecks: 10_000,
      recipient_name: "Petrov Petr",
      purpose: "Повторная выплата",
      method: "recurrent",
      saved_instrument: { kind: "recurrent", token },
    });

  it("starts at once, answers with the status after the start, and a replay starts nothing new", async () => {
    const first = await createPayoutRequestForPartner(portal.deps, principal, { rawBody: body(SANDBOX_RECURRENT_TOKEN), idempotencyKey: "recurrent-1" });
    expect(first.status).toBe(201);
    const created = first.body as { id: string; status: string };
    expect(created.status).not.toBe("awaiting_recipient");
    const replay = await createPayoutRequestForPartner(portal.deps, principal, { rawBody: body(SANDBOX_RECURRENT_TOKEN), idempotencyKey: "recurrent-1" });
    expect(replay).toEqual({ ...first, replayed: true });
    expect(await portal.deps.prisma.bankSession.count({ where: { payoutRequestId: created.id } })).toBe(1);
    expect(await portal.deps.prisma.payoutRequest.count({ where: { recipientName: "Petrov Petr", method: "recurrent", status: { not: "failed" } } })).toBe(1);

    const read = await getPayoutRequestForPartner(portal.deps, created.id);
    expect(read).toMatchObject({ method: "recurrent", instrument: { kind: "card" }, failure: null });
  });

  it("reports a bank refusal as a failed request with the bank's code", async () => {
    const answer = await createPayoutRequestForPartner(portal.deps, principal, { rawBody: body("unknown_recurrent_token_0001"), idempotencyKey: "recurrent-2" });
    expect(answer).toMatchObject({ status: 201, body: { status: "failed" } });
    const read = await getPayoutRequestForPartner(portal.deps, (answer.body as { id: string }).id);
    expect(read.failure).toEqual({ code: "invalid_request", message: expect.any(String) });
    expect(read.failure?.message).not.toMatch(/[А-Яа-яЁё]/u);
  });
});
