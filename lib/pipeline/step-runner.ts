import type { Prisma } from "@/lib/generated/sqlite/client";
import { db, type Tx } from "@/lib/db";
import { withLogContext } from "@/lib/log";
import { transact } from "@/lib/transaction";

/**
 * Runs each step of a run at most once to completion. A step that completed earlier (before a
 * restart, or on another worker) is not run again: its stored output is returned. A step that
 * was interrupted mid-way is attempted again, and its attempts counter says so.
 */
export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`Another worker took over run ${runId}.`);
    this.name = "LeaseLostError";
  }
}

/** A failure the step reports in words meant for people (shown on the run page). */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly metrics: StepMetrics = {},
  ) {
    super(message);
    this.name = "StepFailure";
  }
}

export type StepMetrics = {
  model?: string | null;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  latencyMs?: number;
  attempts?: number;
};

export type RunContext = { runId: string; projectId: string; stageId: string; workerId: string; leaseMs: number };

export async function renewLease(context: RunContext): Promise<void> {
  const { count } = await db().run.updateMany({
    where: { id: context.runId, leaseOwner: context.workerId, status: "running" },
    data: { leaseExpiresAt: new Date(Date.now() + context.leaseMs) },
  });
  if (count !== 1) throw new LeaseLostError(context.runId);
}

type StepRecord = { id: string; output: unknown };

async function beginStep(context: RunContext, key: string, position: number, input: unknown) {
  const existing = await db().stepRun.findUnique({ where: { runId_key: { runId: context.runId, key } } });
  if (existing?.status === "completed") return { done: true as const, record: existing as StepRecord, attemptsBefore: existing.attempts };
  await renewLease(context);
  const json = input as Prisma.InputJsonValue;
  const attemptsBefore = existing?.attempts ?? 0;
  // The attempt is counted before the work starts, so one cut short by a crash still shows.
  const started = await db().stepRun.upsert({
    where: { runId_key: { runId: context.runId, key } },
    create: { runId: context.runId, key, position, status: "running", input: json, attempts: 1 },
    update: { status: "running", input: json, error: null, attempts: attemptsBefore + 1, startedAt: new Date(), finishedAt: null },
  });
  return { done: false as const, record: started as StepRecord, attemptsBefore };
}

function metricsData(metrics: StepMetrics, attemptsSoFar: number) {
  return {
    model: metrics.model ?? null,
    inputTokens: metrics.inputTokens ?? 0,
    outputTokens: metrics.outputTokens ?? 0,
    costUsd: metrics.costUsd ?? 0,
    latencyMs: metrics.latencyMs ?? 0,
    attempts: attemptsSoFar + (metrics.attempts ?? 1),
  };
}

/** Marks the step failed (unless another worker took the run over), writing any call rows its completion could not. */
async function failStep(stepRunId: string, attemptsSoFar: number, error: unknown, unwrittenCalls: Prisma.ModelCallCreateManyInput[] = []): Promise<never> {
  const writeCalls = unwrittenCalls.length > 0 ? [db().modelCall.createMany({ data: unwrittenCalls })] : [];
  if (!(error instanceof LeaseLostError)) {
    const metrics = error instanceof StepFailure ? error.metrics : {};
    const fail = db().stepRun.update({
      where: { id: stepRunId },
      data: {
        ...metricsData(metrics, attemptsSoFar),
        status: "failed",
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date(),
      },
    });
    await db().$transaction([...writeCalls, fail]);
  } else if (writeCalls.length > 0) await writeCalls[0];
  throw error;
}

/** The step run being worked on: its id, and how many attempts it had before this one. */
export type StepAttempt = { stepRunId: string; attemptsBefore: number };

/** A step whose work happens outside the database (a model call, a check). */
export async function runStep<O>(
  context: RunContext,
  key: string,
  position: number,
  input: unknown,
  execute: (attempt: StepAttempt) => Promise<{ output: O; metrics?: StepMetrics; heldBackCalls?: Prisma.ModelCallCreateManyInput[] }>,
): Promise<{ stepRunId: string; output: O }> {
  const step = await beginStep(context, key, position, input);
  if (step.done) return { stepRunId: step.record.id, output: step.record.output as O };
  const attemptsSoFar = step.attemptsBefore;
  let unwrittenCalls: Prisma.ModelCallCreateManyInput[] = [];
  try {
    const { output, metrics = {}, heldBackCalls = [] } = await withLogContext({ runId: context.runId, stepRunId: step.record.id }, () =>
      execute({ stepRunId: step.record.id, attemptsBefore: attemptsSoFar }),
    );
    unwrittenCalls = heldBackCalls;
    // Completed only while this worker still holds the run: the lease check and the write are one
    // statement, committed with the trace rows the step held back (lib/runtime/trace.ts).
    const complete = db().stepRun.updateMany({
      where: { id: step.record.id, run: { is: { leaseOwner: context.workerId, status: "running" } } },
      data: { ...metricsData(metrics, attemptsSoFar), status: "completed", output: output as Prisma.InputJsonValue, finishedAt: new Date() },
    });
    const [{ count }] = heldBackCalls.length === 0 ? [await complete] : await db().$transaction([complete, db().modelCall.createMany({ data: heldBackCalls })]);
    unwrittenCalls = [];
    if (count !== 1) throw new LeaseLostError(context.runId);
    return { stepRunId: step.record.id, output };
  } catch (error) {
    return failStep(step.record.id, attemptsSoFar, error, unwrittenCalls);
  }
}

/** A step whose work is database writes: they commit together with the step's completion. */
export async function runWritingStep<O>(
  context: RunContext,
  key: string,
  position: number,
  input: unknown,
  execute: (tx: Tx, stepRunId: string) => Promise<O>,
): Promise<{ stepRunId: string; output: O }> {
  const step = await beginStep(context, key, position, input);
  if (step.done) return { stepRunId: step.record.id, output: step.record.output as O };
  const attemptsSoFar = step.attemptsBefore;
  const started = performance.now();
  try {
    await renewLease(context);
    const output = await transact(async (tx) => {
      const result = await withLogContext({ runId: context.runId, stepRunId: step.record.id }, () => execute(tx, step.record.id));
      await tx.stepRun.update({
        where: { id: step.record.id },
        data: {
          ...metricsData({ latencyMs: Math.round(performance.now() - started) }, attemptsSoFar),
          status: "completed",
          output: result as Prisma.InputJsonValue,
          finishedAt: new Date(),
        },
      });
      return result;
    });
    return { stepRunId: step.record.id, output };
  } catch (error) {
    return failStep(step.record.id, attemptsSoFar, error);
  }
}
