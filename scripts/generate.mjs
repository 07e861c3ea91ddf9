// Generates the two Prisma clients from the one schema: SQLite (the embedded default) and
// PostgreSQL (the same models, provider swapped). Runs on `npm install`.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const sqliteSchema = path.join(root, "prisma", "schema.prisma");
const postgresSchema = path.join(root, "lib", "generated", "schema.postgresql.prisma");

const source = readFileSync(sqliteSchema, "utf8");
const derived = source
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  // Generation never connects, but the CLI wants a URL of the right scheme.
  .replace('url      = env("DATABASE_URL")', 'url      = "postgresql://localhost/countersign"')
  .replace('output     = "../lib/generated/sqlite"', 'output     = "./postgresql"');
if (derived === source || !derived.includes('"./postgresql"')) {
  throw new Error("scripts/generate.mjs: could not derive the PostgreSQL schema; check the datasource and generator blocks.");
}
mkdirSync(path.dirname(postgresSchema), { recursive: true });
writeFileSync(postgresSchema, `// Generated from prisma/schema.prisma by scripts/generate.mjs. Do not edit.\n${derived}`);

const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(process.execPath, [prisma, "generate", "--schema", schema], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}
console.log("Generated the SQLite and PostgreSQL Prisma clients.");
