import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { columnOf } from "@/lib/db/sql";

/**
 * transition() writes the fields a caller sets as `columnOf(field)` in plain SQL (lib/db/sql.ts): a
 * field mapped to a column of another name would be written to a column that does not exist, and the
 * status change would fail. Every scalar field of every model must map to its snake_case name.
 */
const schema = readFileSync(path.resolve(import.meta.dirname, "../../../prisma/schema.prisma"), "utf8");

describe("columns in plain SQL", () => {
  it("every field's column is its snake_case name", () => {
    const models = new Set([...schema.matchAll(/^model (\w+) \{/gm)].map(([, name]) => name));
    const fields = [...schema.matchAll(/^model \w+ \{([\s\S]*?)^\}/gm)].flatMap(([, body]) =>
      body!
        .split("\n")
        .map((line) => /^\s+(\w+)\s+(\w+)\S*(.*)$/.exec(line))
        // Relations (a model as the type) have no column.
        .filter((match): match is RegExpExecArray => match !== null && !models.has(match[2]!))
        .map((match) => ({ field: match[1]!, column: /@map\("([^"]+)"\)/.exec(match[3]!)?.[1] ?? match[1]! })),
    );
    expect(fields.length).toBeGreaterThan(100);
    expect(fields.filter(({ field, column }) => columnOf(field) !== column)).toEqual([]);
  });
});
