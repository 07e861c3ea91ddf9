import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { systemActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { sumCosts } from "@/lib/models/pricing";
import { transact } from "@/lib/transaction";
import { refitStaleCalibrations } from "@/lib/learning/calibration";
import { pipelineFor } from "./pipelines";
import { modelSteps } from "./steps";
import { LeaseLostError, renewLease, type RunContext } from "./step-runner";

/**
 * Runs are durable jobs in the database. A worker (in the server process, or a separate
 * process) claims a queued run, or a running one whose lease expired because its worker died,
 * with a compare-and-set update, keeps the lease alive while it works, and lets go when the
 * run waits for people, completes or fails.
 */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * After a restart, runs leased by a worker of this machine whose process is gone are released
 * at once instead of waiting for their lease to expire. Returns how many were released.
 */
export async function releaseLeasesOfDeadLocalWorkers(): Promise<number> {
  const prefix = `${hostname()}:`;
  const leased = await db().run.findMany({
    where: { status: "running", leaseOwner: { startsWith: prefix } },
    select: { id: true, leaseOwner: true },
  });
  let released = 0;
  for (const run of leased) {
    const pid = Number(run.leaseOwner!.slice(prefix.length).split(":")[0]);
    if (!Number.isInteger(pid) || processIsAlive(pid)) continue;
    const { count } = await db().run.updateMany({
      where: { id: run.id, leaseOwner: run.leaseOwner },
      data: { leaseExpiresAt: new Date(0) },
    });
    released += count;
  }
  return released;
}

const claimable = (now: Date) => ({
  OR: [{ status: "queued" as const }, { status: "running" as const, leaseExpiresAt: { lt: now } }],
});

export async function claimRun(workerId: string, leaseMs: number): Promise<string | null> {
  const now = new Date();
  const candidates = await db().run.findMany({
    where: claimable(now),
    orderBy: { createdAt: "asc" },
    take: 5,
    select: { id: true, startedAt: true },
  });
  for (const candidate of candidates) {
    const { count } = await db().run.updateMany({
      where: { id: candidate.id, ...claimable(now) },
      data: {
        status: "running",
        leaseOwner: workerId,
        leaseExpiresAt: new Date(now.getTime() + leaseMs),
        startedAt: candidate.startedAt ?? now,
        error: null,
      },
    });
    if (count === 1) return candidate.id;
  }
  return null;
}

async function finishRun(context: RunContext, status: "waiting_review" | "completed" | "failed", error: string | null) {
  const steps = await db().stepRun.findMany({ where: { runId: context.runId }, select: { costUsd: true } });
  await transact(async (tx) => {
    const { count } = await tx.run.updateMany({
      where: { id: context.runId, leaseOwner: context.workerId },
      data: {
        status,
        error,
        costUsd: sumCosts(steps.map((s) => s.costUsd)),
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: status === "waiting_review" ? null : new Date(),
      },
    });
    if (count !== 1) throw new LeaseLostError(context.runId);
    await recordAudit(tx, {
      actor: systemActor("worker"),
      action: `run.${status}`,
      subjectType: "run",
      subjectId: context.runId,
      projectId: context.projectId,
      after: { status },
      reason: error,
    });
  });
}

/** Advances one claimed run as far as it can go without people. */
export async function advanceRun(runId: string, workerId: string, leaseMs = env().RUN_LEASE_MS): Promise<void> {
  const run = await db().run.findUniqueOrThrow({ where: { id: runId }, include: { stage: { select: { key: true } } } });
  const context: RunContext = { runId, projectId: run.projectId, stageId: run.stageId, workerId, leaseMs };
  const pipeline = pipelineFor(run.stage.key);
  const heartbeat = setInterval(() => renewLease(context).catch(() => undefined), Math.max(500, leaseMs / 3));
  try {
    if (!pipeline) throw new Error(`The ${run.stage.key} stage has no pipeline.`);
    const outcome = await pipeline.advance(context);
    await finishRun(context, outcome, null);
  } catch (error) {
    if (error instanceof LeaseLostError) return;
    await finishRun(context, "failed", error instanceof Error ? error.message : String(error)).catch((finishError) => {
      if (!(finishError instanceof LeaseLostError)) throw finishError;
    });
  } finally {
    clearInterval(heartbeat);
  }
}

/** Processes runs until none is claimable: for tests, the CLI and a worker's catch-up. */
export async function drainRuns(workerId = newWorkerId(), leaseMs = env().RUN_LEASE_MS): Promise<number> {
  let processed = 0;
  for (let runId = await claimRun(workerId, leaseMs); runId; runId = await claimRun(workerId, leaseMs)) {
    await advanceRun(runId, workerId, leaseMs);
    processed += 1;
  }
  return processed;
}

type WorkerHandle = { stop: () => Promise<void>; wake: () => void };
const globalForWorker = globalThis as unknown as { countersignWorker?: WorkerHandle };

/** Wakes the in-process worker, if this process runs one, instead of waiting for its next poll. */
export function wakeWorker(): void {
  globalForWorker.countersignWorker?.wake();
}

export function startWorker(options: { pollMs?: number; leaseMs?: number } = {}): WorkerHandle {
  if (globalForWorker.countersignWorker) return globalForWorker.countersignWorker;
  const pollMs = options.pollMs ?? env().WORKER_POLL_MS;
  const leaseMs = options.leaseMs ?? env().RUN_LEASE_MS;
  const workerId = newWorkerId();
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  const loop = (async () => {
    await releaseLeasesOfDeadLocalWorkers().catch((error) => console.error("[worker]", error));
    while (!stopped) {
      try {
        await drainRuns(workerId, leaseMs);
        // Idle time: calibration catches up with the decisions made since its last fit.
        await refitStaleCalibrations(modelSteps.map((step) => step.key));
      } catch (error) {
        console.error("[worker]", error);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  })();
  const handle: WorkerHandle = {
    wake: () => wakeUp?.(),
    stop: async () => {
      stopped = true;
      wakeUp?.();
      await loop;
      globalForWorker.countersignWorker = undefined;
    },
  };
  globalForWorker.countersignWorker = handle;
  return handle;
}
