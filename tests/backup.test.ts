import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { insertProject } from "@/lib/projects/service";
import { makeUser } from "./helpers";

const run = promisify(execFile);
type Failure = { code: number; stdout: string; stderr: string };

/** The CLI as an operator runs it: its own process, on the database DATABASE_URL names. */
function cli(args: string[], databaseUrl = process.env.DATABASE_URL!) {
  return run(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } });
}

const failureOf = (work: Promise<unknown>) => work.then(() => null, (error: Failure) => error);

const postgres = Boolean(process.env.TEST_POSTGRES_URL);
const dir = mkdtempSync(path.join(tmpdir(), "countersign-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(postgres)("backup and restore (SQLite)", () => {
  it("backs up while the app writes, restores into a fresh path, and the audit chain verifies there", async () => {
    const owner = await makeUser("backup-owner@backup.test");
    for (let i = 0; i < 5; i++) await insertProject(owner, { name: `Before ${i}`, brief: "" });
    const before = await db().project.count();

    // Writes keep landing (each with its audit event) while the other process copies.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await insertProject(owner, { name: `During ${written++}`, brief: "x".repeat(2000) });
        // SQLite answers without I/O waits; let the event loop see the CLI process end.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const file = path.join(dir, "live.db");
    const { stdout } = await cli(["backup", file]).finally(() => (writing = false));
    await writer;
    expect(stdout).toMatch(/Backed up to .*live\.db \(\d+ bytes, \d+ migrations\)/);
    expect(written).toBeGreaterThan(0);

    const fresh = `file:${path.join(dir, "restored", "countersign.db")}`;
    const restored = await cli(["restore", file], fresh);
    expect(restored.stdout).toContain("Restored");
    expect(restored.stdout).toMatch(/Audit trail intact: \d+ events verified\./);
    expect((await cli(["audit", "verify"], fresh)).stdout).toMatch(/Audit trail intact/);

    const copy = new Database(path.join(dir, "restored", "countersign.db"), { readonly: true });
    const { count } = copy.prepare("SELECT count(*) AS count FROM Project").get() as { count: number };
    copy.close();
    expect(count).toBeGreaterThanOrEqual(before);
    expect(count).toBeLessThanOrEqual(before + written);
  });

  it("refuses to restore over a database that a running process has open", async () => {
    const file = path.join(dir, "for-refusal.db");
    await cli(["backup", file]);
    // This test process holds the database open, as a server would.
    await db().user.count();
    const failure = await failureOf(cli(["restore", file]));
    expect(failure).toMatchObject({ code: 1 });
    expect(failure?.stderr).toContain(`is open in process ${process.pid}`);
  });

  it("refuses files that are not Countersign databases, and never overwrites a backup", async () => {
    const notSqlite = path.join(dir, "notes.txt");
    writeFileSync(notSqlite, "just some text, long enough to not be mistaken for an empty database file".repeat(20));
    const otherApp = path.join(dir, "other.db");
    const other = new Database(otherApp);
    other.exec("CREATE TABLE things (id INTEGER PRIMARY KEY)");
    other.close();
    const fresh = `file:${path.join(dir, "untouched", "countersign.db")}`;

    expect((await failureOf(cli(["restore", notSqlite], fresh)))?.stderr).toMatch(/not a SQLite database|cannot be opened/);
    expect((await failureOf(cli(["restore", otherApp], fresh)))?.stderr).toContain("is not a Countersign database");
    expect((await failureOf(cli(["backup", otherApp])))?.stderr).toContain("already exists");
  });
});

describe.skipIf(!postgres)("backup on PostgreSQL", () => {
  it("explains how to use pg_dump and pg_restore instead", async () => {
    const failure = await failureOf(cli(["backup", path.join(dir, "pg.db")]));
    expect(failure).toMatchObject({ code: 1 });
    expect(failure?.stderr).toContain('pg_dump --format=custom --file=countersign.dump "$DATABASE_URL"');
    expect(failure?.stderr).toContain("pg_restore");
  });
});
