import type { z } from "zod";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { conflict, invalid, notFound } from "@/lib/errors";
import { stageLabels } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { pipelineFor } from "./pipelines";
import { startRunSchema } from "./schema";
import { stepInfo } from "./steps";
import { enqueueRun, wakeWorker } from "./worker";
import { hasPendingItems } from "./pending";

export const activeRunStatuses = ["queued", "running", "waiting_review"] as const;

export async function startRun(actor: UserActor, projectId: string, input: z.input<typeof startRunSchema>) {
  const { stage: key } = startRunSchema.parse(input);
  await assertCan(actor, "runs:start", { projectId, stage: key });
  const run = await transact(async (tx) => {
    const stage = await tx.stage.findUnique({ where: { projectId_key: { projectId, key } } });
    if (!stage) throw notFound("The project");
    if (!pipelineFor(key)) throw invalid(`The ${stageLabels[key]} stage has no AI steps yet; its owner can sign it off directly.`);
    if (stage.status === "locked") throw conflict(`The ${stageLabels[key]} stage is locked until the stage before it is signed off.`);
    if (stage.status === "signed_off") throw conflict(`The ${stageLabels[key]} stage is already signed off.`);
    const active = await tx.run.findFirst({ where: { stageId: stage.id, status: { in: [...activeRunStatuses] } } });
    if (active) throw conflict(`A run of this stage is already ${active.status.replace("_", " ")}.`, { runId: active.id });
    if ((await tx.source.count({ where: { projectId } })) === 0) throw invalid("Add at least one source before running this stage.");
    const created = await tx.run.create({ data: { projectId, stageId: stage.id, createdById: actor.userId } });
    await enqueueRun(tx, created.id);
    await recordAudit(tx, {
      actor,
      action: "run.queued",
      subjectType: "run",
      subjectId: created.id,
      projectId,
      after: { stage: key, status: created.status },
    });
    return created;
  });
  wakeWorker();
  return { id: run.id, status: run.status };
}

function presentRun(run: Awaited<ReturnType<typeof loadRun>>) {
  return {
    id: run.id,
    projectId: run.projectId,
    stage: run.stage.key,
    status: run.status,
    error: run.error,
    costUsd: run.costUsd,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    steps: run.steps.map((step) => ({
      key: step.key,
      title: stepInfo(step.key)?.title ?? step.key,
      kind: stepInfo(step.key)?.kind ?? "rule",
      status: step.status,
      model: step.model,
      inputTokens: step.inputTokens,
      outputTokens: step.outputTokens,
      costUsd: step.costUsd,
      latencyMs: step.latencyMs,
      attempts: step.attempts,
      error: step.error,
    })),
  };
}
export type RunView = ReturnType<typeof presentRun>;

function loadRun(runId: string) {
  return db().run.findUnique({
    where: { id: runId },
    include: { stage: { select: { key: true } }, steps: { orderBy: { position: "asc" } } },
  }).then((run) => {
    if (!run) throw notFound("The run");
    return run;
  });
}

export async function getRun(actor: UserActor, runId: string): Promise<RunView> {
  const run = await loadRun(runId);
  await assertCan(actor, "projects:read", { projectId: run.projectId });
  return presentRun(run);
}

export async function listRuns(actor: UserActor, projectId: string, stage?: StageKey): Promise<RunView[]> {
  await assertCan(actor, "projects:read", { projectId });
  const runs = await db().run.findMany({
    where: { projectId, ...(stage ? { stage: { key: stage } } : {}) },
    include: { stage: { select: { key: true } }, steps: { orderBy: { position: "asc" } } },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return runs.map(presentRun);
}

/** The conflicts and open questions a run's routing steps recorded (no single draft can hold them), for the stage page. */
export async function runFindings(actor: UserActor, runId: string) {
  const run = await db().run.findUnique({ where: { id: runId }, select: { projectId: true } });
  if (!run) throw notFound("The run");
  await assertCan(actor, "projects:read", { projectId: run.projectId });
  const steps = await db().stepRun.findMany({ where: { runId, status: "completed" }, select: { output: true }, orderBy: { position: "asc" } });
  const outputs = steps.map((step) => (step.output ?? {}) as { conflicts?: unknown; openQuestions?: unknown });
  const listOf = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);
  return { conflicts: outputs.flatMap((output) => listOf(output.conflicts)), openQuestions: outputs.flatMap((output) => listOf(output.openQuestions)) };
}

/**
 * When people have decided everything a waiting run sent them, the run continues. Called in
 * every decision's transaction, so it only asks whether one pending item of the run remains.
 */
export async function resumeRunIfReviewed(tx: Tx, runId: string): Promise<boolean> {
  if (await hasPendingItems(tx, runId)) return false;
  const { count } = await tx.run.updateMany({ where: { id: runId, status: "waiting_review" }, data: { status: "queued" } });
  if (count === 1) await enqueueRun(tx, runId);
  return count === 1;
}
