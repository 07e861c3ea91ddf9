import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/actors";
import { eventHash, GENESIS_HASH, toStoredJson, type HashedFields } from "@/lib/audit/chain";
import { auditSealing, SEAL_SQL, sealAuditEvents } from "@/lib/audit/sealer";
import { recordAudit, verifyAuditChain } from "@/lib/audit/service";
import { createDb, db, type Db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { loadMigrations } from "@/lib/migrations";

const postgresServer = process.env.TEST_POSTGRES_URL;
const dir = mkdtempSync(path.join(tmpdir(), "countersign-audit-"));
const clients: Db[] = [];
afterAll(async () => {
  for (const client of clients) await client.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** A Prisma client of its own on another database (here: one at an older migration). */
function clientFor(url: string): Db {
  const client = createDb(url);
  clients.push(client);
  return client;
}

/**
 * A second app instance, in its own process, started and loaded; `go()` sets it working and
 * resolves with what it printed when done.
 */
async function secondInstance(...args: string[]): Promise<{ go: () => Promise<unknown> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/audit-second-instance.ts", ...args], { env: process.env, stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = once(child, "exit");
  while (!output.includes("ready\n")) await Promise.race([once(child.stdout, "data"), exited]);
  return {
    go: async () => {
      child.stdin.end("go\n");
      const [code] = await exited;
      if (code !== 0) throw new Error(`The second instance failed (${code}): ${output}`);
      return JSON.parse(output.trim().split("\n").at(-1)!);
    },
  };
}

const record = (client: Db, subjectId: string) =>
  client.$transaction((tx) => recordAudit(tx, { actor: systemActor("test"), action: "test.event", subjectType: "test", subjectId, after: { subjectId } }), {
    maxWait: 30_000,
  });

async function expectContiguousChain(client: Db = db()) {
  const events = await client.auditEvent.findMany({ orderBy: { chainPosition: "asc" } });
  expect(events.filter((event) => event.hash === null)).toEqual([]);
  expect(events.map((event) => event.chainPosition)).toEqual(events.map((_, index) => index + 1));
  return events;
}

describe("the audit sealer", () => {
  it("reports events recorded but not sealed yet, and seals them in order", async () => {
    for (let i = 0; i < 3; i++) await record(db(), `early-${i}`);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, sealed: 0, unsealed: 3, checked: 0 });
    expect(await sealAuditEvents()).toEqual({ sealed: 3, position: 3 });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, sealed: 3, unsealed: 0, checked: 3 });
    const events = await expectContiguousChain();
    expect(events.map((event) => event.subjectId)).toEqual(["early-0", "early-1", "early-2"]);
  });

  it("loses and duplicates no position when many writers in two instances record at once", async () => {
    const before = await db().auditEvent.count();
    const other = await secondInstance("record", "40");
    await Promise.all([other.go(), ...Array.from({ length: 40 }, (_, i) => record(db(), `concurrent-${i}`))]);
    expect(await db().auditEvent.count()).toBe(before + 80);
    expect(await sealAuditEvents()).toMatchObject({ sealed: 80, position: before + 80 });
    const events = await expectContiguousChain();
    expect(new Set(events.map((event) => `${event.actorLabel}/${event.subjectId}`)).size).toBe(events.length);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, sealed: before + 80, unsealed: 0 });
  });

  it("is idempotent, and two sealers in two instances at once neither fork nor re-seal the chain", async () => {
    const before = await db().auditEvent.count();
    // More than one sealer batch, written in one go.
    await db().auditEvent.createMany({
      data: Array.from({ length: 1200 }, (_, i) => ({ actorType: "system" as const, actorLabel: "system (test)", action: "test.bulk", subjectType: "test", subjectId: `bulk-${i}` })),
    });
    const other = await secondInstance("seal");
    const [theirs, ours] = (await Promise.all([other.go(), sealAuditEvents(db())])) as [{ sealed: number }, { sealed: number }];
    expect(theirs.sealed + ours.sealed).toBe(1200);
    await expectContiguousChain();
    expect(await sealAuditEvents()).toEqual({ sealed: 0, position: before + 1200 });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, sealed: before + 1200 });
  });

  it("re-hashes on the audit page only what was sealed since the last verification", async () => {
    const verified = await verifyAuditChain();
    for (let i = 0; i < 4; i++) await record(db(), `later-${i}`);
    expect(await verifyAuditChain({ from: "checkpoint" })).toMatchObject({ ok: true, sealed: verified.sealed, unsealed: 4, checked: 1 });
    await sealAuditEvents();
    // The last verified event again, and the four sealed since.
    expect(await verifyAuditChain({ from: "checkpoint" })).toMatchObject({ ok: true, sealed: verified.sealed + 4, unsealed: 0, checked: 5 });
    expect(await verifyAuditChain({ from: "checkpoint" })).toMatchObject({ ok: true, checked: 1 });
  });

  it.runIf(databaseProvider() === "sqlite")("finds each event of a batch by its id, however many wait (SQLite's plan)", async () => {
    // Driven from the events instead, the update walked every unsealed event and read the whole batch for each.
    const plan = await db().$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${SEAL_SQL.sqlite}`, "[]");
    const steps = plan.map((step) => step.detail);
    expect(steps).toContain("SEARCH AuditEvent USING INTEGER PRIMARY KEY (rowid=?)");
    expect(steps.filter((step) => step.startsWith("SCAN AuditEvent"))).toEqual([]);
  });

  it("runs as the worker's audit-seal job", async () => {
    for (let i = 0; i < 3; i++) await record(db(), `job-${i}`);
    expect((await verifyAuditChain({ from: "checkpoint" })).unsealed).toBe(3);
    await auditSealing.send({});
    expect(await auditSealing.drain()).toBeGreaterThanOrEqual(1);
    expect(await verifyAuditChain({ from: "checkpoint" })).toMatchObject({ ok: true, unsealed: 0 });
  });

  it.runIf(databaseProvider() === "postgresql")("lets writers commit while another writer's transaction is still open, and chains a late commit after", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let recorded!: () => void;
    const slowRecorded = new Promise<void>((resolve) => (recorded = resolve));
    const slow = db().$transaction(
      async (tx) => {
        await recordAudit(tx, { actor: systemActor("test"), action: "test.slow", subjectType: "test", subjectId: "slow" });
        recorded();
        await held;
      },
      { timeout: 60_000 },
    );
    await slowRecorded;
    // With a lock on the write path this would wait for the slow transaction, which waits for it.
    await record(db(), "fast");
    await sealAuditEvents();
    const fast = await db().auditEvent.findFirstOrThrow({ where: { subjectId: "fast" } });
    expect(fast.hash).not.toBeNull();
    release();
    await slow;
    await sealAuditEvents();
    const late = await db().auditEvent.findFirstOrThrow({ where: { subjectId: "slow" } });
    expect(late.id).toBeLessThan(fast.id);
    expect(late.chainPosition).toBe(fast.chainPosition! + 1);
    await expectContiguousChain();
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });
});

describe("migrating an audit chain written before sealing (0007_audit_sequence)", () => {
  /** A database at migration 0006, as a deployment of the previous version left it. */
  async function previousVersionDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
    const provider = databaseProvider();
    const older = loadMigrations(provider).filter((migration) => migration.name < "0007");
    if (provider === "sqlite") {
      const url = `file:${path.join(dir, "previous.db")}`;
      const connection = new Database(path.join(dir, "previous.db"));
      connection.exec(`CREATE TABLE "_countersign_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      for (const migration of older) {
        connection.exec(migration.sql);
        connection.prepare(`INSERT INTO "_countersign_migrations" VALUES (?, ?, ?)`).run(migration.name, migration.checksum, new Date().toISOString());
      }
      connection.close();
      return { url, close: async () => undefined };
    }
    const name = `countersign_previous_${randomBytes(5).toString("hex")}`;
    const server = new pg.Client({ connectionString: postgresServer });
    await server.connect();
    await server.query(`CREATE DATABASE "${name}"`);
    const url = new URL(postgresServer!);
    url.pathname = `/${name}`;
    const connection = new pg.Client({ connectionString: url.toString() });
    await connection.connect();
    await connection.query(`CREATE TABLE "_countersign_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
    for (const migration of older) {
      await connection.query(migration.sql);
      await connection.query(`INSERT INTO "_countersign_migrations" VALUES ($1, $2, now())`, [migration.name, migration.checksum]);
    }
    await connection.end();
    return {
      url: url.toString(),
      close: async () => {
        await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await server.end();
      },
    };
  }

  it("keeps every old hash valid, numbers the old chain in id order and seals new events after it", async () => {
    const previous = await previousVersionDatabase();
    const client = clientFor(previous.url);
    try {
      // The previous version's writer: each event hashed onto the one before as it was inserted.
      let prevHash = GENESIS_HASH;
      const rows = [];
      for (const [index, after] of [{ value: 1 }, null, { ece: 0.1 + 0.2, p: 0.02500000000000002 }, { nested: { b: 2, a: [1, "x"] } }].entries()) {
        const fields: HashedFields = {
          at: new Date(Date.UTC(2026, 0, 1, 12, index)),
          actorType: "system",
          actorId: null,
          actorLabel: "system (previous version)",
          action: "test.old",
          subjectType: "test",
          subjectId: `old-${index}`,
          projectId: null,
          before: null,
          after: toStoredJson(after),
          reason: index === 1 ? "why" : null,
        };
        const hash = eventHash(prevHash, fields);
        rows.push({ ...fields, before: undefined, after: fields.after ?? undefined, prevHash, hash });
        prevHash = hash;
      }
      // createMany returns nothing, so the new client can write to the old table's columns.
      await client.auditEvent.createMany({ data: rows });

      const { migrate } = await import("@/lib/migrations");
      expect(await migrate(previous.url)).toContain("0007_audit_sequence");
      const migrated = await client.auditEvent.findMany({ orderBy: { id: "asc" } });
      expect(migrated.map((event) => [event.chainPosition, event.hash])).toEqual(rows.map((row, index) => [index + 1, row.hash]));
      expect(await verifyAuditChain({ client })).toMatchObject({ ok: true, sealed: 4, unsealed: 0, checked: 4 });

      await record(client, "new");
      expect(await sealAuditEvents(client)).toEqual({ sealed: 1, position: 5 });
      expect(await verifyAuditChain({ client })).toMatchObject({ ok: true, sealed: 5 });
      await expect(client.auditEvent.update({ where: { id: migrated[0].id }, data: { reason: "rewritten" } })).rejects.toThrow();
    } finally {
      await client.$disconnect();
      await previous.close();
    }
  });
});
