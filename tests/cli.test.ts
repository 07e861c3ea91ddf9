import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { acquireBuildLock, decideBuild, liveServers, runDir, type ServerRecord } from "@/lib/ops/start-lock";
import { actorFromToken } from "@/lib/tokens/service";
import { makeUser } from "./helpers";

const run = promisify(execFile);

/** The CLI as automation calls it: a child process on the same database (DATABASE_URL is inherited). */
function cli(...args: string[]) {
  return run(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: process.env });
}

describe("the operator CLI", () => {
  it("creates a token and prints it alone on the last line", async () => {
    const user = await makeUser("automation@cli.test");
    const { stdout } = await cli("tokens", "create", "--email", "automation@cli.test", "--name", "deploys");
    const token = stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^cs_[A-Za-z0-9_-]{40,}$/);
    expect(await actorFromToken(token)).toMatchObject({ type: "token", userId: user.userId });
  });

  it("fails with a clear message and a non-zero exit for an unknown email", async () => {
    const failure = await cli("tokens", "create", "--email", "nobody@cli.test").catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("nobody@cli.test was not found");
  });

  it("creates the first admin of a deployment without a demo", async () => {
    const { stdout } = await cli("users", "create", "--email", "first@cli.test", "--name", "First Admin", "--admin");
    expect(stdout).toContain("Created admin first@cli.test.");
    expect(stdout).toMatch(/Password \(shown only this once\): \S{12,}/);
  });
});

/** A start record as another live `npm start` in the folder leaves it. */
function serverRecord(root: string, record: Partial<ServerRecord> & { pid: number; port: number }): string {
  mkdirSync(runDir(root), { recursive: true });
  const file = path.join(runDir(root), `${record.pid}.json`);
  const full: ServerRecord = { hostname: "127.0.0.1", database: "file:./data/other.db", phase: "serving", since: new Date().toISOString(), ...record };
  writeFileSync(file, JSON.stringify(full));
  return file;
}

describe("npm start next to a running server", () => {
  it("says which process has the port and exits 1, before migrating or building anything", async () => {
    // This test process stands in for the live server; the port is one nothing else uses.
    const port = 40_000 + (process.pid % 20_000);
    const record = serverRecord(process.cwd(), { pid: process.pid, port });
    try {
      const failure = await run(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
        env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1" },
        timeout: 30_000,
      }).then(() => null, (error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({ code: 1 });
      expect(failure?.stderr).toContain(`serving on port ${port} (pid ${process.pid}`);
      expect(failure?.stderr).toContain(`kill ${process.pid}`);
    } finally {
      rmSync(record, { force: true });
    }
  });

  it("reuses a current build, builds a stale one only when no live server uses it, and refuses otherwise", () => {
    const serving = { pid: 1, port: 3000, hostname: "0.0.0.0", database: "file:x", phase: "serving", since: "" } as const;
    expect(decideBuild(true, [serving])).toEqual({ action: "reuse" });
    expect(decideBuild(false, [])).toEqual({ action: "build" });
    expect(decideBuild(false, [{ ...serving, phase: "starting" }])).toEqual({ action: "build" });
    const refusal = decideBuild(false, [serving]);
    expect(refusal).toMatchObject({ action: "refuse" });
    expect(refusal.action === "refuse" && refusal.reason).toContain("kill 1");
  });

  it("forgets records of processes that are gone, and waits for a live build to finish", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "countersign-start-"));
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      serverRecord(root, { pid: 2 ** 22 + 1, port: 3001 });
      serverRecord(root, { pid: sleeper.pid!, port: 3002 });
      expect(liveServers(root).map((server) => server.port)).toEqual([3002]);

      writeFileSync(path.join(runDir(root), "build.lock"), String(sleeper.pid));
      const waitedFor: number[] = [];
      const acquired = acquireBuildLock(root, (holder) => {
        waitedFor.push(holder);
        sleeper.kill();
      });
      const release = await acquired;
      expect(waitedFor).toEqual([sleeper.pid]);
      release();
    } finally {
      sleeper.kill();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
