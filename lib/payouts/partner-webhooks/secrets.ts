import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * Signing secrets of partner webhook endpoints. They must sign, so they cannot be hashed: they are
 * stored encrypted with AES-256-GCM under a key derived (HKDF-SHA256) from NEXTAUTH_SECRET, shown once
 * (at creation and rotation) and never logged.
 */

/** Standard Webhooks secrets: `whsec_` + base64 of 24 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export function deriveSecretsKey(nextauthSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", nextauthSecret, "bank131-portal", "partner-webhook-secrets", 32));
}

const FORMAT = "v1";

export function sealSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${FORMAT}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64")}`;
}

export function openSecret(key: Buffer, sealed: string): string {
  const [format, payload] = sealed.split(":");
  if (format !== FORMAT || !payload) throw new Error("unknown sealed secret format");
  const bytes = Buffer.from(payload, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
}

/**
 * The `webhook-signature` header: one `v1,<base64>` entry per secret in force (two during a
 * rotation's overlap, space-separated, as Standard Webhooks receivers expect).
 */
export function signatureHeader(secrets: string[], webhookId: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(webhookId, timestamp, body)).join(" ");
}
