import { createHash, randomBytes } from "node:crypto";

/**
 * Recipient link tokens: 256 random bits, base64url (43 chars). Only a SHA-256 is stored, so a
 * database leak does not hand out working payout links.
 */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Tokens have one exact shape; anything else is rejected before touching the database. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function linkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/$/, "")}/p/${token}`;
}
