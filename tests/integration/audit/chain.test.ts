import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { audit, auditHash, RECIPIENT, sealAuditChain, verifyAuditChain } from "@/lib/payouts/audit";
import { approvePayout, cancelPayout } from "@/lib/payouts/decisions";
import { createPayoutRequest } from "@/lib/payouts/requests";
import { CreatePayoutRequestSchema } from "@/lib/payouts/schemas";
import { startPayout } from "@/lib/payouts/start";
import { TEST_CARDS } from "@/sandbox/test-instruments";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../../helpers/database";
import { addApprover, createTestPortal, type TestPortal } from "../../helpers/portal";

const run = promisify(execFile);
const OPERATOR = { type: "operator" as const, id: "0190aaaa-0000-7000-8000-000000000001" };

async function createOperator(prisma: PrismaClient): Promise<void> {
  await prisma.operator.create({ data: { id: OPERATOR.id, email: "checker@portal.test", name: "Проверяющий", role: "approver" } });
}

/** Changes a stored row behind the trigger's back, as someone with table-owner rights could. */
async function tamper(prisma: PrismaClient, sql: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only_rows`);
    await tx.$executeRawUnsafe(sql);
    await tx.$executeRawUnsafe(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only_rows`);
  });
}

async function auditVerifyCli(databaseUrl: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "test" },
      cwd: process.cwd(),
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe.each(testDatabaseKinds())("tamper-evident audit log (%s)", (kind) => {
  let portal: TestPortal;

  beforeAll(async () => {
    portal = await createTestPortal(kind, { bankTimeoutMs: 2_000 });
    await createOperator(portal.deps.prisma);
  });
  afterAll(async () => {
    await portal?.close();
  });

  async function payoutAwaitingApproval(): Promise<string> {
    const input = CreatePayoutRequestSchema.parse({ amountKopecks: 150_000, recipientName: "Петрова Анна Сергеевна", purpose: "Вознаграждение", method: "card_widget" });
    const { request } = await createPayoutRequest(portal.deps, input, OPERATOR);
    const { number_hash } = await portal.sandbox.control.card(TEST_CARDS.find((card) => card.id === "mir_success")!.number);
    await startPayout(portal.deps, { payoutRequestId: request.id, instrument: { kind: "card_hash", numberHash: number_hash }, actor: RECIPIENT, viaLinkToken: true });
    await portal.waitForStatus(request.id, "awaiting_approval");
    return request.id;
  }

  it("the chain verifies after payouts are created, started, approved, paid and cancelled", async () => {
    const paid = await payoutAwaitingApproval();
    const cancelled = await payoutAwaitingApproval();
    // Maker ≠ checker: OPERATOR created it, another approver approves.
    await approvePayout(portal.deps, { payoutRequestId: paid, actor: await addApprover(portal.deps.prisma, "Ольга Проверкина") });
    await cancelPayout(portal.deps, { payoutRequestId: cancelled, actor: OPERATOR, reason: "Дубликат" });
    await portal.waitForStatus(paid, "paid");
    await portal.waitForStatus(cancelled, "cancelled");

    await sealAuditChain(portal.deps.prisma);
    const events = await portal.deps.prisma.auditEvent.findMany({ orderBy: { sequence: "asc" } });
    expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(["payout.created", "payout.submitted", "operator.approved", "operator.cancelled"]));
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, i) => BigInt(i + 1)));
    expect(events[0]!.prevHash).toBeNull();
    events.slice(1).forEach((event, i) => expect(event.prevHash).toBe(events[i]!.hash));
    expect(await verifyAuditChain(portal.deps.prisma)).toEqual({ ok: true, count: events.length, unsealed: 0 });
  });

  it("20 concurrent appends with concurrent sealers still form one unbroken chain", async () => {
    const before = await portal.deps.prisma.auditEvent.count();
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        // More transactions than pooled connections: they queue for a connection; sealers take turns on the chain lock.
        await portal.deps.prisma.$transaction((tx) => audit(tx, { actor: OPERATOR, action: "test.concurrent", data: { i } }), { maxWait: 60_000 });
        await sealAuditChain(portal.deps.prisma);
      }),
    );
    expect(await verifyAuditChain(portal.deps.prisma)).toEqual({ ok: true, count: before + 20, unsealed: 0 });
  });

  it("an event is written unsealed in its own transaction, and the sealer links it once without changing it", async () => {
    const prisma = portal.deps.prisma;
    await prisma.$transaction((tx) => audit(tx, { actor: OPERATOR, action: "test.unsealed", data: { note: "x" } }));
    const written = await prisma.auditEvent.findFirstOrThrow({ where: { action: "test.unsealed" } });
    await sealAuditChain(prisma);
    const sealed = await prisma.auditEvent.findUniqueOrThrow({ where: { id: written.id } });
    expect(sealed).toMatchObject({ at: written.at, action: "test.unsealed", data: { note: "x" } });
    expect(sealed.sequence).not.toBeNull();
    expect(sealed.hash).toBe(auditHash({ ...sealed, sequence: sealed.sequence!, prevHash: sealed.prevHash }));
    // Sealed once: neither its place nor its hash can be set again.
    await expect(prisma.$executeRawUnsafe(`UPDATE audit_events SET sequence = sequence + 1000 WHERE id = ${sealed.id}`)).rejects.toThrow(/append-only/);
    // An unsealed event's contents are as immutable as a sealed one's.
    await prisma.$transaction((tx) => audit(tx, { actor: OPERATOR, action: "test.unsealed_2" }));
    const waiting = await prisma.auditEvent.findFirstOrThrow({ where: { action: "test.unsealed_2" } });
    if (waiting.sequence === null) {
      await expect(prisma.$executeRawUnsafe(`UPDATE audit_events SET action = 'test.forged' WHERE id = ${waiting.id}`)).rejects.toThrow(/append-only/);
    }
    await sealAuditChain(prisma);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE on the audit log", async () => {
    const prisma = portal.deps.prisma;
    const first = await prisma.auditEvent.findFirstOrThrow({ orderBy: { sequence: "asc" } });
    await expect(prisma.auditEvent.update({ where: { id: first.id }, data: { action: "payout.forged" } })).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`UPDATE audit_events SET hash = NULL WHERE id = ${first.id}`)).rejects.toThrow(/append-only/);
    await expect(prisma.auditEvent.delete({ where: { id: first.id } })).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_events CASCADE`)).rejects.toThrow(/append-only/);
    const unchanged = await prisma.auditEvent.findUniqueOrThrow({ where: { id: first.id } });
    expect(unchanged).toEqual(first);
  });

  it("a row altered in the database is named by the verifier (trigger disabled to alter it)", async () => {
    const prisma = portal.deps.prisma;
    await sealAuditChain(prisma);
    const victim = await prisma.auditEvent.findFirstOrThrow({ where: { action: "operator.approved" } });
    await tamper(prisma, `UPDATE audit_events SET data = '{"note":"forged"}' WHERE id = ${victim.id}`);
    const verdict = await verifyAuditChain(prisma);
    expect(verdict).toMatchObject({ ok: false, reason: "hash_mismatch", sequence: victim.sequence, id: victim.id, stored: victim.hash });
    expect(verdict.ok === false && verdict.expected).not.toBe(victim.hash);
    expect(verdict.count).toBe(Number(victim.sequence!) - 1);
  });
});

describe.each(testDatabaseKinds())("npm run audit:verify (%s)", (kind) => {
  let database: TestDatabase | undefined;
  let dir: string | undefined;
  let databaseUrl: string;
  let prisma: PrismaClient;
  let close: () => Promise<void>;

  beforeAll(async () => {
    if (kind === "postgres") {
      database = await createTestDatabase({ kind });
      databaseUrl = database.url!;
      prisma = database.prisma;
      close = () => database!.drop();
    } else {
      // The CLI opens the database in its own process: PGlite needs a directory, closed here first.
      dir = await mkdtemp(path.join(tmpdir(), "audit-verify-"));
      databaseUrl = `pglite:${dir}`;
      const db = await connectDatabase({ kind: "pglite", dataDir: dir });
      await applyMigrations(db);
      prisma = db.prisma;
      close = () => db.close();
    }
    for (let i = 0; i < 5; i++) await prisma.$transaction((tx) => audit(tx, { actor: OPERATOR, action: "test.event", data: { i } }));
  });
  afterAll(async () => {
    await close?.().catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function reopenForCli<T>(fn: () => Promise<T>): Promise<T> {
    if (kind === "postgres") return fn();
    await close();
    try {
      return await fn();
    } finally {
      const db = await connectDatabase({ kind: "pglite", dataDir: dir! });
      prisma = db.prisma;
      close = () => db.close();
    }
  }

  it("prints OK with the count for an intact chain, and names the first broken link (exit 1) after tampering", async () => {
    const intact = await reopenForCli(() => auditVerifyCli(databaseUrl));
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.output).toContain("OK: 5 audit event(s)");

    const victim = await prisma.auditEvent.findFirstOrThrow({ where: { sequence: 3n } });
    await tamper(prisma, `UPDATE audit_events SET actor_id = 'someone-else' WHERE id = ${victim.id}`);
    const broken = await reopenForCli(() => auditVerifyCli(databaseUrl));
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(`BROKEN at sequence 3 (id ${victim.id})`);
    expect(broken.output).toContain(`stored:   ${victim.hash}`);
    expect(broken.output).toContain(`expected: ${auditHash({ ...victim, sequence: victim.sequence!, actorId: "someone-else" })}`);
  }, 240_000);

  it("a removed event shows as a gap at the event after it", async () => {
    const victim = await prisma.auditEvent.findFirstOrThrow({ where: { sequence: 2n } });
    await tamper(prisma, `DELETE FROM audit_events WHERE id = ${victim.id}`);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: false, reason: "sequence_gap", sequence: 3n });
  });
});

describe.each(testDatabaseKinds())("events from before the chain (%s)", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ kind });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("are hashed once by the first sealing after the migration, and the chain then verifies", async () => {
    const prisma = database.prisma;
    // Rows as the migration leaves them: a sequence, no hash.
    for (let i = 1; i <= 3; i++) {
      await prisma.$executeRawUnsafe(`INSERT INTO audit_events (sequence, actor_type, action, data) VALUES (${i}, 'system', 'legacy.event', '{"n": ${i}}')`);
    }
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: false, reason: "not_hashed", sequence: 1n });
    await prisma.$transaction((tx) => audit(tx, { actor: OPERATOR, action: "test.after_migration" }));
    await sealAuditChain(prisma);
    expect(await verifyAuditChain(prisma)).toEqual({ ok: true, count: 4, unsealed: 0 });
    const after = await prisma.auditEvent.findFirstOrThrow({ where: { action: "test.after_migration" } });
    expect(after.sequence).toBe(4n);
    // The backfill's one exception is spent: hashed rows are as immutable as the rest.
    await expect(prisma.$executeRawUnsafe(`UPDATE audit_events SET hash = repeat('0', 64) WHERE sequence = 1`)).rejects.toThrow(/append-only/);
  });
});
