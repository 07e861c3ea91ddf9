import type { Prisma } from "@/lib/generated/sqlite/client";
import { db } from "@/lib/db";
import { sumCosts } from "@/lib/models/pricing";

/**
 * The trace of a step's model calls: every call the call loop made (a retry, a repair, a
 * fallback, a call a budget refused) becomes one ModelCall row when it ends (at the latest with
 * the step's next write, see stepTrace), so a step cut short by a crash or a budget still shows
 * what it spent. A step run's totals are the sums of its
 * calls, over all its attempts.
 */
export type CallStatus = "ok" | "provider_error" | "contract_violation" | "timeout" | "skipped_budget";
export type CallMessage = { role: "system" | "user" | "assistant"; content: string };
export type ValidationIssue = { path: string; message: string };

export type CallRecord = {
  model: string;
  /** the cascade tier (0 = first, and for steps without a cascade) */
  tier: number;
  /** 1 for the first try of this model on this request, 2 for its retry or its repair, ... */
  attempt: number;
  status: CallStatus;
  error: string | null;
  messages: readonly CallMessage[];
  rawResponse: string | null;
  parsedOutput: unknown;
  validationErrors: readonly ValidationIssue[] | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  estimatedCostUsd: number | null;
  latencyMs: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** the budget hold of the call (lib/runtime/budget.ts), settled by the call's row */
  holdId?: string | null;
};

export type CallRecorder = (call: CallRecord) => Promise<void>;

/** Records nothing: for a call outside any step run (a provider check, the benchmark's model-time baseline). */
export const noTrace: CallRecorder = async () => undefined;

export type TraceScope = { stepRunId: string; runId: string; projectId: string };

/** The trace of one step run: a recorder, and the rows it held back for the step's completion. */
export type StepTrace = CallRecorder & {
  /** writes the row held back, if any (before the step's next call, or when it fails) */
  flush(): Promise<void>;
  /** hands the row held back, if any, to the step's completion, which writes it in its own transaction */
  takeHeldBack(): Prisma.ModelCallCreateManyInput[];
};

/**
 * A recorder for one step run, numbering its calls after the `earlier` ones of its earlier
 * attempts. A call that ended with a valid reply and holds no budget may be held back
 * (holdBack): nothing waits between it and the step's next write, so its row goes in the same
 * commit as the step's completion (or is written before the step's next call, or with its
 * failure), one write to disk fewer per step. Every other row is written the moment its call
 * ends: a failed call may be followed by a wait, and a call that held a budget settles it now.
 */
export function stepTrace(opening: Promise<{ scope: TraceScope; earlier: number }>, options: { holdBack?: boolean } = {}): StepTrace {
  opening.catch(() => undefined);
  let recorded = 0;
  let heldBack: Prisma.ModelCallCreateManyInput | null = null;
  const takeHeldBack = () => {
    const rows = heldBack ? [heldBack] : [];
    heldBack = null;
    return rows;
  };
  const flush = async () => {
    const rows = takeHeldBack();
    if (rows.length > 0) await db().modelCall.createMany({ data: rows });
  };
  const recorder = async (call: CallRecord) => {
    const { scope, earlier } = await opening;
    recorded += 1;
    const data = rowOf(call, scope, earlier + recorded);
    await flush();
    if (options.holdBack && call.status === "ok" && !call.holdId) {
      heldBack = data;
      return;
    }
    const row = db().modelCall.create({ data, select: { id: true } });
    // The actual cost replaces the estimate held for the call, in one transaction: the budgets never count both or neither.
    // It takes the project's row lock first, as the budget check does (lib/runtime/budget.ts): on PostgreSQL the check's
    // two sums are two statements, and a settlement committing between them would otherwise show neither.
    if (call.holdId) {
      const lockProject = db().$executeRaw`UPDATE "Project" SET "budgetUsd" = "budgetUsd" WHERE "id" = ${scope.projectId}`;
      await db().$transaction([lockProject, row, db().budgetHold.deleteMany({ where: { id: call.holdId } })]);
    }
    else await row;
  };
  return Object.assign(recorder, { flush, takeHeldBack });
}

function rowOf(call: CallRecord, scope: TraceScope, position: number): Prisma.ModelCallCreateManyInput {
  return {
    ...scope,
    position,
    model: call.model,
    tier: call.tier,
    attempt: call.attempt,
    status: call.status,
    error: call.error,
    messages: call.messages as unknown as Prisma.InputJsonValue,
    rawResponse: call.rawResponse,
    parsedOutput: call.parsedOutput === null || call.parsedOutput === undefined ? undefined : (call.parsedOutput as Prisma.InputJsonValue),
    validationErrors: call.validationErrors ? (call.validationErrors as unknown as Prisma.InputJsonValue) : undefined,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    costUsd: call.costUsd,
    estimatedCostUsd: call.estimatedCostUsd,
    latencyMs: call.latencyMs,
    startedAt: call.startedAt,
    finishedAt: call.finishedAt,
  };
}

export type CallTotals = { inputTokens: number; outputTokens: number; costUsd: number; latencyMs: number; calls: number };

type Summable = Pick<CallRecord, "inputTokens" | "outputTokens" | "costUsd" | "latencyMs">;

export function totalsOf(calls: readonly Summable[]): CallTotals {
  return {
    inputTokens: calls.reduce((sum, call) => sum + call.inputTokens, 0),
    outputTokens: calls.reduce((sum, call) => sum + call.outputTokens, 0),
    costUsd: sumCosts(calls.map((call) => call.costUsd)),
    latencyMs: calls.reduce((sum, call) => sum + call.latencyMs, 0),
    calls: calls.length,
  };
}

/** The sums over every call a step run recorded, in all its attempts. */
export async function stepTotals(stepRunId: string): Promise<CallTotals> {
  const calls = await db().modelCall.findMany({ where: { stepRunId }, select: { inputTokens: true, outputTokens: true, costUsd: true, latencyMs: true } });
  return totalsOf(calls);
}
