import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * Workers name themselves host:pid:random, so after a restart a worker can tell that work
 * held by a process of this machine which no longer exists can be taken over at once.
 */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/** Whether a process of this machine still runs (EPERM: it exists but belongs to someone else). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when the worker ran on this machine and its process is gone. */
export function isDeadLocalWorker(workerId: string): boolean {
  const prefix = `${hostname()}:`;
  if (!workerId.startsWith(prefix)) return false;
  const pid = Number(workerId.slice(prefix.length).split(":")[0]);
  return Number.isInteger(pid) && !processIsAlive(pid);
}

/** Only what a LIKE pattern needs to find this machine's workers. */
export function localWorkerPrefix(): string {
  return `${hostname()}:`;
}
