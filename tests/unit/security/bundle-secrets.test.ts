import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEV_NEXTAUTH_SECRET } from "@/lib/env";
import { clientFiles, findLeaks, secretsToLookFor } from "../../helpers/bundle-secrets";

/** The bundle check (tests/post-e2e/bundle-secrets.test.ts) can fail: secrets planted in a fake build are found. */
describe("the client-bundle secret grep", { timeout: 30_000 }, () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function fakeProject() {
    const root = mkdtempSync(path.join(os.tmpdir(), "bundle-grep-"));
    dirs.push(root);
    const distDir = path.join(root, ".next");
    mkdirSync(path.join(distDir, "static", "chunks"), { recursive: true });
    mkdirSync(path.join(distDir, "server", "app"), { recursive: true });
    const pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const keyFile = path.join(root, "partner.pem");
    writeFileSync(keyFile, pem);
    writeFileSync(path.join(distDir, "server", "server-reference-manifest.json"), JSON.stringify({ node: {}, encryptionKey: "c2VydmVyLWFjdGlvbnMta2V5LWZvci10ZXN0cw==" }));
    const environment = { NEXTAUTH_SECRET: "planted-nextauth-secret-0123456789abcdef", BANK131_PRIVATE_KEY_FILE: keyFile, DATA_DIR: path.join(root, "data") };
    return { root, distDir, pem, environment, secrets: secretsToLookFor({ root, distDir, environment }) };
  }

  it("finds each kind of secret planted in a client chunk or a prerendered page, and nothing in a clean build", () => {
    const { distDir, pem, secrets } = fakeProject();
    const clean = path.join(distDir, "static", "chunks", "clean.js");
    writeFileSync(clean, 'console.log("BANK131_PRIVATE_KEY_FILE and NEXTAUTH_SECRET are names, not values")');
    expect(findLeaks(clientFiles(distDir), secrets)).toEqual([]);

    const bodyLine = pem.split("\n")[5]!;
    const planted: Array<[string, string]> = [
      ["static/chunks/a.js", 'const s="planted-nextauth-secret-0123456789abcdef"'],
      ["static/chunks/b.js", `const k="${bodyLine}"`],
      ["static/chunks/c.js", `const d="${DEV_NEXTAUTH_SECRET}"`],
      ["server/app/page.html", "<p>c2VydmVyLWFjdGlvbnMta2V5LWZvci10ZXN0cw==</p>"],
      ["server/app/page.rsc", "-----BEGIN PRIVATE KEY-----"],
    ];
    for (const [file, text] of planted) writeFileSync(path.join(distDir, file), text);
    // Server-side code is not sent to browsers and is not searched.
    writeFileSync(path.join(distDir, "server", "app", "route.js"), `const d="${DEV_NEXTAUTH_SECRET}"`);

    const leaks = findLeaks(clientFiles(distDir), secrets).map((leak) => `${path.relative(distDir, leak.file)}: ${leak.secret}`);
    expect(leaks.sort()).toEqual(
      [
        "static/chunks/a.js: NEXTAUTH_SECRET",
        "static/chunks/b.js: the file named by BANK131_PRIVATE_KEY_FILE (line 5 of its body)",
        "static/chunks/c.js: the development NEXTAUTH_SECRET",
        "server/app/page.html: the server actions' encryption key",
        "server/app/page.rsc: a PEM private key header",
      ].sort(),
    );
  });

  it("looks for keys and session secrets kept under the data directory", () => {
    const { root, distDir, environment } = fakeProject();
    mkdirSync(path.join(root, "data", "e2e-1", "keys"), { recursive: true });
    mkdirSync(path.join(root, "data", "e2e-1", "secrets"), { recursive: true });
    const bankPem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    writeFileSync(path.join(root, "data", "e2e-1", "keys", "bank-private.pem"), bankPem);
    writeFileSync(path.join(root, "data", "e2e-1", "secrets", "nextauth-secret"), "stack-session-secret-9876543210\n");
    const names = secretsToLookFor({ root, distDir, environment }).map((secret) => secret.name);
    expect(names).toContain("data/e2e-1/secrets/nextauth-secret");
    expect(names).toContain("data/e2e-1/keys/bank-private.pem (line 1 of its body)");
  });
});
