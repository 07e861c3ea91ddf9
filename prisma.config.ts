import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The Prisma CLI is used offline for `generate` and `migrate diff` only: migrations are applied
// by lib/db/migrate.ts. The JS schema engine needs an adapter even when it never connects.
process.env.DATABASE_URL ??= "file:./data/countersign.db";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url: ":memory:" }),
});
