import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, env } from "@/lib/env";
import { sqliteFilePath } from "@/lib/db";

/**
 * Applies the committed SQL migrations (prisma/migrations/<provider>/<name>/migration.sql) in
 * order, each in a transaction, recording name and checksum. The Prisma CLI's own migrate
 * needs a downloaded engine offline, so start-up uses this instead. An edited migration that
 * was already applied stops start-up rather than drifting silently.
 */
export const MIGRATIONS_TABLE = "_countersign_migrations";

type Migration = { name: string; sql: string; checksum: string };

export function migrationsDir(provider: "sqlite" | "postgresql"): string {
  return path.join(process.cwd(), "prisma", "migrations", provider);
}

export function loadMigrations(provider: "sqlite" | "postgresql"): Migration[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function assertUnchanged(migration: Migration, appliedChecksum: string | undefined): boolean {
  if (appliedChecksum === undefined) return false;
  if (appliedChecksum !== migration.checksum) {
    throw new Error(
      `Migration ${migration.name} was changed after it was applied. Add a new migration instead of editing an applied one.`,
    );
  }
  return true;
}

/** Returns the names of the migrations it applied. */
export async function migrate(url = env().DATABASE_URL): Promise<string[]> {
  return databaseProvider(url) === "sqlite" ? migrateSqlite(url) : migratePostgres(url);
}

function migrateSqlite(url: string): string[] {
  const connection = new Database(sqliteFilePath(url), { timeout: 10_000 });
  try {
    connection.pragma("journal_mode = WAL");
    connection.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = new Map(
      (connection.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[]).map(
        (row) => [row.name, row.checksum],
      ),
    );
    const done: string[] = [];
    for (const migration of loadMigrations("sqlite")) {
      if (assertUnchanged(migration, applied.get(migration.name))) continue;
      connection.transaction(() => {
        connection.exec(migration.sql);
        connection
          .prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`)
          .run(migration.name, migration.checksum, new Date().toISOString());
      }).immediate();
      done.push(migration.name);
    }
    return done;
  } finally {
    connection.close();
  }
}

async function migratePostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Several instances may start at once: one applies, the others wait and then find nothing to do.
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [MIGRATIONS_TABLE]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    const done: string[] = [];
    for (const migration of loadMigrations("postgresql")) {
      if (assertUnchanged(migration, applied.get(migration.name))) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES ($1, $2, now())`, [
          migration.name,
          migration.checksum,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [MIGRATIONS_TABLE]).catch(() => undefined);
    await client.end();
  }
}
