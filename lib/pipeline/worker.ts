import { z } from "zod";
import { systemActor } from "@/lib/actors";
import { artifactRedraft } from "@/lib/artifacts/reject-redraft";
import { auditSealing } from "@/lib/audit/sealer";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { defineQueue, notifyQueue, startQueueWorkers, stopJobs } from "@/lib/jobs";
import { isDeadLocalWorker, localWorkerPrefix, newWorkerId } from "@/lib/jobs/worker-id";
import { refitStaleCalibrations } from "@/lib/learning/calibration";
import { log, withLogContext } from "@/lib/log";
import { notificationQueues, scheduleDailyDigest } from "@/lib/notifications/digest";
import { notify } from "@/lib/notifications/notify";
import { sumCosts } from "@/lib/models/pricing";
import { slaSweep } from "@/lib/sla/service";
import { BudgetExceeded } from "@/lib/runtime/contracts";
import { stageLabels } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { webhookDeliveryQueue } from "@/lib/webhooks/delivery";
import { WAITING_STATUSES } from "./pending";
import { pipelineFor } from "./pipelines";
import { modelSteps } from "./steps";
import { BUDGET_EXCEEDED } from "./schema";
import { LeaseLostError, renewLease, type RunContext } from "./step-runner";

/**
 * Runs advance as jobs of lib/jobs: starting or resuming a run sends a run-advance job in the
 * same transaction. The run row stays the source of truth: a worker takes a run by leasing it
 * with a compare-and-set update and keeps the lease alive while it works, so no step runs twice
 * at once, and a run whose worker died is continued after its last completed step once the lease
 * lapses (at once when that worker ran on this machine). A dispatch job, every minute and at
 * start-up, sends run-advance jobs for runs that are claimable but have none waiting.
 */
export { newWorkerId };

/**
 * After a restart, runs leased by a worker of this machine whose process is gone are released
 * at once instead of waiting for their lease to expire. Returns how many were released.
 */
export async function releaseLeasesOfDeadLocalWorkers(): Promise<number> {
  const leased = await db().run.findMany({
    where: { status: "running", leaseOwner: { startsWith: localWorkerPrefix() } },
    select: { id: true, leaseOwner: true },
  });
  let released = 0;
  for (const run of leased) {
    if (!isDeadLocalWorker(run.leaseOwner!)) continue;
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

/** Leases the given run, or else the oldest claimable one; returns its id, or null when none could be taken. */
export async function claimRun(workerId: string, leaseMs: number, runId?: string): Promise<string | null> {
  const now = new Date();
  const candidates = await db().run.findMany({
    where: { ...claimable(now), ...(runId ? { id: runId } : {}) },
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

type RefusedSpend = BudgetExceeded["decision"];

/**
 * A budget refused the run's next model call, which was not made: the run waits as blocked with
 * the figures, and its stage owner is told. Raising the budget or approving the overspend
 * (lib/pipeline/service.ts) queues it again; the refused step then runs afresh.
 */
async function blockRun(context: RunContext, decision: RefusedSpend) {
  const steps = await db().stepRun.findMany({ where: { runId: context.runId }, select: { costUsd: true } });
  const detail = { limit: decision.limit, limitUsd: decision.limitUsd, spentUsd: decision.spentUsd, estimatedCostUsd: decision.estimatedCostUsd, message: decision.message };
  await transact(async (tx) => {
    const { count } = await tx.run.updateMany({
      where: { id: context.runId, leaseOwner: context.workerId },
      data: {
        status: "blocked",
        blockedReason: BUDGET_EXCEEDED,
        blockedDetail: detail,
        error: null,
        costUsd: sumCosts(steps.map((s) => s.costUsd)),
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: null,
      },
    });
    if (count !== 1) throw new LeaseLostError(context.runId);
    await recordAudit(tx, {
      actor: systemActor("worker"),
      action: "run.blocked",
      subjectType: "run",
      subjectId: context.runId,
      projectId: context.projectId,
      after: { status: "blocked", blockedReason: BUDGET_EXCEEDED, ...detail },
      reason: decision.message,
    });
    await notifyOwnerOfBlock(tx, context, decision);
  });
  log().info({ runId: context.runId, projectId: context.projectId, limit: decision.limit, limitUsd: decision.limitUsd, estimatedCostUsd: decision.estimatedCostUsd }, "run blocked by a budget");
}

/** The stage owner hears of a blocked run in the same transaction that blocks it. */
async function notifyOwnerOfBlock(tx: Tx, context: RunContext, decision: RefusedSpend) {
  const stage = await tx.stage.findUniqueOrThrow({ where: { id: context.stageId }, select: { ownerId: true, key: true, project: { select: { name: true } } } });
  if (!stage.ownerId) return;
  await notify(tx, {
    userIds: [stage.ownerId],
    projectId: context.projectId,
    kind: "run_blocked",
    message: `A run of the ${stageLabels[stage.key]} stage of ${stage.project.name} stopped before a model call its budget cannot pay for. ${decision.message} An admin can raise the budget or approve the overspend; the run then continues.`,
    link: `/projects/${context.projectId}/stages/${stage.key}`,
  });
}

/** Advances one claimed run as far as it can go without people. */
export async function advanceRun(runId: string, workerId: string, leaseMs = env().RUN_LEASE_MS): Promise<void> {
  const run = await db().run.findUniqueOrThrow({ where: { id: runId }, include: { stage: { select: { key: true } } } });
  const context: RunContext = { runId, projectId: run.projectId, stageId: run.stageId, workerId, leaseMs };
  const pipeline = pipelineFor(run.stage.key);
  const heartbeat = setInterval(() => renewLease(context).catch(() => undefined), Math.max(500, leaseMs / 3));
  try {
    // Every line logged while the run advances names it (and, inside a step, the step run).
    await withLogContext({ runId }, () => advanceClaimed(context, pipeline, run.stage.key));
  } finally {
    clearInterval(heartbeat);
  }
}

async function advanceClaimed(context: RunContext, pipeline: ReturnType<typeof pipelineFor>, stage: string): Promise<void> {
  try {
    if (!pipeline) throw new Error(`The ${stage} stage has no pipeline.`);
    const outcome = await pipeline.advance(context);
    await finishRun(context, outcome, null);
  } catch (error) {
    if (error instanceof LeaseLostError) return;
    if (error instanceof BudgetExceeded) {
      await blockRun(context, error.decision).catch((blockError) => {
        if (!(blockError instanceof LeaseLostError)) throw blockError;
      });
      return;
    }
    await finishRun(context, "failed", error instanceof Error ? error.message : String(error)).catch((finishError) => {
      if (!(finishError instanceof LeaseLostError)) throw finishError;
    });
  }
}

/** Advances the run if no live worker holds it; true when this worker did. */
async function advanceIfClaimable(runId: string, workerId: string, leaseMs: number): Promise<boolean> {
  if ((await claimRun(workerId, leaseMs, runId)) !== runId) return false;
  await advanceRun(runId, workerId, leaseMs);
  return true;
}

// This process's identity as a run worker: its leases name it.
const processWorkerId = newWorkerId();

const runAdvance = defineQueue({
  name: "run-advance",
  data: z.object({ runId: z.string().min(1) }),
  // One waiting job per run (the key is the run id).
  singleton: true,
  retryLimit: 3,
  retryDelaySeconds: 5,
  retryBackoff: true,
  // A long run keeps its lease alive; the lease, not the job's expiry, decides who may work on it.
  expireInSeconds: 3600,
  handle: async ({ runId }) => void (await advanceIfClaimable(runId, processWorkerId, env().RUN_LEASE_MS)),
});

/** Sends a run-advance job with the transaction that queued the run. */
export async function enqueueRun(tx: Tx, runId: string): Promise<void> {
  await runAdvance.send({ runId }, { tx, singletonKey: runId });
}

/**
 * Queues again the runs whose review is over but which still wait for it, each with an audit
 * event. Deciding a run's last item resumes its run, but two reviewers deciding its last two items
 * at the same moment (on PostgreSQL) each see the other's item still waiting, neither having
 * committed, and neither resumes it; nothing else would.
 */
async function requeueReviewedRuns(): Promise<void> {
  const reviewed = { status: "waiting_review" as const, reviewItems: { none: { status: { in: [...WAITING_STATUSES] } } } };
  for (const run of await db().run.findMany({ where: reviewed, select: { id: true, projectId: true } })) {
    await transact(async (tx) => {
      const { count } = await tx.run.updateMany({ where: { id: run.id, ...reviewed }, data: { status: "queued" } });
      if (count === 0) return;
      await recordAudit(tx, {
        actor: systemActor("worker"),
        action: "run.resumed",
        subjectType: "run",
        subjectId: run.id,
        projectId: run.projectId,
        after: { status: "queued" },
        reason: "its review was over but nothing had resumed it (its last items were decided at the same moment)",
      });
    });
  }
}

/** Sends a run-advance job for every run that is claimable now: queued, or leased by a worker whose lease lapsed. */
async function dispatchClaimableRuns(): Promise<number> {
  await requeueReviewedRuns();
  const runs = await db().run.findMany({ where: claimable(new Date()), orderBy: { createdAt: "asc" }, select: { id: true } });
  let sent = 0;
  for (const run of runs) if (await runAdvance.send({ runId: run.id }, { singletonKey: run.id })) sent += 1;
  return sent;
}

const runDispatch = defineQueue({
  name: "run-dispatch",
  data: z.object({}),
  singleton: true,
  handle: async () => {
    if ((await dispatchClaimableRuns()) > 0) notifyQueue(runAdvance);
  },
});

const calibrationRefit = defineQueue({
  name: "calibration-refit",
  data: z.object({}),
  // Calibration catches up with the decisions made since its last fit; one refit waits at a time.
  singleton: true,
  retryLimit: 1,
  handle: async () => void (await refitStaleCalibrations(modelSteps.map((step) => step.key))),
});

/** Advances every claimable run in this process until none is left: for tests, the CLI and scripts. */
export async function drainRuns(workerId = newWorkerId(), leaseMs = env().RUN_LEASE_MS): Promise<number> {
  let processed = 0;
  for (;;) {
    await dispatchClaimableRuns();
    let advanced = 0;
    await runAdvance.drain(async ({ runId }) => {
      if (await advanceIfClaimable(runId, workerId, leaseMs)) advanced += 1;
    });
    if (advanced === 0) return processed;
    processed += advanced;
  }
}

type WorkerHandle = {
  /** Settles once the handlers and schedules are in place; rejects with why they could not start. */
  ready: Promise<void>;
  state: "starting" | "running" | "failed";
  stop: () => Promise<void>;
  wake: () => void;
};
const globalForWorker = globalThis as unknown as { countersignWorker?: WorkerHandle };

/** Wakes this process's run worker, if it runs one, instead of waiting for its next poll. */
export function wakeWorker(): void {
  globalForWorker.countersignWorker?.wake();
}

const EVERY_MINUTE = "* * * * *";

/** The periodic jobs; each also runs once at start-up, to catch up after a restart rather than at the next minute. */
const periodicQueues = [runDispatch, calibrationRefit, auditSealing, slaSweep];

/** Starts this process's handlers of run, dispatch, calibration and audit-sealing jobs, and their schedules. */
export function startWorker(options: { pollMs?: number } = {}): WorkerHandle {
  if (globalForWorker.countersignWorker) return globalForWorker.countersignWorker;
  const pollMs = options.pollMs ?? env().WORKER_POLL_MS;
  const ready = (async () => {
    await releaseLeasesOfDeadLocalWorkers();
    await startQueueWorkers([runAdvance, webhookDeliveryQueue, artifactRedraft, ...periodicQueues, ...notificationQueues], pollMs);
    await scheduleDailyDigest();
    for (const queue of periodicQueues) {
      await queue.schedule(EVERY_MINUTE, {});
      await queue.send({});
      notifyQueue(queue);
    }
  })();
  const handle: WorkerHandle = {
    ready,
    state: "starting",
    wake: () => notifyQueue(runAdvance),
    stop: async () => {
      await ready.catch(() => undefined);
      await stopJobs();
      globalForWorker.countersignWorker = undefined;
    },
  };
  ready.then(
    () => void (handle.state = "running"),
    (error: unknown) => {
      handle.state = "failed";
      log().error({ err: error }, "run worker failed to start");
    },
  );
  globalForWorker.countersignWorker = handle;
  return handle;
}
