import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

/**
 * Bank 131 request/webhook signatures: RSASSA-PKCS1-v1_5 with SHA-256 over the exact body bytes,
 * standard Base64 in `X-PARTNER-SIGN`. No method, path or timestamp is covered, so callers must
 * sign the very bytes they send and verify the very bytes they received (never a re-serialisation).
 */

export const SIGNATURE_HEADER = "x-partner-sign";
export const PROJECT_HEADER = "x-partner-project";
export const IDEMPOTENCY_HEADER = "x-partner-idempotency-key";

export class Bank131KeyError extends Error {
  override name = "Bank131KeyError";
}

/** Parses a PEM private key (PKCS#1 or PKCS#8) once; reuse the KeyObject for every signature. */
export function loadPrivateKey(pem: string | Buffer): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "rsa") throw new Error(`expected an RSA key, got ${key.asymmetricKeyType}`);
    return key;
  } catch (error) {
    throw new Bank131KeyError(`Wrong private key: ${(error as Error).message}`);
  }
}

/** Parses a PEM public key (SPKI or PKCS#1), or derives it from a private key. */
export function loadPublicKey(pem: string | Buffer | KeyObject): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== "rsa") throw new Error(`expected an RSA key, got ${key.asymmetricKeyType}`);
    return key;
  } catch (error) {
    throw new Bank131KeyError(`Wrong public key: ${(error as Error).message}`);
  }
}

export function signBody(body: string | Uint8Array, privateKey: KeyObject): string {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return sign("sha256", bytes, privateKey).toString("base64");
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** True only for a well-formed Base64 signature that matches the bytes; never throws on bad input. */
export function verifyBody(body: string | Uint8Array, signature: string | null | undefined, publicKey: KeyObject): boolean {
  if (!signature) return false;
  const trimmed = signature.trim();
  if (trimmed.length === 0 || trimmed.length % 4 !== 0 || !BASE64.test(trimmed)) return false;
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  try {
    return verify("sha256", bytes, publicKey, Buffer.from(trimmed, "base64"));
  } catch {
    return false;
  }
}
