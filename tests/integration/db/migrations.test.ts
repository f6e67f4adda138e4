import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  createMigration,
  markMigrationRolledBack,
  MigrationError,
  migrationStatus,
  resetDatabase,
} from "@/lib/db/migrate";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/tests/helpers/database";

const repoPrismaDir = path.join(process.cwd(), "prisma");

async function repoMigrationNames(): Promise<string[]> {
  const entries = await readdir(path.join(repoPrismaDir, "migrations"), { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** A throw-away copy of the repo's prisma folder (schema + migrations); the real one is never touched. */
async function copyPrismaDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "portal-prisma-"));
  await cp(path.join(repoPrismaDir, "schema.prisma"), path.join(dir, "schema.prisma"));
  await cp(path.join(repoPrismaDir, "migrations"), path.join(dir, "migrations"), { recursive: true });
  return dir;
}

async function tableExists(db: TestDatabase, table: string): Promise<boolean> {
  const rows = await db.prisma.$queryRawUnsafe<Array<{ found: string | null }>>(`SELECT to_regclass($1)::text AS found`, table);
  return rows[0]?.found != null;
}

describe.each(testDatabaseKinds())("migrations on %s", (kind) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  const fresh = async (migrate = true) => {
    const db = await createTestDatabase({ kind, migrate });
    cleanups.push(() => db.drop());
    return db;
  };
  const tempPrisma = async () => {
    const dir = await copyPrismaDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  describe("a fresh database", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await fresh(false);
    });

    it("applies every migration in prisma/migrations", async () => {
      const expected = await repoMigrationNames();
      expect(expected.length).toBeGreaterThan(0);
      const before = await migrationStatus(db);
      expect(before.pending).toEqual(expected);
      expect(before.upToDate).toBe(false);

      const { applied } = await applyMigrations(db);
      expect(applied).toEqual(expected);
      for (const table of ["operators", "payout_requests", "bank_sessions", "_prisma_migrations"]) {
        expect(await tableExists(db, table)).toBe(true);
      }
    });

    it("treats a second apply as a no-op", async () => {
      expect(await applyMigrations(db)).toEqual({ applied: [] });
    });

    it("reports the schema as up to date", async () => {
      const status = await migrationStatus(db);
      expect(status).toMatchObject({ pending: [], failed: [], edited: [], missingLocally: [], upToDate: true, hasMigrationsTable: true });
      expect(status.applied).toEqual(await repoMigrationNames());
      expect(status.summary).toMatch(/up to date/);
    });

    it("writes and reads an Operator and a PayoutRequest with a BigInt amount", async () => {
      const operator = await db.prisma.operator.create({
        data: { email: `ops-${kind}@portal.test`, name: "Оператор", role: "admin", passwordHash: "scrypt$test" },
      });
      const amount = 9_007_199_254_740_993n; // beyond Number.MAX_SAFE_INTEGER: proves BIGINT end to end
      const created = await db.prisma.payoutRequest.create({
        data: {
          amountKopecks: amount,
          recipientName: "Иван Петров",
          purpose: "Выплата по договору",
          method: "card_widget",
          linkTokenHash: "a".repeat(64),
          linkExpiresAt: new Date(Date.now() + 3_600_000),
          createdById: operator.id,
        },
      });
      const read = await db.prisma.payoutRequest.findUniqueOrThrow({ where: { id: created.id }, include: { createdBy: true } });
      expect(read.amountKopecks).toBe(amount);
      expect(typeof read.amountKopecks).toBe("bigint");
      expect(read.status).toBe("awaiting_recipient");
      expect(read.number).toBeGreaterThan(0);
      expect(read.createdBy?.email).toBe(`ops-${kind}@portal.test`);
      expect(read.linkTokenHash).toBe("a".repeat(64));
    });
  });

  it("creates a migration from an edited schema, which then applies", async () => {
    const prismaDir = await tempPrisma();
    const db = await fresh();
    const schemaPath = path.join(prismaDir, "schema.prisma");
    const original = await readFile(schemaPath, "utf8");
    // Nothing changed yet: no migration.
    expect(await createMigration(db, "nothing", { prismaDir })).toBeNull();

    await writeFile(
      schemaPath,
      `${original}\nmodel MigrationProbe {\n  id   Int     @id @default(autoincrement())\n  note String? @db.VarChar(40)\n\n  @@map("migration_probes")\n}\n`,
    );
    const created = await createMigration(db, "Add probe", { prismaDir });
    expect(created).not.toBeNull();
    expect(created!.name).toMatch(/^\d{14}_add_probe$/);
    expect(created!.path).toBe(path.join(prismaDir, "migrations", created!.name, "migration.sql"));
    expect(created!.sql).toContain(`CREATE TABLE "migration_probes"`);
    expect(await readFile(created!.path, "utf8")).toBe(created!.sql);
    expect(await readFile(path.join(prismaDir, "migrations", "migration_lock.toml"), "utf8")).toMatch(/provider = "postgresql"/);

    // Written, not applied.
    expect((await migrationStatus(db, { prismaDir })).pending).toEqual([created!.name]);
    expect(await applyMigrations(db, { prismaDir })).toEqual({ applied: [created!.name] });
    expect(await tableExists(db, "migration_probes")).toBe(true);
    expect((await migrationStatus(db, { prismaDir })).upToDate).toBe(true);
    expect(await createMigration(db, "again", { prismaDir })).toBeNull();
    // The repository's own migrations folder is untouched.
    expect(await repoMigrationNames()).not.toContain(created!.name);
    // Three diffs by the WASM schema engine, each replaying every migration into a shadow database.
  }, 240_000);

  it("reports a migration edited after it was applied", async () => {
    const prismaDir = await tempPrisma();
    const db = await fresh();
    const [first] = await repoMigrationNames();
    const file = path.join(prismaDir, "migrations", first!, "migration.sql");
    await writeFile(file, `${await readFile(file, "utf8")}\n-- edited afterwards\n`);
    const status = await migrationStatus(db, { prismaDir });
    expect(status.edited).toEqual([first]);
    expect(status.upToDate).toBe(false);
    expect(status.summary).toMatch(/edited/);
  });

  it("reset drops all data and re-applies the migrations", async () => {
    const db = await fresh();
    await db.prisma.operator.create({ data: { email: "reset@portal.test", name: "R", role: "viewer", passwordHash: "x" } });
    await db.prisma.$executeRawUnsafe(`CREATE TABLE stray_table (id int)`);
    expect(await db.prisma.operator.count()).toBe(1);

    const { applied } = await resetDatabase(db);
    expect(applied).toEqual(await repoMigrationNames());
    expect(await db.prisma.operator.count()).toBe(0);
    expect(await tableExists(db, "stray_table")).toBe(false);
    expect((await migrationStatus(db)).upToDate).toBe(true);
  });

  it("reports a broken migration as failed, not applied, and leaves nothing half-done", async () => {
    const prismaDir = await tempPrisma();
    const db = await fresh();
    const broken = "29990101000000_broken";
    await mkdir(path.join(prismaDir, "migrations", broken));
    const brokenFile = path.join(prismaDir, "migrations", broken, "migration.sql");
    await writeFile(brokenFile, `CREATE TABLE "half_done" ("id" INTEGER);\nSELECT 1 / 0;\n`);

    const error = await applyMigrations(db, { prismaDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).failedMigration).toBe(broken);
    expect((error as Error).message).toMatch(/division by zero/);
    expect((error as Error).message).not.toMatch(/External error id/);
    // The script ran in one transaction: its first statement was rolled back too.
    expect(await tableExists(db, "half_done")).toBe(false);

    const status = await migrationStatus(db, { prismaDir });
    expect(status.failed).toEqual([broken]);
    expect(status.applied).not.toContain(broken);
    expect(status.upToDate).toBe(false);
    expect(status.summary).toMatch(/FAILED/);

    // Nothing else applies until it is resolved.
    await expect(applyMigrations(db, { prismaDir })).rejects.toThrow(MigrationError);

    // Resolve: mark rolled back, fix the script, apply again.
    await markMigrationRolledBack(db, broken, { prismaDir });
    await writeFile(brokenFile, `CREATE TABLE "half_done" ("id" INTEGER);\n`);
    expect(await applyMigrations(db, { prismaDir })).toEqual({ applied: [broken] });
    expect(await tableExists(db, "half_done")).toBe(true);
    expect((await migrationStatus(db, { prismaDir })).upToDate).toBe(true);
  });
});
