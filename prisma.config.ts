import path from "node:path";
import { defineConfig } from "@prisma/config";

// Offline machines cannot download Prisma's native schema engine. `generate`, `validate` and
// `format` never run it, so any existing executable satisfies the CLI's start-up check.
// Migrations go through scripts/db.ts (WASM schema engine), never through `prisma migrate`.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
process.env.CHECKPOINT_DISABLE ??= "1";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
