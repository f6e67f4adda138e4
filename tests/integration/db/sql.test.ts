import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDataRejection, isUniqueViolation } from "@/lib/db/errors";
import { assignments, numberedAfter, preparedName, sqlDatabaseOf, sqlOf, uuidv7, type Sql, type SqlDatabase, type SqlFragment } from "@/lib/db/sql";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../../helpers/database";

const KEY = "a".repeat(64);
const insertInbox = (sql: Sql, dedupeKey: string, rawBody = "{}") =>
  sql.execute("INSERT INTO webhook_inbox (id, verdict, dedupe_key, raw_body, processed_at) VALUES ($1::uuid, 'verified', $2, $3, $4::timestamptz)", [uuidv7(), dedupeKey, rawBody, new Date()]);

describe.each(testDatabaseKinds())("plain SQL transactions (%s)", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ kind });
  });
  afterAll(async () => {
    await database?.drop();
  });

  // The same statements on the database's own connection and through a Prisma transaction.
  const transports = (): Array<[string, SqlDatabase]> => [
    ["own connection", sqlDatabaseOf(database)],
    ["Prisma", { transaction: (work) => database.prisma.$transaction((tx) => work(sqlOf(tx))) }],
  ];

  it("commits what a transaction wrote and keeps nothing of one that threw", async () => {
    for (const [name, db] of transports()) {
      const kept = `${name}-kept`.padEnd(64, "k");
      const lost = `${name}-lost`.padEnd(64, "l");
      await db.transaction((sql) => insertInbox(sql, kept));
      await expect(
        db.transaction(async (sql) => {
          await insertInbox(sql, lost);
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      const rows = await database.prisma.webhookInbox.findMany({ where: { dedupeKey: { in: [kept, lost] } }, select: { dedupeKey: true } });
      expect(rows.map((row) => row.dedupeKey), name).toEqual([kept]);
    }
  });

  it("reports a duplicate key and a value the database refuses as such, on every transport", async () => {
    for (const [name, db] of transports()) {
      await db.transaction((sql) => insertInbox(sql, `${name}-${KEY}`.slice(0, 64)));
      const duplicate = await db.transaction((sql) => insertInbox(sql, `${name}-${KEY}`.slice(0, 64))).catch((error: unknown) => error);
      expect(isUniqueViolation(duplicate), `${name}: ${String(duplicate)}`).toBe(true);
      const refused = await db.transaction((sql) => insertInbox(sql, `${name}-nul`.padEnd(64, "n"), "a\u0000b")).catch((error: unknown) => error);
      expect(isDataRejection(refused), `${name}: ${String(refused)}`).toBe(true);
      expect(isUniqueViolation(refused)).toBe(false);
    }
  });

  it("counts the rows a statement changed and reads rows back with the driver's types", async () => {
    for (const [name, db] of transports()) {
      const key = `${name}-count`.padEnd(64, "c");
      const { changed, rows } = await db.transaction(async (sql) => {
        await insertInbox(sql, key);
        const set = assignments({ effect: "checked", event_type: undefined, processed_at: new Date("2026-01-02T03:04:05.678Z") }, 2);
        const changed = await sql.execute(`UPDATE webhook_inbox SET ${set.text} WHERE dedupe_key = $1`, [key, ...set.params]);
        const rows = await sql.rows<{ effect: string; processedAt: Date; eventType: string | null }>(
          `SELECT effect, processed_at AS "processedAt", event_type AS "eventType" FROM webhook_inbox WHERE dedupe_key = $1`,
          [key],
        );
        return { changed, rows };
      });
      expect(changed, name).toBe(1);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.effect).toBe("checked");
      expect(rows[0]!.eventType).toBeNull();
      expect(new Date(rows[0]!.processedAt).toISOString(), name).toBe("2026-01-02T03:04:05.678Z");
    }
  });

  it("runs fragments with their own parameters as parts of one statement", async () => {
    for (const [name, db] of transports()) {
      const [first, second] = [`${name}-one`.padEnd(64, "f"), `${name}-two`.padEnd(64, "f")];
      const insert = (key: string): SqlFragment => ({
        text: "INSERT INTO webhook_inbox (id, verdict, dedupe_key, effect) VALUES ($1::uuid, 'verified', $2, $3)",
        params: [uuidv7(), key, `effect of ${key.slice(0, 12)}`],
      });
      const { texts, params } = numberedAfter(1, [insert(first), insert(second)]);
      expect(texts).toEqual([expect.stringContaining("($2::uuid, 'verified', $3, $4)"), expect.stringContaining("($5::uuid, 'verified', $6, $7)")]);
      const rows = await db.transaction((sql) =>
        sql.rows<{ effect: string }>(`WITH ${texts.map((text, i) => `w${i} AS (${text})`).join(", ")} SELECT $1::text AS effect`, ["main", ...params]),
      );
      expect(rows, name).toEqual([{ effect: "main" }]);
      const stored = await db.transaction((sql) => sql.rows<{ effect: string }>("SELECT effect FROM webhook_inbox WHERE dedupe_key IN ($1, $2) ORDER BY effect", [first, second]));
      expect(stored.map((row) => row.effect), name).toEqual([`effect of ${first.slice(0, 12)}`, `effect of ${second.slice(0, 12)}`]);
    }
  });
});

describe.skipIf(!testDatabaseKinds().includes("postgres"))("statements on the pool's own connections (postgres)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ kind: "postgres" });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("prepares each statement once per connection, and PostgreSQL stops planning it", async () => {
    const lookup = "SELECT count(*)::int AS n FROM webhook_inbox WHERE dedupe_key = $1";
    const seen = await sqlDatabaseOf(database).transaction(async (sql) => {
      await insertInbox(sql, "p".repeat(64));
      for (let run = 0; run < 8; run++) expect((await sql.rows<{ n: number }>(lookup, ["p".repeat(64)]))[0]!.n).toBe(1);
      // pg_prepared_statements lists this session's statements: the same connection's.
      return sql.rows<{ name: string; statement: string; genericPlans: string }>(
        `SELECT name, statement, generic_plans::text AS "genericPlans" FROM pg_prepared_statements WHERE name = $1`,
        [preparedName(lookup)],
      );
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.statement).toBe(lookup);
    // Past the first five runs PostgreSQL settles on the generic plan: binding plans nothing.
    expect(Number(seen[0]!.genericPlans)).toBeGreaterThan(0);
  });

  it("keeps working after a named statement fails to parse", async () => {
    const db = sqlDatabaseOf(database);
    await expect(db.transaction((sql) => sql.rows("SELEC 1"))).rejects.toThrow(/syntax/);
    await expect(db.transaction((sql) => sql.rows("SELEC 1"))).rejects.toThrow(/syntax/);
    expect(await db.transaction((sql) => sql.rows<{ one: number }>("SELECT 1 AS one"))).toEqual([{ one: 1 }]);
  });
});

describe("uuidv7", () => {
  it("makes version-7 ids that sort by creation time", () => {
    const first = uuidv7();
    const later = Array.from({ length: 5 }, () => uuidv7());
    for (const id of [first, ...later]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.slice(0, 13) <= later[4]!.slice(0, 13)).toBe(true);
  });
});
