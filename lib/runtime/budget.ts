import { db, type Tx } from "@/lib/db";
import { costUsd, sumCosts, type ModelPrice } from "@/lib/models/pricing";
import { priceOf } from "@/lib/models/prices";
import type { PlannedCall, SpendDecision, SpendGate } from "./contracts";
import { estimateMessageTokens } from "./context-budget";

/**
 * Budgets that stop spending before the call. Before each model call the call loop asks the
 * gate of its step run; the gate estimates what the call can cost at the model's current price
 * (its prompt's size, and every output token it may produce) and refuses it when that would
 * break a limit: the step's per-call limit (its policy's maxCostUsd), the run's budget or the
 * project's. What was spent is summed from the ModelCall table, so it is exact whichever
 * process made the calls. A refused call is not made; the run waits as blocked until the budget
 * is raised or an admin approves the overspend (lib/pipeline/service.ts).
 */

/** The estimate of a call: its input by the context-budget rule (UTF-8 bytes / 4, plus 4 per message), and all the output it may produce. */
export function estimateCallCost(call: PlannedCall, price: ModelPrice): { inputTokens: number; outputTokens: number; costUsd: number } {
  const inputTokens = estimateMessageTokens(call.messages);
  const outputTokens = Math.max(0, Math.ceil(call.maxOutputTokens));
  return { inputTokens, outputTokens, costUsd: costUsd({ inputTokens, outputTokens }, price) };
}

/** The figures a spend decision is made on. */
export type SpendFigures = {
  modelId: string;
  estimateUsd: number;
  stepMaxCostUsd: number;
  run: { budgetUsd: number | null; spentUsd: number };
  project: { budgetUsd: number | null; spentUsd: number };
};

export const formatUsd = (amount: number) => `$${amount >= 0.01 ? amount.toFixed(2) : amount.toPrecision(2).replace(/0+$/, "").replace(/\.$/, "")}`;

/**
 * Whether a call may be made (pure). Limits are checked narrowest first: the step's per-call
 * limit, then the run's budget, then the project's; the first one broken is the one reported.
 * Reaching a budget exactly is allowed, going over it is not; a call that costs nothing always is.
 */
export function decideSpend(figures: SpendFigures): SpendDecision {
  const { modelId, estimateUsd } = figures;
  // A call that costs nothing spends nothing, even from a budget already overspent (by an approval).
  if (estimateUsd === 0) return { allowed: true, estimatedCostUsd: 0 };
  const call = `The next call to ${modelId} is estimated at up to ${formatUsd(estimateUsd)}`;
  if (estimateUsd > figures.stepMaxCostUsd) {
    return refuse(figures, "step_call", figures.stepMaxCostUsd, 0, `${call}, above the step's limit of ${formatUsd(figures.stepMaxCostUsd)} per call (its policy's maxCostUsd).`);
  }
  for (const [limit, scope, who] of [
    ["run", figures.run, "This run"],
    ["project", figures.project, "The project"],
  ] as const) {
    if (scope.budgetUsd !== null && sumCosts([scope.spentUsd, estimateUsd]) > scope.budgetUsd) {
      return refuse(
        figures,
        limit,
        scope.budgetUsd,
        scope.spentUsd,
        `${who} has spent ${formatUsd(scope.spentUsd)} of its ${formatUsd(scope.budgetUsd)} budget. ${call}, which would take it over.`,
      );
    }
  }
  return { allowed: true, estimatedCostUsd: estimateUsd };
}

function refuse(figures: SpendFigures, limit: "project" | "run" | "step_call", limitUsd: number, spentUsd: number, message: string): SpendDecision {
  return { allowed: false, estimatedCostUsd: figures.estimateUsd, limit, limitUsd, spentUsd, message };
}

/** What the calls of a run, or of a whole project, have cost so far (every attempt of every step). */
export async function spentUsd(where: { projectId: string; runId?: string }, client: Tx | ReturnType<typeof db> = db()): Promise<number> {
  const { _sum } = await client.modelCall.aggregate({ where, _sum: { costUsd: true } });
  return sumCosts([_sum.costUsd ?? 0]);
}

/** The audit action that records an approved overspend; the gate reads the approval back from it. */
export const OVERSPEND_APPROVED = "run.overspend_approved";

/** What an approval allows: the estimate of the call it unblocked, to be spent by the run's calls after it. */
export type OverspendApproval = { allowanceUsd: number; at: Date };

async function latestApproval(runId: string): Promise<OverspendApproval | null> {
  const event = await db().auditEvent.findFirst({
    where: { subjectType: "run", subjectId: runId, action: OVERSPEND_APPROVED },
    orderBy: { id: "desc" },
    select: { at: true, after: true },
  });
  const allowance = (event?.after as { allowanceUsd?: unknown } | null)?.allowanceUsd;
  return event && typeof allowance === "number" ? { allowanceUsd: allowance, at: event.at } : null;
}

/**
 * Whether an approved overspend covers this call: the run's calls since the approval, plus this
 * one's estimate, stay within the allowance (the estimate of the call that was approved). So the
 * approved call goes through once, as do its retries while they cost nothing, but not the calls
 * after it that the allowance cannot pay for.
 */
async function approvedOverspend(scope: { projectId: string; runId: string }, estimateUsd: number): Promise<boolean> {
  const approval = await latestApproval(scope.runId);
  if (!approval) return false;
  const { _sum } = await db().modelCall.aggregate({ where: { ...scope, startedAt: { gte: approval.at } }, _sum: { costUsd: true } });
  return sumCosts([_sum.costUsd ?? 0, estimateUsd]) <= approval.allowanceUsd;
}

/**
 * The spend gate of one step run. A model without a price cannot be checked against any
 * budget, so its calls are refused until an admin prices it (Admin -> Models).
 */
export function spendGateFor(context: { runId: string; projectId: string; stepMaxCostUsd: number }): SpendGate {
  return async (call) => {
    const price = await priceOf(call.modelId);
    if (!price) {
      return {
        allowed: false,
        estimatedCostUsd: 0,
        limit: "step_call",
        limitUsd: context.stepMaxCostUsd,
        spentUsd: 0,
        message: `No price is known for ${call.modelId}, so its calls cannot be checked against the budgets. An admin sets its price in the price table (Admin -> Models), then approves the overspend to resume the run.`,
      };
    }
    const estimateUsd = estimateCallCost(call, price).costUsd;
    if (estimateUsd === 0) return { allowed: true, estimatedCostUsd: 0 };
    const run = await db().run.findUnique({ where: { id: context.runId }, select: { budgetUsd: true, project: { select: { budgetUsd: true } } } });
    const runBudget = run?.budgetUsd ?? null;
    const projectBudget = run?.project.budgetUsd ?? null;
    const decision = decideSpend({
      modelId: call.modelId,
      estimateUsd,
      stepMaxCostUsd: context.stepMaxCostUsd,
      // The sums are read only for the budgets that are set.
      run: { budgetUsd: runBudget, spentUsd: runBudget === null ? 0 : await spentUsd({ projectId: context.projectId, runId: context.runId }) },
      project: { budgetUsd: projectBudget, spentUsd: projectBudget === null ? 0 : await spentUsd({ projectId: context.projectId }) },
    });
    if (decision.allowed || !(await approvedOverspend({ projectId: context.projectId, runId: context.runId }, estimateUsd))) return decision;
    return { allowed: true, estimatedCostUsd: estimateUsd };
  };
}
