import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

/**
 * Every integration test file gets its own fresh database with all migrations applied: a
 * SQLite file by default, or a new PostgreSQL database on the server TEST_POSTGRES_URL names.
 * Files run in parallel without seeing each other's rows.
 */
const postgresServer = process.env.TEST_POSTGRES_URL;
const dir = mkdtempSync(path.join(tmpdir(), "countersign-test-"));
const postgresDatabase = `countersign_test_${randomBytes(6).toString("hex")}`;

function postgresUrl(database: string): string {
  const url = new URL(postgresServer!);
  url.pathname = `/${database}`;
  return url.toString();
}

process.env.DATABASE_URL = postgresServer ? postgresUrl(postgresDatabase) : `file:${path.join(dir, "test.db")}`;
process.env.DEMO = "0";
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresServer });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (postgresServer) await onServer(`CREATE DATABASE "${postgresDatabase}"`);
  const { migrate } = await import("@/lib/migrations");
  await migrate();
});

afterAll(async () => {
  // Job workers and pg-boss's pool let go before the database does.
  await (await import("@/lib/jobs")).stopJobs();
  const { disconnectDb } = await import("@/lib/db");
  await disconnectDb();
  if (postgresServer) await onServer(`DROP DATABASE IF EXISTS "${postgresDatabase}" WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});
