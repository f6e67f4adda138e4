import { createHash, randomBytes } from "node:crypto";
import type { ApiKey, PrismaClient } from "../generated/prisma/client";
import { audit, type Actor } from "../payouts/audit";

/**
 * Partner API keys.
 *
 *   pk_live_<prefix>_<secret>      prefix: 12 hex chars (48 bits, public: shown in lists, used to revoke)
 *                                  secret: 48 hex chars (192 random bits)
 *
 * Only a SHA-256 of the whole key is stored (a fast hash is enough: the key is 192 random bits, not a
 * password, so it cannot be brute-forced from the hash). The clear key exists once, in the answer to
 * `create`. Hex only, so a double click selects the whole key in a terminal or an e-mail.
 */

export const API_KEY_PREFIX = "pk_live_";
const PREFIX_BYTES = 6;
const SECRET_BYTES = 24;
export const API_KEY_PATTERN = /^pk_live_([0-9a-f]{12})_([0-9a-f]{48})$/;
/** How stale `lastUsedAt` may get before a request writes it again (one write a minute, not one per call). */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface CreatedApiKey {
  id: string;
  name: string;
  prefix: string;
  /** The only time the key exists in clear. */
  key: string;
  createdAt: Date;
}

/** What a verified request carries along: the key's record and the key as presented. */
export interface PartnerPrincipal {
  apiKeyId: string;
  name: string;
  prefix: string;
  /** The presented key; used only to derive the encryption key of stored idempotent responses. */
  presentedKey: string;
}

export type ApiKeySummary = Pick<ApiKey, "id" | "name" | "prefix" | "createdAt" | "revokedAt" | "lastUsedAt">;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const prefix = randomBytes(PREFIX_BYTES).toString("hex");
  const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(SECRET_BYTES).toString("hex")}`;
  return { key, prefix, keyHash: hashApiKey(key) };
}

/** `pk_live_3f9a1c0b7d2e`, `pk_live_3f9a1c0b7d2e_…` or `3f9a1c0b7d2e` → `3f9a1c0b7d2e`; null if none of these. */
export function normalizePrefix(input: string): string | null {
  const match = /^(?:pk_live_)?([0-9a-f]{12})(?:_.*)?$/.exec(input.trim().toLowerCase());
  return match?.[1] ?? null;
}

export const API_KEY_NAME_MAX = 100;

export async function createApiKey(prisma: PrismaClient, input: { name: string; actor: Actor }): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > API_KEY_NAME_MAX) throw new RangeError(`API key name must be 1–${API_KEY_NAME_MAX} characters`);
  const { key, prefix, keyHash } = generateApiKey();
  const record = await prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({ data: { name, prefix, keyHash } });
    await audit(tx, { actor: input.actor, action: "api_key.created", data: { apiKeyId: created.id, prefix, name } });
    return created;
  });
  return { id: record.id, name: record.name, prefix: record.prefix, key, createdAt: record.createdAt };
}

export async function listApiKeys(prisma: PrismaClient): Promise<ApiKeySummary[]> {
  return prisma.apiKey.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, revokedAt: true, lastUsedAt: true },
  });
}

/**
 * Revokes the key with this prefix (accepts the `pk_live_…` forms too). Revoking twice is harmless and
 * keeps the first time. Returns null when no key has that prefix.
 */
export async function revokeApiKey(prisma: PrismaClient, prefixInput: string, actor: Actor, now = new Date()): Promise<ApiKeySummary | null> {
  const prefix = normalizePrefix(prefixInput);
  if (!prefix) return null;
  return prisma.$transaction(async (tx) => {
    const revoked = await tx.apiKey.updateMany({ where: { prefix, revokedAt: null }, data: { revokedAt: now } });
    const record = await tx.apiKey.findUnique({
      where: { prefix },
      select: { id: true, name: true, prefix: true, createdAt: true, revokedAt: true, lastUsedAt: true },
    });
    if (record && revoked.count > 0) await audit(tx, { actor, action: "api_key.revoked", data: { apiKeyId: record.id, prefix } });
    return record;
  });
}

/**
 * Checks a presented key: right shape, known hash, not revoked. Returns null for anything else, so
 * callers answer every failure the same way. Touches `lastUsedAt` at most once a minute.
 */
export async function verifyApiKey(prisma: PrismaClient, presented: string, now = new Date()): Promise<PartnerPrincipal | null> {
  const match = API_KEY_PATTERN.exec(presented);
  if (!match) return null;
  const keyHash = hashApiKey(presented);
  const record = await prisma.apiKey.findUnique({ where: { keyHash } });
  if (!record || record.revokedAt) return null;
  // The hash matched; a differing prefix can only be a row edited by hand.
  if (record.prefix !== match[1]) return null;
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await prisma.apiKey.updateMany({
      where: { id: record.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS + 1) } }] },
      data: { lastUsedAt: now },
    });
  }
  return { apiKeyId: record.id, name: record.name, prefix: record.prefix, presentedKey: presented };
}

/**
 * The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
 * Returns `{ key: null }` when neither header is there, `{ conflict: true }` when both are and differ.
 */
export function presentedApiKey(headers: Headers): { key: string | null; conflict?: boolean } {
  const authorization = headers.get("authorization");
  const bearer = authorization ? (/^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? "") : null;
  const header = headers.get("x-api-key")?.trim() ?? null;
  if (bearer !== null && header !== null && bearer !== header) return { key: null, conflict: true };
  return { key: bearer ?? header };
}
