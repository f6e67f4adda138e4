import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("npm run db:seed in production", () => {
  it("refuses (the development operators have published passwords), even with --force", async () => {
    for (const args of [["seed"], ["seed", "--force"]]) {
      const failed = await run(process.execPath, ["--import", "tsx", "scripts/db.ts", ...args], {
        env: { ...process.env, NODE_ENV: "production", DATABASE_URL: "pglite:memory" },
        cwd: process.cwd(),
      }).then(
        () => null,
        (error: unknown) => error as { code: number; stdout: string; stderr: string },
      );
      expect(failed, `db.ts ${args.join(" ")} should fail`).not.toBeNull();
      expect(failed!.code).toBe(1);
      expect(failed!.stderr).toContain("refusing to seed with NODE_ENV=production");
      expect(failed!.stdout).not.toContain("Created operators");
    }
  });
});
