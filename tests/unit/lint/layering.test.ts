import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The layout table in the README is enforced by ESLint (eslint-plugin-boundaries in
 * eslint.config.mjs). These throw-away files are linted in memory at real paths of the repository:
 * an import across the table must be an error, an allowed one must not.
 */

const root = path.resolve(import.meta.dirname, "../../..");
const eslint = new ESLint({ cwd: root });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  return result.messages.filter((message) => message.ruleId === "boundaries/dependencies" && message.severity === 2).map((message) => message.message);
}

describe("layering allow-lists", { timeout: 60_000 }, () => {
  it.each([
    ["the bank protocol importing the database", "lib/bank131/throwaway.ts", 'import { getDatabase } from "../db";\nexport const x = getDatabase;\n'],
    ["the bank protocol importing the domain by alias", "lib/bank131/throwaway.ts", 'import { transition } from "@/lib/payouts/transition";\nexport const x = transition;\n'],
    ["a component importing the database", "components/dashboard/throwaway.tsx", 'import { getDatabase } from "@/lib/db";\nexport const x = getDatabase;\n'],
    ["a component importing the server wiring", "components/dashboard/throwaway.tsx", 'import { getPortal } from "@/lib/server/portal";\nexport const x = getPortal;\n'],
    ["a component importing a value from the event bus", "components/live/throwaway.tsx", 'import { createEventBus } from "@/lib/events/bus";\nexport const x = createEventBus;\n'],
    ["the sandbox importing the domain", "sandbox/throwaway.ts", 'import { startPayout } from "../lib/payouts/start";\nexport const x = startPayout;\n'],
    ["the domain importing a component", "lib/payouts/throwaway.ts", 'import { StatusTabs } from "@/components/dashboard/status-tabs";\nexport const x = StatusTabs;\n'],
    ["the domain importing a route", "lib/payouts/throwaway.ts", 'import { GET } from "@/app/api/events/route";\nexport const x = GET;\n'],
    ["the domain importing the server wiring", "lib/payouts/throwaway.ts", 'import { getPortal } from "../server/portal";\nexport const x = getPortal;\n'],
    ["the vocabulary importing the domain", "lib/format/throwaway.ts", 'import { PAYOUT_STATUSES } from "../payouts/state-machine";\nexport const x = PAYOUT_STATUSES;\n'],
    ["money importing the environment", "lib/money.ts", 'import { env } from "./env";\nexport const x = env;\n'],
    ["the webhook's Pages API route importing a component", "pages/api/throwaway.ts", 'import { Nav } from "@/components/dashboard/nav";\nexport const x = Nav;\n'],
  ])("refuses %s", async (_what, filePath, code) => {
    expect(await layeringErrors(filePath, code)).toHaveLength(1);
  });

  it.each([
    ["a route importing the domain and a component", "app/api/throwaway/route.ts", 'import { startPayout } from "@/lib/payouts/start";\nimport { Nav } from "@/components/dashboard/nav";\nexport const x = [startPayout, Nav];\n'],
    ["the webhook's Pages API route importing the domain and the wiring", "pages/api/throwaway.ts", 'import { ingestWebhook } from "@/lib/payouts/webhooks";\nimport { getPortal } from "@/lib/server/portal";\nexport const x = [ingestWebhook, getPortal];\n'],
    ["a component importing a type from the event bus", "components/live/throwaway.tsx", 'import type { PortalEvent } from "@/lib/events/bus";\nexport type X = PortalEvent;\n'],
    ["a component importing money formatting", "components/dashboard/throwaway.tsx", 'import { formatKopecks } from "@/lib/money";\nexport const x = formatKopecks;\n'],
    ["the domain importing the bank protocol and the database", "lib/payouts/throwaway.ts", 'import { Bank131ApiError } from "../bank131/errors";\nimport { isUniqueViolation } from "../db/errors";\nexport const x = [Bank131ApiError, isUniqueViolation];\n'],
    ["the sandbox importing the bank protocol", "sandbox/throwaway.ts", 'import { signBody } from "../lib/bank131/signature";\nexport const x = signBody;\n'],
  ])("allows %s", async (_what, filePath, code) => {
    expect(await layeringErrors(filePath, code)).toEqual([]);
  });

  it("refuses publishing an event by hand outside inTransaction()", async () => {
    const code = "export async function f(deps: { events: { publish(event: object): Promise<void> } }) {\n  await deps.events.publish({});\n}\n";
    const [result] = await eslint.lintText(code, { filePath: path.join(root, "app/api/throwaway/route.ts") });
    expect(result?.messages.map((message) => message.ruleId)).toContain("no-restricted-syntax");
  });
});
