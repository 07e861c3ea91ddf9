import type { z } from "zod";
import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { conflict, invalid, notFound } from "@/lib/errors";
import { sumCosts } from "@/lib/models/pricing";
import { OVERSPEND_APPROVED, spentUsd } from "@/lib/runtime/budget";
import { execute, sql } from "@/lib/sql/statements";
import { stageLabels } from "@/lib/stages/stages";
import { transact } from "@/lib/transaction";
import { pipelineFor } from "./pipelines";
import { approveOverspendSchema, BUDGET_EXCEEDED, budgetBlock, runBudgetSchema, startRunSchema, type ApproveOverspendInput, type BlockedDetail, type RunBudgetInput } from "./schema";
import { enqueueRun, wakeWorker } from "./worker";
import { hasPendingItems } from "./pending";

/** A stage has at most one run in these: a blocked run (a budget refused its next call) resumes once the budget allows. */
export const activeRunStatuses = ["queued", "running", "waiting_review", "blocked"] as const;

export async function startRun(actor: UserActor, projectId: string, input: z.input<typeof startRunSchema>) {
  const { stage: key, budgetUsd = null } = startRunSchema.parse(input);
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
    const created = await tx.run.create({ data: { projectId, stageId: stage.id, createdById: actor.userId, budgetUsd } });
    await enqueueRun(tx, created.id);
    await recordAudit(tx, {
      actor,
      action: "run.queued",
      subjectType: "run",
      subjectId: created.id,
      projectId,
      after: { stage: key, status: created.status, budgetUsd },
    });
    return created;
  });
  wakeWorker();
  return { id: run.id, status: run.status };
}

// The run views moved to lib/runs/views.ts; kept here for the callers that import them from the pipeline.
export { getRun, listRuns, type RunView } from "@/lib/runs/views";

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

/** Whether the call that blocked a run now fits a limit set to budgetUsd, given what that limit's scope has spent since. */
export function fitsNow(block: BlockedDetail, budgetUsd: number | null, spent: number): boolean {
  return budgetUsd === null || sumCosts([spent, block.estimatedCostUsd]) <= budgetUsd;
}

/**
 * Sends a blocked run back to the queue, in the caller's transaction, with a run-advance job;
 * the step a budget stopped runs afresh and asks the budgets again. False when it was not
 * blocked, or when its stage is no longer open (signed off meanwhile: it must not draft into it).
 */
export async function resumeBlockedRun(tx: Tx, actor: UserActor, run: { id: string; projectId: string }, why: string): Promise<boolean> {
  const { count } = await tx.run.updateMany({ where: { id: run.id, status: "blocked", stage: { status: "open" } }, data: { status: "queued", blockedReason: null } });
  if (count !== 1) return false;
  // Json columns take SQL NULL only as a client-specific sentinel; plain SQL works on both databases.
  await execute(tx, sql`UPDATE "Run" SET "blockedDetail" = NULL WHERE "id" = ${run.id}`);
  await enqueueRun(tx, run.id);
  await recordAudit(tx, { actor, action: "run.unblocked", subjectType: "run", subjectId: run.id, projectId: run.projectId, after: { status: "queued" }, reason: why });
  return true;
}

/**
 * The blocked runs of a project (or one run) that a budget change lets through: those blocked by
 * that kind of limit whose refused call now fits. Each is queued again, in the caller's transaction.
 */
export async function resumeRunsThatFit(
  tx: Tx,
  actor: UserActor,
  scope: { projectId: string; runId?: string },
  limit: "project" | "run",
  budgetUsd: number | null,
  why: string,
): Promise<string[]> {
  const blocked = await tx.run.findMany({
    where: { projectId: scope.projectId, ...(scope.runId ? { id: scope.runId } : {}), status: "blocked", blockedReason: BUDGET_EXCEEDED },
    select: { id: true, projectId: true, status: true, blockedReason: true, blockedDetail: true },
  });
  const resumed: string[] = [];
  for (const run of blocked) {
    const block = budgetBlock(run);
    if (!block || block.limit !== limit) continue;
    const spent = await spentUsd(limit === "project" ? { projectId: run.projectId } : { projectId: run.projectId, runId: run.id }, tx);
    if (fitsNow(block, budgetUsd, spent) && (await resumeBlockedRun(tx, actor, run, why))) resumed.push(run.id);
  }
  return resumed;
}

async function loadRun(runId: string) {
  const run = await db().run.findUnique({ where: { id: runId }, select: { id: true, projectId: true, stage: { select: { key: true } } } });
  if (!run) throw notFound("The run");
  return run;
}

async function runBudgetView(runId: string, resumed: boolean) {
  const run = await db().run.findUniqueOrThrow({ where: { id: runId }, select: { id: true, projectId: true, status: true, budgetUsd: true } });
  return { id: run.id, status: run.status, budgetUsd: run.budgetUsd, spentUsd: await spentUsd({ projectId: run.projectId, runId }), resumed };
}

/** Sets a run's own spending limit (admins); a run its old limit blocked resumes when its refused call now fits. */
export async function setRunBudget(actor: UserActor, runId: string, input: RunBudgetInput) {
  const { budgetUsd, reason } = runBudgetSchema.parse(input);
  const run = await loadRun(runId);
  await assertCan(actor, "budgets:manage", { projectId: run.projectId, stage: run.stage.key });
  const resumed = await transact(async (tx) => {
    const before = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { budgetUsd: true } });
    await tx.run.update({ where: { id: runId }, data: { budgetUsd } });
    await recordAudit(tx, {
      actor,
      action: "run.budget_changed",
      subjectType: "run",
      subjectId: runId,
      projectId: run.projectId,
      before: { budgetUsd: before.budgetUsd },
      after: { budgetUsd },
      reason: reason || null,
    });
    return resumeRunsThatFit(tx, actor, { projectId: run.projectId, runId }, "run", budgetUsd, "The run's budget was raised.");
  });
  if (resumed.length > 0) wakeWorker();
  return runBudgetView(runId, resumed.length > 0);
}

/**
 * An admin lets the call a budget refused go through (recorded with who and why in the audit
 * trail) and the run resumes. The approval allows the run to spend up to that call's estimate
 * beyond its limits (lib/runtime/budget.ts reads it back); later calls meet the limits again.
 */
export async function approveOverspend(actor: UserActor, runId: string, input: ApproveOverspendInput) {
  const { reason } = approveOverspendSchema.parse(input);
  const run = await loadRun(runId);
  await assertCan(actor, "budgets:manage", { projectId: run.projectId, stage: run.stage.key });
  await transact(async (tx) => {
    const current = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, blockedReason: true, blockedDetail: true, stage: { select: { status: true } } } });
    const block = budgetBlock(current);
    if (!block) throw conflict(`The run is ${current.status.replace("_", " ")}, not blocked by a budget: there is no overspend to approve.`, { status: current.status });
    if (current.stage.status !== "open") throw conflict(`The ${stageLabels[run.stage.key]} stage is ${current.stage.status.replace("_", " ")}: the run cannot draft into it.`);
    await recordAudit(tx, {
      actor,
      action: OVERSPEND_APPROVED,
      subjectType: "run",
      subjectId: runId,
      projectId: run.projectId,
      before: { status: "blocked", ...block },
      after: { allowanceUsd: block.estimatedCostUsd, limit: block.limit, limitUsd: block.limitUsd },
      reason,
    });
    if (!(await resumeBlockedRun(tx, actor, run, `Overspend approved: ${reason}`))) throw conflict("The run was resumed by someone else meanwhile.");
  });
  wakeWorker();
  return runBudgetView(runId, true);
}
