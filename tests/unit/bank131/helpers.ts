import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { loadPrivateKey, loadPublicKey } from "@/lib/bank131/signature";

/** Shared test data: the published SDK key pair and the JSON examples copied from the seeds. */
const ROOT = path.resolve(import.meta.dirname, "../../..");
export const FIXTURES = path.join(ROOT, "tests/fixtures");

export const SDK_PRIVATE_PEM = readFileSync(path.join(FIXTURES, "keys/sdk-private.pem"), "utf8");
export const SDK_PUBLIC_PEM = readFileSync(path.join(FIXTURES, "keys/sdk-public.pem"), "utf8");
export const sdkPrivateKey = loadPrivateKey(SDK_PRIVATE_PEM);
export const sdkPublicKey = loadPublicKey(SDK_PUBLIC_PEM);

export interface SignatureVectors {
  A2: { body: string; sha256: string; signature: string };
  B: { body: string; bytes: number; sha256?: string; signature: string }[];
  B1: { name: string; body: string; bytes: number; signature: string }[];
}
export const vectors: SignatureVectors = JSON.parse(
  readFileSync(path.join(FIXTURES, "bank131/signature-vectors.json"), "utf8"),
);

export interface Example {
  file: string;
  source: string;
  kind: "request" | "response" | "webhook";
  apiVersion: 1 | 2;
  method?: string;
  body: Record<string, unknown>;
}

export function loadExamples(): Example[] {
  const dir = path.join(FIXTURES, "bank131");
  return readdirSync(dir)
    .filter((f) => /\.(request|response|webhook)\.json$/.test(f))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(path.join(dir, file), "utf8")) }) as Example);
}

export const clone = <T>(value: T): T => structuredClone(value);
