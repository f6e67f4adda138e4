import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Development key pairs for the portal ↔ sandbox trust: the partner pair (portal signs requests,
 * sandbox verifies) and the bank pair (sandbox signs webhooks, portal verifies). Generated once on
 * first run; never committed. Production keys come from files named in the environment.
 */
export interface DevKeyPaths {
  partnerPrivate: string;
  partnerPublic: string;
  bankPrivate: string;
  bankPublic: string;
}

export function devKeyPaths(dir: string): DevKeyPaths {
  return {
    partnerPrivate: path.join(dir, "partner-private.pem"),
    partnerPublic: path.join(dir, "partner-public.pem"),
    bankPrivate: path.join(dir, "bank-private.pem"),
    bankPublic: path.join(dir, "bank-public.pem"),
  };
}

function ensurePair(privatePath: string, publicPath: string): boolean {
  if (existsSync(privatePath) && existsSync(publicPath)) return false;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  // Write to temp names and rename so a concurrent starter never reads half a key.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(privatePath + suffix, privateKey, { mode: 0o600 });
  writeFileSync(publicPath + suffix, publicKey, { mode: 0o644 });
  renameSync(privatePath + suffix, privatePath);
  renameSync(publicPath + suffix, publicPath);
  return true;
}

/** Creates any missing pair under `dir`; returns the paths and whether anything was generated. */
export function ensureDevKeys(dir: string): DevKeyPaths & { generated: boolean } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = devKeyPaths(dir);
  const partner = ensurePair(paths.partnerPrivate, paths.partnerPublic);
  const bank = ensurePair(paths.bankPrivate, paths.bankPublic);
  return { ...paths, generated: partner || bank };
}
