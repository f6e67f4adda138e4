import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import boundaries from "eslint-plugin-boundaries";

/**
 * The README's layout table ("Layout (imports only point down)") as allow-lists: each folder or
 * top-level lib file and what it may import besides itself. Anything not listed is an error.
 * Keep both in step (tests/unit/lint/layering.test.ts lints throw-away imports against it).
 */
const CLIENT_SAFE = ["lib/money.ts", "lib/cards.ts", "lib/format", "lib/i18n", "lib/validation"];
const LAYOUT = [
  { path: "app", allow: ["components", "lib/*"] },
  // The bank's webhook, a Pages API route (pages/api/webhooks/bank131.ts says why).
  { path: "pages", allow: ["lib/*"] },
  // Server modules lend the UI their types only (allowTypes).
  { path: "components", allow: [...CLIENT_SAFE, "lib/payouts", "lib/bank131"], allowTypes: ["lib/events", "lib/http", "lib/generated"] },
  { path: "lib/server", allow: [...CLIENT_SAFE, "lib/payouts", "lib/jobs", "lib/http", "lib/events", "lib/db", "lib/auth", "lib/bank131", "lib/env.ts", "lib/logger.ts"] },
  { path: "lib/partner-api", allow: [...CLIENT_SAFE, "lib/payouts", "lib/http", "lib/db", "lib/generated"] },
  { path: "lib/http", allow: [...CLIENT_SAFE, "lib/payouts", "lib/events", "lib/auth", "lib/bank131", "lib/logger.ts"] },
  { path: "lib/jobs", allow: ["lib/payouts", "lib/db"] },
  { path: "lib/payouts", allow: [...CLIENT_SAFE, "lib/db", "lib/bank131", "lib/events", "lib/generated"] },
  { path: "lib/events", allow: ["lib/db"] },
  // Operator administration writes the same audit chain and events as the payout domain.
  { path: "lib/auth", allow: ["lib/db", "lib/generated", "lib/payouts", "lib/env.ts", "lib/logger.ts"], allowTypes: ["lib/events"] },
  { path: "lib/db", allow: ["lib/generated", "lib/env.ts", "lib/logger.ts"] },
  { path: "lib/logger.ts", allow: ["lib/env.ts"] },
  { path: "lib/env.ts", allow: [] },
  // The vocabulary (status labels, request numbers, Moscow time) is client-safe: it takes only types from the domain.
  { path: "lib/format", allow: ["lib/money.ts"], allowTypes: ["lib/generated", "lib/payouts"] },
  // The RU/EN catalogues run in the browser: values only from client-safe modules and the pure
  // lib/payouts/errors.ts (issue parameters), types from the HTTP contract and the domain.
  { path: "lib/i18n", allow: ["lib/money.ts", "lib/format", "lib/bank131", "lib/payouts"], allowTypes: ["lib/http"] },
  { path: "lib/validation", allow: [] },
  { path: "lib/money.ts", allow: [] },
  { path: "lib/cards.ts", allow: [] },
  { path: "lib/bank131", allow: [] },
  { path: "lib/generated", allow: [] },
  { path: "sandbox", allow: ["lib/bank131"] },
];
// The plugin's elements are folders: a top-level file (lib/money.ts) is that file of the "lib" element.
const selectorOf = (entry) => (entry.endsWith(".ts") ? { type: "lib", fileInternalPath: entry.slice("lib/".length) } : { type: entry });
const expand = (names) => names.flatMap((name) => (name.endsWith("/*") ? LAYOUT.map((entry) => entry.path).filter((path) => path.startsWith(name.slice(0, -1))) : [name]));
const LAYOUT_ELEMENTS = [
  ...LAYOUT.filter(({ path }) => !path.endsWith(".ts")).map(({ path }) => ({ type: path, pattern: path, partialMatch: false })),
  // Last, so that only the files directly in lib/ fall to it.
  { type: "lib", pattern: "lib", partialMatch: false },
];
// The partner webhook outbox (lib/payouts/partner-events.ts) fixes each event's body, the payout as the partner
// API returns it, in the transaction of the change: the domain uses that one serializer (a pure module).
const NARROW_POLICIES = [{ from: { element: { type: "lib/payouts" } }, allow: { to: { element: [{ type: "lib/partner-api", fileInternalPath: "serialize.ts" }] } } }];
const LAYOUT_POLICIES = LAYOUT.flatMap(({ path, allow, allowTypes }) => [
  { from: { element: selectorOf(path) }, allow: { to: { element: [selectorOf(path), ...expand(allow).map(selectorOf)] } } },
  ...(allowTypes ? [{ from: { element: selectorOf(path) }, allow: { to: { element: expand(allowTypes).map(selectorOf) }, dependency: { kind: "type" } } }] : []),
]);

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["app/**", "pages/**", "components/**", "lib/**", "sandbox/**"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": LAYOUT_ELEMENTS,
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          // lib/money.ts importing lib/env.ts is "internal" to the lib element: check those too.
          checkInternals: true,
          policies: [...LAYOUT_POLICIES, ...NARROW_POLICIES],
        },
      ],
    },
  },
  {
    // State changes are announced by inTransaction() after its commit, never published by hand.
    files: ["app/**", "pages/**", "components/**", "lib/**"],
    ignores: ["lib/payouts/transaction.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name='publish']:matches([object.name='events'], [object.property.name='events'])",
          message: "Emit events inside inTransaction() (lib/payouts/transaction.ts); it publishes them after the commit.",
        },
      ],
    },
  },
  {
    // Only lib/env.ts reads the environment (scripts, configs and the sandbox's own config excepted).
    files: ["app/**", "pages/**", "components/**", "lib/**"],
    ignores: ["lib/env.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read settings through lib/env.ts" }],
    },
  },
  {
    // The bank protocol library is shared with the sandbox: no portal or Next.js imports.
    files: ["lib/bank131/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["next", "next/*", "@/*", "../*", "!./*"] }],
    },
  },
  {
    files: ["sandbox/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["next", "next/*", "@/app/*", "@/components/*", "@/lib/db*", "@/lib/payouts*", "@/lib/env*", "../lib/db*", "../lib/env*", "../lib/payouts*"] }],
    },
  },
  globalIgnores([".next/**", ".next-*/**", "node_modules/**", "data/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "bench/next-floor/.next/**", "bench/next-floor/next-env.d.ts"]),
]);
