import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";

// The production server refuses to start on bad configuration with one clear line, not a stack trace.
function startServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "--hostname", "127.0.0.1", "--port", "3199"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next", NODE_ENV: "production", DATABASE_URL: "pglite:memory", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

test("production start without NEXTAUTH_SECRET stops with one line naming it", async () => {
  const { code, output } = await startServer({});
  expect(code).toBe(1);
  expect(output).toContain("portal: cannot start: NEXTAUTH_SECRET is required in production");
  expect(output).not.toMatch(/\n\s+at /); // no stack trace
});

test("a malformed DATABASE_URL stops start-up with one clear line", async () => {
  const { code, output } = await startServer({ NEXTAUTH_SECRET: "x".repeat(40), DATABASE_URL: "mysql://root@localhost/portal" });
  expect(code).toBe(1);
  expect(output).toContain('portal: cannot start: DATABASE_URL has unsupported scheme "mysql:"');
  expect(output).not.toMatch(/\n\s+at /);
});

test("production refuses an http:// portal URL or bank URL unless a setting explicitly allows the local stack", async () => {
  const secret = { NEXTAUTH_SECRET: "x".repeat(40) };
  const portal = await startServer({ ...secret, NEXTAUTH_URL: "http://portal.example.com" });
  expect(portal.code).toBe(1);
  expect(portal.output).toContain("portal: cannot start: NEXTAUTH_URL must be an https:// URL in production");
  const bank = await startServer({ ...secret, NEXTAUTH_URL: "https://portal.example.com", BANK131_API_URL: "http://bank.example.com" });
  expect(bank.code).toBe(1);
  expect(bank.output).toContain("portal: cannot start: BANK131_API_URL must be an https:// URL in production");
  // A loopback portal URL is not enough without the explicit allowance.
  const loopback = await startServer({ ...secret, NEXTAUTH_URL: "http://127.0.0.1:3199", ALLOW_SANDBOX_IN_PRODUCTION: "true" });
  expect(loopback.code).toBe(1);
  expect(loopback.output).toContain("NEXTAUTH_URL must be an https:// URL");
});
