// `npm run db:new-migration -- <name>`: writes the SQL that takes the committed schema
// (git HEAD) to the edited prisma/schema.prisma, for SQLite and for PostgreSQL, as the next
// numbered migration. Review the SQL, then commit it with the schema change.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { derivePostgresSchema } from "./postgres-schema.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:new-migration -- <name_in_snake_case>");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const work = mkdtempSync(path.join(tmpdir(), "countersign-migration-"));
const current = readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
const committed = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: root, encoding: "utf8" });

function nextMigrationNumber() {
  const numbers = ["sqlite", "postgresql"].flatMap((provider) => readdirSync(path.join(root, "prisma", "migrations", provider)).map((entry) => Number.parseInt(entry, 10) || 0));
  return Math.max(0, ...numbers) + 1;
}

// After the highest number in either folder, the same for both: PostgreSQL has no migration where SQLite needs one of its own (0008_jobs), so counting would reuse a number.
const number = String(nextMigrationNumber()).padStart(4, "0");

try {
  const variants = {
    sqlite: [committed, current],
    postgresql: [derivePostgresSchema(committed), derivePostgresSchema(current)],
  };
  for (const [provider, [from, to]] of Object.entries(variants)) {
    const fromFile = path.join(work, `${provider}-from.prisma`);
    const toFile = path.join(work, `${provider}-to.prisma`);
    writeFileSync(fromFile, from);
    writeFileSync(toFile, to);
    const sql = execFileSync(
      process.execPath,
      [prisma, "migrate", "diff", "--from-schema-datamodel", fromFile, "--to-schema-datamodel", toFile, "--script"],
      { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    if (!sql.trim() || sql.includes("This is an empty migration")) {
      console.log(`${provider}: the schema did not change; nothing written.`);
      continue;
    }
    const dir = path.join(root, "prisma", "migrations", provider);
    const target = path.join(dir, `${number}_${name}`);
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, "migration.sql"), sql);
    console.log(`${provider}: wrote ${path.relative(root, target)}/migration.sql`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
