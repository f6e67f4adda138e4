import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * A batch row's recipient link token, kept so the operator can download the links after the
 * background creation (the payout request itself stores only the token's SHA-256). Sealed with
 * AES-256-GCM under a key derived (HKDF-SHA256) from the portal's secret, bound to its row id, and
 * cleared once the link expires.
 */

const HKDF_INFO = "bank131-portal batch-row link token v1";

/** The sealing key from the portal's secret (NEXTAUTH_SECRET via lib/env.ts). */
export function batchLinkKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "payout-batch-rows", HKDF_INFO, 32));
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function sealLinkToken(key: Buffer, rowId: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(rowId, "utf8"));
  const data = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

/** The token, or null when the sealed value was not made for this row under this key. */
export function openLinkToken(key: Buffer, rowId: string, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(rowId, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
