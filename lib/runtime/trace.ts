import type { Prisma } from "@/lib/generated/sqlite/client";
import { db } from "@/lib/db";
import { sumCosts } from "@/lib/models/pricing";

/**
 * The trace of a step's model calls: every call the call loop made (a retry, a repair, a
 * fallback, a call a budget refused) becomes one ModelCall row the moment it ends, so a step cut
 * short by a crash or a budget still shows what it spent. A step run's totals are the sums of its
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
};

export type CallRecorder = (call: CallRecord) => Promise<void>;

/** Records nothing: for a call outside any step run (a provider check, the benchmark's model-time baseline). */
export const noTrace: CallRecorder = async () => undefined;

export type TraceScope = { stepRunId: string; runId: string; projectId: string };

/**
 * A recorder for one step run, numbering its calls after the `earlier` ones of its earlier
 * attempts. The step run is looked up while the first call is under way, so the lookup costs
 * the step no time of its own.
 */
export function stepTrace(opening: Promise<{ scope: TraceScope; earlier: number }>): CallRecorder {
  opening.catch(() => undefined);
  let recorded = 0;
  return async (call) => {
    const { scope, earlier } = await opening;
    recorded += 1;
    const position = earlier + recorded;
    await db().modelCall.create({
      data: {
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
      },
    });
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
