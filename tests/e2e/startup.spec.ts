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
