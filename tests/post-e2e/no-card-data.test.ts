import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openPglite } from "@/lib/db/pglite";
import { TEST_CARDS } from "@/sandbox/test-instruments";

/**
 * Runs after the e2e suite has stopped its stack: the portal's whole database, every log line the
 * portal and the sandbox printed, and the sandbox's own store must not contain a card number,
 * although recipients typed real-looking test cards into the widget during the run.
 */

const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? `data/e2e-${process.env.E2E_PORTAL_PORT ?? 3100}`);

async function dumpDatabase(): Promise<string> {
  const { pglite, close } = await openPglite(path.join(dataDir, "pglite"));
  try {
    const tables = await pglite.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    const parts: string[] = [];
    for (const { tablename } of tables.rows) {
      const rows = await pglite.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
      parts.push(`-- ${tablename}\n${rows.rows.map((r) => r.row).join("\n")}`);
    }
    return parts.join("\n");
  } finally {
    await close();
  }
}

function readTree(dir: string): string {
  if (!existsSync(dir)) return "";
  return readdirSync(dir)
    .map((entry) => path.join(dir, entry))
    .map((full) => (statSync(full).isDirectory() ? readTree(full) : statSync(full).size < 50 * 1024 * 1024 ? readFileSync(full, "latin1") : ""))
    .join("\n");
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A card number as a person or a log line would write it: 16–19 digits standing alone (not part of a hex
 * hash, UUID or other token — random hex regularly holds long digit runs that happen to pass Luhn), either
 * in one run or in groups of four separated by spaces or dashes, with a card brand prefix and a valid Luhn
 * check digit.
 */
function findCardNumbers(text: string): string[] {
  const found = new Set<string>();
  const pattern = /(?<![\w-])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![\w-])/g;
  for (const match of text.matchAll(pattern)) {
    const digits = match[0].replace(/[ -]/g, "");
    const prefix4 = Number(digits.slice(0, 4));
    const branded = digits.startsWith("4") || /^5[1-5]/.test(digits) || (prefix4 >= 2200 && prefix4 <= 2204) || (prefix4 >= 2221 && prefix4 <= 2720);
    if (branded && luhn(digits)) found.add(digits);
  }
  return [...found];
}

describe("no card numbers at rest after the e2e run", () => {
  it("the detector finds written card numbers and ignores digit runs inside hashes and ids", () => {
    expect(findCardNumbers('{"pan":"2200240000014940"}')).toEqual(["2200240000014940"]);
    expect(findCardNumbers("card 4276 0000 0000 0017 declined")).toEqual(["4276000000000017"]);
    expect(findCardNumbers("5536-9100-0006-8371")).toEqual(["5536910000068371"]);
    // A hex hash whose digit run passes Luhn, a UUID made of digit groups, a masked card: none is a card.
    expect(findCardNumbers("number_hash=ab2200240000014940cd 12345678-2200-2400-0001-494012345678 220024******4940")).toEqual([]);
  });

  it("the e2e run left data to inspect", () => {
    expect(existsSync(path.join(dataDir, "pglite")), `expected the e2e database at ${dataDir}/pglite`).toBe(true);
  });

  it("the database dump holds masks and hashes only", async () => {
    const dump = await dumpDatabase();
    // Not vacuous: the recipients' cards are there, masked.
    expect(dump).toContain('"card_last4":"4940"');
    for (const card of TEST_CARDS) expect(dump).not.toContain(card.number);
    expect(findCardNumbers(dump)).toEqual([]);
  });

  it("the portal's and the sandbox's logs and the sandbox store hold no card number", () => {
    const logs = readTree(path.join(dataDir, "logs"));
    expect(logs).toContain("bank131 webhook stored");
    const sandboxStore = readTree(path.join(dataDir, "sandbox"));
    expect(sandboxStore.length).toBeGreaterThan(0);
    for (const text of [logs, sandboxStore]) {
      for (const card of TEST_CARDS) expect(text).not.toContain(card.number);
      expect(findCardNumbers(text)).toEqual([]);
    }
  });
});
