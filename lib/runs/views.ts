import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { stepInfo } from "@/lib/pipeline/steps";

/**
 * What people and the API see of runs: a run with its steps and, per step, a summary of each
 * model call (GET /runs/{id}, the stage and run pages), and one step's full trace with the
 * exact messages sent and what came back (GET /step-runs/{id}). Traces can quote the sources,
 * so both are for those who may read the project.
 */

const callSummarySelect = {
  id: true,
  position: true,
  model: true,
  tier: true,
  attempt: true,
  status: true,
  error: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  latencyMs: true,
  startedAt: true,
  finishedAt: true,
} satisfies Prisma.ModelCallSelect;

// Everything of a step but its input and output, which can be as large as the sources.
const stepSummarySelect = {
  id: true,
  key: true,
  status: true,
  model: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  latencyMs: true,
  attempts: true,
  error: true,
  startedAt: true,
  finishedAt: true,
  modelCalls: { select: callSummarySelect, orderBy: { position: "asc" } },
} satisfies Prisma.StepRunSelect;

const runInclude = {
  stage: { select: { key: true } },
  steps: { select: stepSummarySelect, orderBy: { position: "asc" } },
} satisfies Prisma.RunInclude;

type CallRow = Prisma.ModelCallGetPayload<{ select: typeof callSummarySelect }>;
type StepRow = Prisma.StepRunGetPayload<{ select: typeof stepSummarySelect }>;
type RunRow = Prisma.RunGetPayload<{ include: typeof runInclude }>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

function presentCall(call: CallRow) {
  return {
    id: call.id,
    position: call.position,
    model: call.model,
    tier: call.tier,
    attempt: call.attempt,
    status: call.status,
    error: call.error,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    costUsd: call.costUsd,
    latencyMs: call.latencyMs,
    startedAt: call.startedAt.toISOString(),
    finishedAt: iso(call.finishedAt),
  };
}

function presentStep(step: Omit<StepRow, "modelCalls">) {
  const info = stepInfo(step.key);
  return {
    id: step.id,
    key: step.key,
    title: info?.title ?? step.key,
    kind: info?.kind ?? "rule",
    status: step.status,
    model: step.model,
    inputTokens: step.inputTokens,
    outputTokens: step.outputTokens,
    costUsd: step.costUsd,
    latencyMs: step.latencyMs,
    attempts: step.attempts,
    error: step.error,
    startedAt: step.startedAt.toISOString(),
    finishedAt: iso(step.finishedAt),
  };
}

function presentRun(run: RunRow) {
  return {
    id: run.id,
    projectId: run.projectId,
    stage: run.stage.key,
    status: run.status,
    error: run.error,
    costUsd: run.costUsd,
    budgetUsd: run.budgetUsd,
    blockedReason: run.blockedReason,
    blockedDetail: run.blockedDetail,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    steps: run.steps.map((step) => ({ ...presentStep(step), calls: step.modelCalls.map(presentCall) })),
  };
}
export type RunView = ReturnType<typeof presentRun>;

export async function getRun(actor: UserActor, runId: string): Promise<RunView> {
  const run = await db().run.findUnique({ where: { id: runId }, include: runInclude });
  if (!run) throw notFound("The run");
  await assertCan(actor, "projects:read", { projectId: run.projectId });
  return presentRun(run);
}

/** A stage's (or the project's) latest 20 runs, newest first. */
export async function listRuns(actor: UserActor, projectId: string, stage?: StageKey): Promise<RunView[]> {
  await assertCan(actor, "projects:read", { projectId });
  const runs = await db().run.findMany({
    where: { projectId, ...(stage ? { stage: { key: stage } } : {}) },
    include: runInclude,
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return runs.map(presentRun);
}

export type TraceMessage = { role: string; content: string };

/**
 * The messages as sent, [{role, content}]. Content the SDK sent as parts is joined text (other
 * parts as JSON), so a reader sees the prompt as one text per message whatever its form.
 */
export function presentMessages(value: Prisma.JsonValue): TraceMessage[] {
  if (!Array.isArray(value)) return [];
  return value.map((message) => {
    const { role, content } = (typeof message === "object" && message !== null && !Array.isArray(message) ? message : {}) as Record<string, unknown>;
    return { role: typeof role === "string" ? role : "unknown", content: textOf(content) };
  });
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return JSON.stringify(content ?? null);
  return content
    .map((part: unknown) => {
      const text = typeof part === "object" && part !== null ? (part as Record<string, unknown>).text : undefined;
      return typeof text === "string" ? text : JSON.stringify(part);
    })
    .join("\n");
}

/** One step of a run with everything it recorded and every model call's full trace. */
export async function getStepTrace(actor: UserActor, stepRunId: string) {
  const step = await db().stepRun.findUnique({
    where: { id: stepRunId },
    include: { run: { select: { projectId: true } }, modelCalls: { orderBy: { position: "asc" } } },
  });
  if (!step) throw notFound("The step run");
  await assertCan(actor, "projects:read", { projectId: step.run.projectId });
  return {
    ...presentStep(step),
    runId: step.runId,
    projectId: step.run.projectId,
    input: step.input,
    output: step.output,
    calls: step.modelCalls.map((call) => ({
      ...presentCall(call),
      estimatedCostUsd: call.estimatedCostUsd,
      messages: presentMessages(call.messages),
      rawResponse: call.rawResponse,
      parsedOutput: call.parsedOutput,
      validationErrors: call.validationErrors,
    })),
  };
}
export type StepTrace = Awaited<ReturnType<typeof getStepTrace>>;
