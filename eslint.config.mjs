import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

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
    // Only lib/env.ts reads the environment (scripts, configs and the sandbox's own config excepted).
    files: ["app/**", "components/**", "lib/**"],
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
  globalIgnores([".next/**", ".next-*/**", "node_modules/**", "data/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
]);
