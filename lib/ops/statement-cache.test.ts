import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { ArgType, SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { beginTransactionsImmediately, reusePreparedStatements } from "./statement-cache";

const text: ArgType = { scalarType: "string", arity: "scalar" };
const int: ArgType = { scalarType: "int", arity: "scalar" };
const query = (sql: string, args: unknown[] = [], argTypes: ArgType[] = args.map(() => text)) => ({ sql, args, argTypes });

describe("the SQLite connection's prepared statements", () => {
  let dir: string;
  let adapter: SqlDriverAdapter;
  let prepared: string[];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "countersign-statements-"));
    prepared = [];
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, "prepare").mockImplementation(function (this: Database.Database, source: string) {
      prepared.push(source);
      return prepare.call(this, source);
    } as typeof prepare);
    adapter = await new PrismaBetterSQLite3({ url: path.join(dir, "cache.db") }).connect();
    // This fails when a new adapter version no longer keeps its connection where the cache looks for it.
    expect(reusePreparedStatements(adapter)).toBe(true);
    await adapter.executeScript(`CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL UNIQUE)`);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await adapter.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prepares a statement once and runs it with each call's own arguments", async () => {
    const insert = `INSERT INTO "Note" ("id", "text") VALUES (?, ?)`;
    for (const [id, words] of [[1, "first"], [2, "second"], [3, "third"]] as const) {
      expect(await adapter.executeRaw(query(insert, [id, words], [int, text]))).toBe(1);
    }
    const select = `SELECT "id", "text" FROM "Note" WHERE "id" >= ? ORDER BY "id"`;
    // The adapter gives 64-bit integers as text; the cache changes nothing of what it gives.
    expect((await adapter.queryRaw(query(select, [2], [int]))).rows).toEqual([["2", "second"], ["3", "third"]]);
    const all = await adapter.queryRaw(query(select, [1], [int]));
    const uncached = await new PrismaBetterSQLite3({ url: path.join(dir, "cache.db") }).connect();
    expect(all).toEqual(await uncached.queryRaw(query(select, [1], [int])));
    await uncached.dispose();
    expect(all.rows).toEqual([["1", "first"], ["2", "second"], ["3", "third"]]);

    expect(prepared.filter((source) => source === insert)).toHaveLength(1);
    // Once by the cached connection, once by the uncached one.
    expect(prepared.filter((source) => source === select)).toHaveLength(2);
  });

  it("keeps the adapter's errors: a broken constraint is still a unique violation", async () => {
    const insert = `INSERT INTO "Note" ("id", "text") VALUES (?, ?)`;
    await adapter.executeRaw(query(insert, [1, "same"], [int, text]));
    await expect(adapter.executeRaw(query(insert, [2, "same"], [int, text]))).rejects.toMatchObject({ cause: { kind: "UniqueConstraintViolation" } });
    // The statement that failed runs again with other arguments.
    expect(await adapter.executeRaw(query(insert, [2, "other"], [int, text]))).toBe(1);
  });

  it("runs statements that read nothing through the reading path (a transaction's BEGIN, a write)", async () => {
    expect((await adapter.queryRaw(query(`UPDATE "Note" SET "text" = 'x' WHERE "id" = ?`, [9], [int]))).rows).toEqual([]);
    const transaction = await adapter.startTransaction();
    await transaction.executeRaw(query(`INSERT INTO "Note" ("id", "text") VALUES (?, ?)`, [5, "in a transaction"], [int, text]));
    await transaction.executeRaw(query("ROLLBACK"));
    await transaction.rollback();
    expect((await adapter.queryRaw(query(`SELECT COUNT(*) AS n FROM "Note"`))).rows).toEqual([["0"]]);
  });

  it("reads a statement's columns once, until the schema changes, from any connection", async () => {
    const statementPrototype = Object.getPrototypeOf(new Database(":memory:").prepare("SELECT 1")) as Database.Statement;
    const columns = vi.spyOn(statementPrototype, "columns");
    const select = `SELECT * FROM "Note" ORDER BY "id"`;
    await adapter.executeRaw(query(`INSERT INTO "Note" ("id", "text") VALUES (1, 'first')`));
    for (let n = 0; n < 3; n += 1) expect((await adapter.queryRaw(query(select))).columnNames).toEqual(["id", "text"]);
    expect(columns).toHaveBeenCalledTimes(1);

    // Another connection adds a column: SQLite reports a prepared statement's old columns until it runs again.
    const other = new Database(path.join(dir, "cache.db"));
    other.exec(`ALTER TABLE "Note" ADD COLUMN "done" INTEGER NOT NULL DEFAULT 0`);
    other.close();
    // A statement new to the cache, and one it kept, both see the column.
    expect((await adapter.queryRaw(query(`SELECT * FROM "Note" WHERE "id" > 0`))).columnNames).toEqual(["id", "text", "done"]);
    const after = await adapter.queryRaw(query(select));
    expect(after.columnNames).toEqual(["id", "text", "done"]);
    expect(after.rows).toEqual([["1", "first", "0"]]);
    expect(prepared.filter((source) => source === select)).toHaveLength(2);
  });

  it("keeps a bounded number of statements, dropping the least recently used", async () => {
    const distinct = (n: number) => `SELECT ${n} AS n`;
    await adapter.queryRaw(query(distinct(0)));
    for (let n = 1; n <= 1000; n += 1) {
      await adapter.queryRaw(query(distinct(n)));
      // Statement 0 stays in use, so the ones between make room by leaving.
      if (n % 100 === 0) await adapter.queryRaw(query(distinct(0)));
    }
    expect(prepared.filter((source) => source === distinct(0))).toHaveLength(1);
    await adapter.queryRaw(query(distinct(1)));
    expect(prepared.filter((source) => source === distinct(1))).toHaveLength(2);
  });
});

describe("a transaction while another process holds the write lock", () => {
  /** Another process takes the write lock, says so, and lets it go after `ms`. */
  async function lockedByAnotherProcess(file: string, ms: number): Promise<{ released: Promise<unknown> }> {
    const script = `const db = new (require("better-sqlite3"))(${JSON.stringify(file)}); db.exec("BEGIN IMMEDIATE"); console.log("locked"); setTimeout(() => { db.exec("ROLLBACK"); db.close(); }, ${ms});`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await once(child.stdout, "data");
    return { released: once(child, "exit") };
  }

  it("waits for the lock and commits, though it reads before it writes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "countersign-begin-"));
    const file = path.join(dir, "lock.db");
    const setup = new Database(file);
    setup.pragma("journal_mode = WAL");
    setup.exec(`CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL)`);
    setup.close();
    const adapter = await new PrismaBetterSQLite3({ url: file, timeout: 10_000 }).connect();
    reusePreparedStatements(adapter);
    expect(beginTransactionsImmediately(adapter)).toBe(true);
    try {
      const { released } = await lockedByAnotherProcess(file, 300);
      // A deferred BEGIN would read at the lock holder's snapshot, then fail the write with SQLITE_BUSY at once.
      const transaction = await adapter.startTransaction();
      const before = await transaction.queryRaw(query(`SELECT COUNT(*) AS n FROM "Note"`));
      await transaction.executeRaw(query(`INSERT INTO "Note" ("id", "text") VALUES (1, 'after the wait')`));
      await transaction.executeRaw(query("COMMIT"));
      await transaction.commit();
      await released;
      expect(before.rows).toEqual([["0"]]);
      expect((await adapter.queryRaw(query(`SELECT "text" FROM "Note"`))).rows).toEqual([["after the wait"]]);
    } finally {
      await adapter.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
