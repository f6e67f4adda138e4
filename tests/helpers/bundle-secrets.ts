import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DEV_NEXTAUTH_SECRET, SECRET_SETTINGS } from "../../lib/env";

/**
 * What must never reach a browser, and where the build keeps what does: the grep behind
 * tests/post-e2e/bundle-secrets.test.ts (proved able to fail by tests/unit/security/bundle-secrets.test.ts).
 */

export interface Secret {
  /** Where the value comes from (a setting, a key file), for the failure message; never the value. */
  name: string;
  value: string;
}

export interface Leak {
  secret: string;
  file: string;
}

function walk(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, keep, out);
    else if (keep(full)) out.push(full);
  }
  return out;
}

/** Everything the server hands to browsers: the client chunks and the prerendered pages and payloads. */
export function clientFiles(distDir: string): string[] {
  return [...walk(path.join(distDir, "static"), () => true), ...walk(path.join(distDir, "server", "app"), (file) => /\.(html|rsc|body|meta)$/.test(file))];
}

/** A PEM private key as needles: each line of its base64 body (a key reformatted into one line still matches them). */
export function pemNeedles(name: string, pem: string): Secret[] {
  return pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 32 && !line.startsWith("-----"))
    .map((line, index) => ({ name: `${name} (line ${index + 1} of its body)`, value: line }));
}

function privateKeyFiles(dir: string): string[] {
  return walk(dir, (file) => file.endsWith(".pem") && statSync(file).size < 64 * 1024 && readFileSync(file, "utf8").includes("PRIVATE KEY"));
}

/**
 * The secrets of this machine: the values of lib/env.ts's SECRET_SETTINGS (files read), the development
 * NEXTAUTH_SECRET, every private key and session secret under the data directories and the test fixtures,
 * and the server actions' encryption key of the build.
 */
export function secretsToLookFor(options: { root: string; distDir: string; environment: Record<string, string | undefined> }): Secret[] {
  const { root, distDir, environment } = options;
  const secrets: Secret[] = [{ name: "the development NEXTAUTH_SECRET", value: DEV_NEXTAUTH_SECRET }];
  for (const [setting, kind] of Object.entries(SECRET_SETTINGS)) {
    const value = environment[setting]?.trim();
    if (!value) continue;
    // An embedded database's directory (`pglite:…`) is a path, not a credential.
    if (kind === "value" && value.length >= 8 && !value.startsWith("pglite:")) secrets.push({ name: setting, value });
    if (kind === "file" && existsSync(value)) secrets.push(...pemNeedles(`the file named by ${setting}`, readFileSync(value, "utf8")));
  }
  for (const dir of [path.join(root, environment.DATA_DIR ?? "data"), path.join(root, "data"), path.join(root, "tests", "fixtures", "keys")]) {
    for (const file of privateKeyFiles(dir)) secrets.push(...pemNeedles(path.relative(root, file), readFileSync(file, "utf8")));
    for (const file of walk(dir, (candidate) => path.basename(candidate) === "nextauth-secret")) {
      secrets.push({ name: path.relative(root, file), value: readFileSync(file, "utf8").trim() });
    }
  }
  const manifest = path.join(distDir, "server", "server-reference-manifest.json");
  if (existsSync(manifest)) {
    const { encryptionKey } = JSON.parse(readFileSync(manifest, "utf8")) as { encryptionKey?: string };
    if (encryptionKey) secrets.push({ name: "the server actions' encryption key", value: encryptionKey });
  }
  return [...new Map(secrets.map((secret) => [secret.value, secret])).values()];
}

/** Which secrets appear in which files; a PEM private-key header anywhere counts too. */
export function findLeaks(files: string[], secrets: Secret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const file of files) {
    const text = readFileSync(file, "latin1");
    if (/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(text)) leaks.push({ secret: "a PEM private key header", file });
    for (const secret of secrets) if (text.includes(secret.value)) leaks.push({ secret: secret.name, file });
  }
  return leaks;
}
