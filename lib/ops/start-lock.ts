import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { processIsAlive } from "@/lib/jobs/worker-id";

/**
 * Keeps `npm start` processes in one folder from pulling the build out from under each other.
 * Each start records itself (pid, the server's pid, port) in data/run/; the build step takes an
 * exclusive lock file. `next build` replaces .next/ in place, so it only runs when no other live
 * server uses this folder's build; a start that finds the build current reuses it.
 */
/** `serving`: past the build step, so it uses .next/ (set before the build lock is released). */
export type ServerRecord = { pid: number; serverPid?: number; port: number; hostname: string; database: string; phase: "starting" | "serving"; since: string };

export function runDir(root: string): string {
  return path.join(root, "data", "run");
}

function isAlive(pid: number | undefined): boolean {
  return pid !== undefined && pid > 0 && processIsAlive(pid);
}

/** The other starts and servers alive in this folder; records of dead ones are removed. */
export function liveServers(root: string, self = process.pid): ServerRecord[] {
  const dir = runDir(root);
  if (!existsSync(dir)) return [];
  const live: ServerRecord[] = [];
  for (const name of readdirSync(dir).filter((file) => /^\d+\.json$/.test(file))) {
    const file = path.join(dir, name);
    let record: ServerRecord;
    try {
      record = JSON.parse(readFileSync(file, "utf8")) as ServerRecord;
    } catch {
      continue;
    }
    if (record.pid === self) continue;
    if (isAlive(record.pid) || isAlive(record.serverPid)) live.push(record);
    else rmSync(file, { force: true });
  }
  return live;
}

let removeOnExit = false;

/** Writes (or updates) this process's record; it is removed when the process exits. */
export function recordServer(root: string, record: Omit<ServerRecord, "pid" | "since">): void {
  const dir = runDir(root);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}.json`);
  const full: ServerRecord = { pid: process.pid, since: new Date().toISOString(), ...record };
  writeFileSync(file, JSON.stringify(full));
  if (!removeOnExit) process.once("exit", () => rmSync(file, { force: true }));
  removeOnExit = true;
}

export function describeServer(server: ServerRecord): string {
  const pids = server.serverPid ? `pid ${server.pid}, server pid ${server.serverPid}` : `pid ${server.pid}`;
  return `${server.phase === "serving" ? "serving" : "starting"} on port ${server.port} (${pids}, database ${server.database}, since ${server.since})`;
}

export type BuildDecision = { action: "reuse" } | { action: "build" } | { action: "refuse"; reason: string };

/** Rebuild only when the build is stale and no other live server uses it. */
export function decideBuild(buildIsCurrent: boolean, servers: ServerRecord[]): BuildDecision {
  if (buildIsCurrent) return { action: "reuse" };
  // A start still before its build step does not use the build yet.
  const others = servers.filter((server) => server.phase === "serving");
  if (others.length === 0) return { action: "build" };
  return {
    action: "refuse",
    reason:
      `The code changed since the last build, and rebuilding would replace the build under another server in this folder:\n` +
      others.map((server) => `  ${describeServer(server)}`).join("\n") +
      `\nStop it (kill ${others.map((server) => server.pid).join(" ")}) and run npm start again.`,
  };
}

/**
 * Takes the build lock, waiting while another live start holds it (it is building; its result
 * may be current for us too). Returns the release function.
 */
export async function acquireBuildLock(root: string, onWait: (holder: number) => void): Promise<() => void> {
  const file = path.join(runDir(root), "build.lock");
  mkdirSync(path.dirname(file), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(file, { force: true });
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const content = readFileSync(file, "utf8");
    const holder = Number(content);
    // An empty file is a lock being taken this instant: its pid follows.
    if (content !== "" && !isAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (!announced && content !== "") {
      onWait(holder);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
