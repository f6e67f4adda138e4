import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bank131Client } from "@/lib/bank131/client";
import { createEventBus, type EventBus } from "@/lib/events/bus";
import { HttpError } from "@/lib/http/errors";
import type { PayoutDeps } from "@/lib/payouts/deps";
import {
  hashRequestBody,
  openResponse,
  parseIdempotencyKey,
  purgeIdempotencyRecords,
  runIdempotent,
  type IdempotencyScope,
  type StoredResponse,
} from "@/lib/partner-api/idempotency";
import { createApiKey, type PartnerPrincipal, verifyApiKey } from "@/lib/partner-api/keys";
import { createPayoutRequestForPartner, getPayoutRequestForPartner } from "@/lib/partner-api/service";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/tests/helpers/database";

const ADMIN = { type: "operator" as const, id: null };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Card-widget requests never call the bank; any call would be a bug in these tests. */
const noBank = new Proxy({} as Bank131Client, {
  get: (_target, property) => () => Promise.reject(new Error(`unexpected bank call ${String(property)}`)),
});

async function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: HttpError }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof HttpError) return { ok: false, error };
    throw error;
  }
}

describe("Idempotency-Key header", () => {
  it("accepts 1–255 printable ASCII characters and names the header otherwise", () => {
    expect(parseIdempotencyKey(null)).toBeNull();
    expect(parseIdempotencyKey("a")).toBe("a");
    expect(parseIdempotencyKey("order 42/retry#1")).toBe("order 42/retry#1");
    expect(parseIdempotencyKey("x".repeat(255))).toHaveLength(255);
    for (const bad of ["", "x".repeat(256), "ключ", "tab\tkey"]) {
      expect(() => parseIdempotencyKey(bad)).toThrow(expect.objectContaining({ status: 400, code: "invalid_idempotency_key", field: "Idempotency-Key" }));
    }
  });
});

describe.each(testDatabaseKinds())("idempotency store on %s", (kind) => {
  let db: TestDatabase;
  let principal: PartnerPrincipal;
  let other: PartnerPrincipal;
  let events: EventBus;
  let deps: PayoutDeps;

  beforeAll(async () => {
    db = await createTestDatabase({ kind });
    principal = (await verifyApiKey(db.prisma, (await createApiKey(db.prisma, { name: "main", actor: ADMIN })).key))!;
    other = (await verifyApiKey(db.prisma, (await createApiKey(db.prisma, { name: "other", actor: ADMIN })).key))!;
    events = createEventBus(db);
    deps = { prisma: db.prisma, bank: noBank, events, settings: { maxKopecks: 60_000_000, linkTtlHours: 168, publicBaseUrl: "http://portal.test", twoApproversFromKopecks: 10_000_000 } };
  });
  afterAll(async () => {
    await events?.close();
    await db?.drop();
  });

  const scopeOf = (key: string, body: string, who = principal): IdempotencyScope => ({
    apiKeyId: who.apiKeyId,
    key,
    requestHash: hashRequestBody(body),
    secret: who.presentedKey,
  });

  it("runs once, replays the stored answer, refuses another body and is scoped per API key", async () => {
    let runs = 0;
    const work = async (): Promise<StoredResponse> => ({ status: 201, body: { run: ++runs, link: "http://portal.test/p/secret-token" } });

    const first = await runIdempotent(db.prisma, scopeOf("k-basic", "{\"a\":1}"), work);
    expect(first).toEqual({ response: { status: 201, body: { run: 1, link: "http://portal.test/p/secret-token" } }, replayed: false });
    const again = await runIdempotent(db.prisma, scopeOf("k-basic", "{\"a\":1}"), work);
    expect(again).toEqual({ response: first.response, replayed: true });
    expect(runs).toBe(1);

    const reused = await outcome(runIdempotent(db.prisma, scopeOf("k-basic", "{\"a\":2}"), work));
    expect(reused).toMatchObject({ ok: false, error: { status: 422, code: "idempotency_key_reused" } });
    // Whitespace is part of the body: the hash covers the exact bytes.
    expect(await outcome(runIdempotent(db.prisma, scopeOf("k-basic", "{ \"a\": 1 }"), work))).toMatchObject({ ok: false, error: { status: 422 } });

    // Another API key has its own key space.
    const theirs = await runIdempotent(db.prisma, scopeOf("k-basic", "{\"a\":1}", other), work);
    expect(theirs.replayed).toBe(false);
    expect(runs).toBe(2);
  });

  it("stores the answer encrypted under the API key: no link in the database, no replay with another secret", async () => {
    const scope = scopeOf("k-sealed", "{}");
    await runIdempotent(db.prisma, scope, async () => ({ status: 201, body: { recipient_link: "http://portal.test/p/very-secret-token" } }));
    const record = await db.prisma.idempotencyRecord.findUniqueOrThrow({ where: { apiKeyId_key: { apiKeyId: principal.apiKeyId, key: "k-sealed" } } });
    expect(record.responseCode).toBe(201);
    expect(record.requestHash).toBe(hashRequestBody("{}"));
    expect(JSON.stringify(record.responseBody)).not.toContain("very-secret-token");
    expect(openResponse(scope, record.responseBody)).toEqual({ recipient_link: "http://portal.test/p/very-secret-token" });
    expect(() => openResponse({ ...scope, secret: other.presentedKey }, record.responseBody)).toThrow();
    expect(() => openResponse({ ...scope, key: "k-moved" }, record.responseBody)).toThrow();
  });

  it("answers 409 while the first call runs, and releases the key when the work throws", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = runIdempotent(db.prisma, scopeOf("k-slow", "{}"), async () => {
      await gate;
      return { status: 201, body: { ok: true } };
    });
    await sleep(50);
    expect(await outcome(runIdempotent(db.prisma, scopeOf("k-slow", "{}"), async () => ({ status: 201, body: {} })))).toMatchObject({
      ok: false,
      error: { status: 409, code: "idempotency_request_in_progress" },
    });
    // A different body is a reuse even while the first runs.
    expect(await outcome(runIdempotent(db.prisma, scopeOf("k-slow", "{\"b\":1}"), async () => ({ status: 201, body: {} })))).toMatchObject({
      ok: false,
      error: { status: 422 },
    });
    release();
    expect(await slow).toMatchObject({ replayed: false });

    const boom = await runIdempotent(db.prisma, scopeOf("k-boom", "{}"), async () => {
      throw new Error("database went away");
    }).catch((error: unknown) => error);
    expect(boom).toBeInstanceOf(Error);
    expect(await db.prisma.idempotencyRecord.count({ where: { key: "k-boom" } })).toBe(0);
    const retried = await runIdempotent(db.prisma, scopeOf("k-boom", "{}"), async () => ({ status: 201, body: { second: true } }));
    expect(retried).toEqual({ response: { status: 201, body: { second: true } }, replayed: false });
  });

  it("lets exactly one of many concurrent duplicates run", async () => {
    let runs = 0;
    const work = async (): Promise<StoredResponse> => {
      runs++;
      await sleep(200);
      return { status: 201, body: { id: "only-one" } };
    };
    const results = await Promise.all(Array.from({ length: 12 }, () => outcome(runIdempotent(db.prisma, scopeOf("k-race", "{}"), work))));
    expect(runs).toBe(1);
    const executed = results.filter((result) => result.ok && !result.value.replayed);
    expect(executed).toHaveLength(1);
    for (const result of results) {
      if (result.ok) expect(result.value.response).toEqual({ status: 201, body: { id: "only-one" } });
      else expect(result.error).toMatchObject({ status: 409, code: "idempotency_request_in_progress" });
    }
    expect(await db.prisma.idempotencyRecord.count({ where: { key: "k-race" } })).toBe(1);
  });

  it("purges finished records older than the retention, never running ones", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = runIdempotent(db.prisma, scopeOf("k-running", "{}"), async () => {
      await gate;
      return { status: 201, body: {} };
    });
    await sleep(50);
    const before = await db.prisma.idempotencyRecord.count();
    const purged = await purgeIdempotencyRecords(db.prisma, new Date(Date.now() + 60_000));
    expect(purged).toBe(before - 1);
    expect(await db.prisma.idempotencyRecord.count({ where: { key: "k-running" } })).toBe(1);
    release();
    await running;
  });

  describe("POST /api/v1/payout-requests semantics", () => {
    const body = (overrides: Record<string, unknown> = {}) =>
      JSON.stringify({ amount_kopecks: 150_050, recipient_name: "Иванов Иван Иванович", purpose: "Выплата по договору № 17", method: "card_widget", reference: "order-1", ...overrides });
    const create = (rawBody: string, idempotencyKey: string | null, who = principal) => createPayoutRequestForPartner(deps, who, { rawBody, idempotencyKey });

    it("creates one request for many concurrent duplicates and replays the same id and link", async () => {
      const raw = body({ reference: "race-1" });
      const results = await Promise.all(Array.from({ length: 8 }, () => outcome(create(raw, "order-race-1"))));
      const created = results.filter((result) => result.ok && !result.value.replayed);
      expect(created).toHaveLength(1);
      const first = created[0]!.ok ? created[0]!.value : undefined;
      expect(first?.status).toBe(201);
      const answer = first!.body as Record<string, unknown>;
      expect(answer).toMatchObject({ status: "awaiting_recipient", amount_kopecks: 150_050, currency: "rub", number: expect.stringMatching(/^PR-\d{6}$/) });
      expect(answer.recipient_link).toMatch(/^http:\/\/portal\.test\/p\/[A-Za-z0-9_-]{43}$/);
      for (const result of results) {
        if (result.ok) expect(result.value.body).toEqual(answer);
        else expect(result.error.status).toBe(409);
      }
      expect(await db.prisma.payoutRequest.count({ where: { reference: "race-1" } })).toBe(1);

      const replay = await create(raw, "order-race-1");
      expect(replay).toEqual({ status: 201, body: answer, replayed: true });
      const reused = await outcome(create(body({ reference: "race-1", amount_kopecks: 1 }), "order-race-1"));
      expect(reused).toMatchObject({ ok: false, error: { status: 422, code: "idempotency_key_reused", field: "Idempotency-Key" } });
      expect(await db.prisma.payoutRequest.count({ where: { reference: "race-1" } })).toBe(1);

      const row = await db.prisma.payoutRequest.findUniqueOrThrow({ where: { id: String(answer.id) } });
      expect(row.apiKeyId).toBe(principal.apiKeyId);
      expect(row.createdById).toBeNull();
      const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { payoutRequestId: row.id, action: "payout.created" } });
      expect(audit).toMatchObject({ actorType: "partner_api", actorId: principal.apiKeyId });

      const read = await getPayoutRequestForPartner(deps, String(answer.id));
      expect(read).toMatchObject({
        id: answer.id,
        number: answer.number,
        status: "awaiting_recipient",
        amount_kopecks: 150_050,
        recipient_name: "Иванов Иван Иванович",
        reference: "race-1",
        method: "card_widget",
        source_account: "regular",
        instrument: null,
        failure: null,
      });
    });

    it("without an Idempotency-Key every call creates a new request", async () => {
      const raw = body({ reference: "no-key" });
      const a = await create(raw, null);
      const b = await create(raw, null);
      expect((a.body as { id: string }).id).not.toBe((b.body as { id: string }).id);
      expect(await db.prisma.payoutRequest.count({ where: { reference: "no-key" } })).toBe(2);
    });

    it("does not remember invalid bodies, but does remember a domain refusal", async () => {
      const invalid = await outcome(create(body({ reference: "invalid", recipient_name: "Иван" }), "k-invalid"));
      expect(invalid).toMatchObject({ ok: false, error: { status: 400, field: "recipient_name" } });
      expect(await db.prisma.idempotencyRecord.count({ where: { key: "k-invalid" } })).toBe(0);
      const fixed = await create(body({ reference: "invalid" }), "k-invalid");
      expect(fixed.status).toBe(201);

      const small = { ...deps, settings: { ...deps.settings, maxKopecks: 1_000 } };
      const tooMuch = await createPayoutRequestForPartner(small, principal, { rawBody: body({ reference: "too-much" }), idempotencyKey: "k-too-much" });
      expect(tooMuch).toMatchObject({ status: 400, replayed: false, body: { error: { code: "validation", field: "amount_kopecks" } } });
      expect((tooMuch.body as { error: { message: string } }).error.message).toMatch(/^amount_kopecks: must be at most/);
      const replayed = await createPayoutRequestForPartner(small, principal, { rawBody: body({ reference: "too-much" }), idempotencyKey: "k-too-much" });
      expect(replayed).toEqual({ ...tooMuch, replayed: true });
      expect(await db.prisma.payoutRequest.count({ where: { reference: "too-much" } })).toBe(0);
    });

    it("names the snake_case field of bad input", async () => {
      const cases: Array<[string, string]> = [
        ["not json", ""],
        [JSON.stringify([1]), ""],
        [body({ amount: 1 }), "amount"],
        [body({ amount_kopecks: "1500" }), "amount_kopecks"],
        [body({ amount_kopecks: 0 }), "amount_kopecks"],
        [body({ source_account: "escrow" }), "beneficiary_inn"],
        [body({ method: "card_saved" }), "saved_instrument"],
        [body({ method: "card_saved", saved_instrument: { kind: "card_hash", number_hash: "xyz" } }), "saved_instrument.number_hash"],
        [body({ method: "card_saved", saved_instrument: { kind: "card_hash", numberHash: "a".repeat(64) } }), "saved_instrument.numberHash"],
        [body({ recipient_email: "nope" }), "recipient_email"],
      ];
      for (const [raw, field] of cases) {
        const result = await outcome(create(raw, null));
        expect(result.ok, raw).toBe(false);
        if (result.ok) continue;
        expect(result.error.status).toBe(400);
        expect(result.error.field ?? "").toBe(field);
        if (field) expect(result.error.message.startsWith(`${field}: `)).toBe(true);
        // Partner messages are English.
        expect(result.error.message).not.toMatch(/[А-Яа-яЁё]/u);
      }
    });

    it("reads a request by id; unknown and malformed ids are not found", async () => {
      await expect(getPayoutRequestForPartner(deps, "00000000-0000-7000-8000-000000000000")).rejects.toMatchObject({ status: 404 });
      await expect(getPayoutRequestForPartner(deps, "PR-000001")).rejects.toMatchObject({ status: 404 });
    });
  });
});
