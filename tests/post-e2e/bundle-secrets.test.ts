import path from "node:path";
import { describe, expect, it } from "vitest";
import { clientFiles, findLeaks, secretsToLookFor } from "../helpers/bundle-secrets";

/**
 * Runs after the production build (`npm test` builds before the e2e suite): no file a browser can fetch
 * — client chunks, prerendered pages and payloads — holds the partner's or the bank's private key, a
 * session secret, a secret setting of lib/env.ts or the server actions' encryption key.
 */
const root = path.resolve(import.meta.dirname, "../..");
const distDir = path.resolve(root, process.env.NEXT_DIST_DIR ?? ".next");

describe("secrets never reach the client bundles", () => {
  it("the built client files hold none of this machine's secrets", () => {
    const files = clientFiles(distDir);
    expect(files.filter((file) => file.endsWith(".js")).length, `expected a production build in ${distDir}`).toBeGreaterThan(10);
    const secrets = secretsToLookFor({ root, distDir, environment: process.env });
    // At least the development session secret, the fixture key and the build's action key are looked for.
    expect(secrets.length).toBeGreaterThan(10);
    expect(findLeaks(files, secrets)).toEqual([]);
  });
});
