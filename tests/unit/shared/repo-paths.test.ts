import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Project files cite sources that travel with the repository: nothing may point outside it. */
const ROOT = path.resolve(import.meta.dirname, "../../..");
const tracked = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter((file) => file && /\.(ts|tsx|mts|mjs|js|json|md|sql|prisma|css)$/.test(file) && !file.startsWith("docs/bank131/") && existsSync(path.join(ROOT, file)));

describe("repository paths", () => {
  it("no project file points at a path outside the repository", () => {
    const offenders = tracked.filter((file) => {
      if (file === "tests/unit/shared/repo-paths.test.ts") return false;
      const text = readFileSync(path.join(ROOT, file), "utf8");
      return /\/work\/|\.\.\/shared\/|(^|[\s`(])shared\/bank131/.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it("every Bank 131 fixture names a source document that exists in the repository", () => {
    const fixtures = tracked.filter((file) => file.startsWith("tests/fixtures/bank131/") && file.endsWith(".json"));
    expect(fixtures.length).toBeGreaterThan(30);
    for (const file of fixtures) {
      const source = (JSON.parse(readFileSync(path.join(ROOT, file), "utf8")) as { source?: string }).source;
      expect(source, file).toMatch(/^docs\/bank131\//);
      const document = source!.split(/[ ]/)[0]!;
      expect(existsSync(path.join(ROOT, document)), `${file} → ${document}`).toBe(true);
    }
  });
});
