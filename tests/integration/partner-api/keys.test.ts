import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  API_KEY_PATTERN,
  createApiKey,
  hashApiKey,
  listApiKeys,
  normalizePrefix,
  presentedApiKey,
  revokeApiKey,
  verifyApiKey,
} from "@/lib/partner-api/keys";
import { authenticatePartner } from "@/lib/partner-api/service";
import { HttpError } from "@/lib/http/errors";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/tests/helpers/database";

const ADMIN = { type: "operator" as const, id: null };

describe("API key format", () => {
  it("hashes with SHA-256 hex and parses prefixes in every written form", () => {
    expect(hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(normalizePrefix("pk_live_0123456789ab")).toBe("0123456789ab");
    expect(normalizePrefix("pk_live_0123456789ab_" + "f".repeat(48))).toBe("0123456789ab");
    expect(normalizePrefix(" 0123456789AB ")).toBe("0123456789ab");
    expect(normalizePrefix("0123")).toBeNull();
  });

  it("reads Bearer and X-API-Key and refuses two different keys", () => {
    expect(presentedApiKey(new Headers({ authorization: "Bearer k1" }))).toEqual({ key: "k1" });
    expect(presentedApiKey(new Headers({ authorization: "bearer   k1 " }))).toEqual({ key: "k1" });
    expect(presentedApiKey(new Headers({ "x-api-key": "k2" }))).toEqual({ key: "k2" });
    expect(presentedApiKey(new Headers({ authorization: "Bearer k1", "x-api-key": "k1" }))).toEqual({ key: "k1" });
    expect(presentedApiKey(new Headers({ authorization: "Bearer k1", "x-api-key": "k2" }))).toEqual({ key: null, conflict: true });
    expect(presentedApiKey(new Headers({ authorization: "Basic Zm9vOmJhcg==" }))).toEqual({ key: "" });
    expect(presentedApiKey(new Headers())).toEqual({ key: null });
  });
});

describe.each(testDatabaseKinds())("API keys on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ kind });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("creates a key shown once, stores only its SHA-256 and audits it", async () => {
    const created = await createApiKey(db.prisma, { name: "  CRM backend  ", actor: ADMIN });
    expect(created.key).toMatch(API_KEY_PATTERN);
    expect(created.key.startsWith(`pk_live_${created.prefix}_`)).toBe(true);
    expect(created.name).toBe("CRM backend");
    // ≥ 128 random bits: 48 hex characters of secret.
    expect(created.key.split("_").at(-1)).toHaveLength(48);

    const row = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.keyHash).toBe(hashApiKey(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key.split("_").at(-1));
    const audit = await db.prisma.auditEvent.findFirst({ where: { action: "api_key.created" } });
    expect(audit?.data).toMatchObject({ apiKeyId: created.id, prefix: created.prefix });
  });

  it("verifies a good key, touches lastUsedAt at most once a minute, and refuses anything else", async () => {
    const created = await createApiKey(db.prisma, { name: "verify", actor: ADMIN });
    const t0 = new Date("2030-01-01T10:00:00Z");
    const principal = await verifyApiKey(db.prisma, created.key, t0);
    expect(principal).toEqual({ apiKeyId: created.id, name: "verify", prefix: created.prefix, presentedKey: created.key });
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toEqual(t0);

    await verifyApiKey(db.prisma, created.key, new Date(t0.getTime() + 30_000));
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toEqual(t0);
    const t2 = new Date(t0.getTime() + 61_000);
    await verifyApiKey(db.prisma, created.key, t2);
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toEqual(t2);

    const secret = created.key.slice(-48);
    const flipped = created.key.slice(0, -1) + (created.key.endsWith("0") ? "1" : "0");
    expect(await verifyApiKey(db.prisma, flipped)).toBeNull();
    expect(await verifyApiKey(db.prisma, created.key.toUpperCase())).toBeNull();
    expect(await verifyApiKey(db.prisma, `pk_live_000000000000_${secret}`)).toBeNull();
    expect(await verifyApiKey(db.prisma, "")).toBeNull();
    expect(await verifyApiKey(db.prisma, hashApiKey(created.key))).toBeNull();
  });

  it("revokes by prefix: the key stops working at once; revoking again keeps the first time", async () => {
    const created = await createApiKey(db.prisma, { name: "to revoke", actor: ADMIN });
    expect(await verifyApiKey(db.prisma, created.key)).not.toBeNull();

    const first = new Date("2030-02-01T00:00:00Z");
    const revoked = await revokeApiKey(db.prisma, `pk_live_${created.prefix}`, ADMIN, first);
    expect(revoked).toMatchObject({ id: created.id, revokedAt: first });
    expect(await verifyApiKey(db.prisma, created.key)).toBeNull();

    const again = await revokeApiKey(db.prisma, created.prefix, ADMIN, new Date("2030-03-01T00:00:00Z"));
    expect(again?.revokedAt).toEqual(first);
    expect(await db.prisma.auditEvent.count({ where: { action: "api_key.revoked", data: { path: ["apiKeyId"], equals: created.id } } })).toBe(1);
    expect(await revokeApiKey(db.prisma, "ffffffffffff", ADMIN)).toBeNull();
    expect(await revokeApiKey(db.prisma, "not a prefix", ADMIN)).toBeNull();

    const listed = await listApiKeys(db.prisma);
    expect(listed.find((key) => key.id === created.id)?.revokedAt).toEqual(first);
    expect(JSON.stringify(listed)).not.toContain("keyHash");
  });

  it("authenticates requests by header and answers every failure with the same 401", async () => {
    const created = await createApiKey(db.prisma, { name: "headers", actor: ADMIN });
    await expect(authenticatePartner(db.prisma, new Headers({ authorization: `Bearer ${created.key}` }))).resolves.toMatchObject({ apiKeyId: created.id });
    await expect(authenticatePartner(db.prisma, new Headers({ "x-api-key": created.key }))).resolves.toMatchObject({ apiKeyId: created.id });

    const failures = [
      new Headers(),
      new Headers({ authorization: "Bearer nope" }),
      new Headers({ authorization: `Bearer ${created.key}`, "x-api-key": "other" }),
    ];
    for (const headers of failures) {
      const error = await authenticatePartner(db.prisma, headers).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(401);
    }
    await revokeApiKey(db.prisma, created.prefix, ADMIN);
    await expect(authenticatePartner(db.prisma, new Headers({ "x-api-key": created.key }))).rejects.toMatchObject({ status: 401, code: "unauthorized" });
  });
});
