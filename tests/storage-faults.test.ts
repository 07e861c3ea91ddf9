import { execFileSync } from "node:child_process";
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { actionError, toAppError } from "@/lib/errors";
import { transact } from "@/lib/transaction";
import { api, makeCaller } from "./api/api-client";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));

/**
 * A write that the storage refuses (disk full, read-only file, a dropped connection) must answer
 * 503 storage_unavailable, leave nothing half-written and not block the writes after it. With
 * root (as in CI containers) this file's SQLite database lives on a tiny tmpfs that really fills
 * up; the other cases need no privileges.
 */
const postgres = Boolean(process.env.TEST_POSTGRES_URL);
const mountPoint = mkdtempSync(path.join(tmpdir(), "countersign-small-disk-"));

function mountSmallDisk(): boolean {
  if (postgres || process.getuid?.() !== 0) return false;
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const onSmallDisk = mountSmallDisk();
// Before setup-db's beforeAll migrates; lib/auth read the environment on import, so it is read again.
if (onSmallDisk) {
  process.env.DATABASE_URL = `file:${path.join(mountPoint, "faults.db")}`;
  resetEnvForTests();
}

afterAll(() => {
  if (onSmallDisk) execFileSync("umount", ["-l", mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

const filler = path.join(mountPoint, "filler");

/** Takes every free block of the small disk. */
function fillDisk(): void {
  const fd = openSync(filler, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}

/** Fails the test with a clear reason instead of waiting for the test timeout when a write wedges. */
function within<T>(work: Promise<T>, ms = 20_000): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer after ${ms} ms`)), ms))]);
}

const project = (name: string) => ({ json: { name, brief: "b".repeat(4000) } });

async function projectCount(token: string): Promise<number> {
  return (await api(token).ok("listProjects")).items.length;
}

describe.skipIf(!onSmallDisk)("a full disk (tmpfs)", () => {
  it("answers 503 while the disk is full, keeps nothing of the failed writes, and writes again once space is freed", async () => {
    const { token } = await makeCaller("full-disk@faults.test");
    const before = await projectCount(token);
    fillDisk();
    try {
      // Some writes may still fit (the WAL reuses its blocks; reopening after a failure checkpoints
      // it), but every answer must come, be a success or a 503, and only the successes may remain.
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 30; attempt++) {
        const answer = await within(api(token).call("createProject", project(`Full ${attempt}`)));
        if (answer.status !== 201) expect(answer.body).toMatchObject({ error: { code: "storage_unavailable" } });
        statuses.push(answer.status);
      }
      expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
      expect(statuses).toContain(503);
      const stored = statuses.filter((status) => status === 201).length;
      expect(await within(projectCount(token))).toBe(before + stored);
      rmSync(filler);
      await within(api(token).ok("createProject", project("After space was freed")));
      expect(await projectCount(token)).toBe(before + stored + 1);
    } finally {
      rmSync(filler, { force: true });
    }
  });
});

describe.skipIf(postgres)("a database file that was read-only when the connection opened", () => {
  it("refuses writes with 503 and accepts them once the file is writable again, without a restart", async () => {
    const { token } = await makeCaller("read-only@faults.test");
    const file = process.env.DATABASE_URL!.replace(/^file:/, "");
    const asRoot = process.getuid?.() === 0;
    // So that the next token sign-in wants to record when the token was last used.
    await db().apiToken.updateMany({ data: { lastUsedAt: null } });
    await disconnectDb();
    chmodSync(file, 0o444);
    // Root writes through file permissions, so the connection is opened as an unprivileged user.
    const folderMode = statSync(path.dirname(file)).mode & 0o7777;
    if (asRoot) {
      chmodSync(path.dirname(file), 0o1777);
      process.seteuid?.(65534);
    }
    try {
      // Reads go on, through the API too: recording when the token was last used is skipped, not fatal.
      expect(await within(db().project.count())).toBeGreaterThanOrEqual(0);
      expect(await within(projectCount(token))).toBeGreaterThanOrEqual(0);
      const failure = await within(api(token).call("createProject", project("While read-only")));
      expect(failure.status, JSON.stringify(failure.body)).toBe(503);
      expect(failure.body).toMatchObject({ error: { code: "storage_unavailable" } });
    } finally {
      if (asRoot) {
        process.seteuid?.(0);
        chmodSync(path.dirname(file), folderMode);
      }
      chmodSync(file, 0o644);
    }
    await within(api(token).ok("createProject", project("Writable again")));
  });
});

describe.skipIf(postgres)("a database at its size limit (SQLite max_page_count)", () => {
  it("rolls the failed write back and lets the next one through", async () => {
    const { token } = await makeCaller("page-limit@faults.test");
    const before = await projectCount(token);
    const [{ page_count: pages }] = await db().$queryRawUnsafe<{ page_count: bigint }[]>("PRAGMA page_count");
    // A per-connection limit: the connection reopened after the failure no longer has it.
    await db().$queryRawUnsafe(`PRAGMA max_page_count = ${Number(pages)}`);
    const failure = await within(api(token).call("createProject", project("Over the limit")));
    expect(failure.status, JSON.stringify(failure.body)).toBe(503);
    expect(await within(projectCount(token))).toBe(before);
    await within(api(token).ok("createProject", project("Under the limit again")));
  });
});

describe.skipIf(!postgres)("a PostgreSQL connection that dies inside a transaction", () => {
  it("answers storage_unavailable and gives the pool its connection back, however often it happens", async () => {
    const { token } = await makeCaller("dropped@faults.test");
    // More than the pool's 10 connections: a leaked one per failure would wedge the last ones.
    for (let i = 0; i < 12; i++) {
      const error = await within(transact((tx) => tx.$queryRawUnsafe("SELECT pg_terminate_backend(pg_backend_pid())")).then(() => null, (e: unknown) => e));
      expect(toAppError(error)).toMatchObject({ code: "storage_unavailable", status: 503 });
    }
    await within(api(token).ok("createProject", project("After the drops")));
  });
});

describe("the error a storage failure becomes", () => {
  it("is storage_unavailable (503) for the API and for server actions alike", () => {
    const sqliteFull = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    const pgDiskFull = { name: "DriverAdapterError", cause: { kind: "postgres", code: "53100", message: "could not extend file" } };
    const unreachable = { code: "P1001", message: "Can't reach database server" };
    for (const error of [sqliteFull, pgDiskFull, unreachable]) {
      expect(toAppError(error)).toMatchObject({ code: "storage_unavailable", status: 503 });
      expect(actionError(error)).toMatchObject({ ok: false, error: { code: "storage_unavailable" } });
    }
    expect(toAppError(Object.assign(new Error("UNIQUE"), { code: "P2002" })).code).toBe("conflict");
  });
});
