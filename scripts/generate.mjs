// Generates the two Prisma clients from the one schema: SQLite (the embedded default) and
// PostgreSQL (the same models, provider swapped). Runs on `npm install`.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { derivePostgresSchema } from "./postgres-schema.mjs";

const root = path.resolve(import.meta.dirname, "..");
const sqliteSchema = path.join(root, "prisma", "schema.prisma");
const postgresSchema = path.join(root, "lib", "generated", "schema.postgresql.prisma");

mkdirSync(path.dirname(postgresSchema), { recursive: true });
writeFileSync(postgresSchema, derivePostgresSchema(readFileSync(sqliteSchema, "utf8")));

const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(process.execPath, [prisma, "generate", "--schema", schema], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}
console.log("Generated the SQLite and PostgreSQL Prisma clients.");
