import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PORTAL_NODE_OPTIONS, portalNodeOptions } from "@/scripts/lib/portal-node-options";

const ROOT = path.resolve(import.meta.dirname, "../../..");

describe("the production server's V8 settings", () => {
  it("`npm start` runs next start with the same settings as the demo, e2e and bench servers", () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe(`NODE_OPTIONS="${PORTAL_NODE_OPTIONS} $NODE_OPTIONS" next start`);
  });

  it("bounds the old generation and keeps an operator's own NODE_OPTIONS after them, so theirs win", () => {
    expect(PORTAL_NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
    expect(portalNodeOptions(undefined)).toBe(PORTAL_NODE_OPTIONS);
    expect(portalNodeOptions(" --max-old-space-size=512 ")).toBe(`${PORTAL_NODE_OPTIONS} --max-old-space-size=512`);
  });
});
