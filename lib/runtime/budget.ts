import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { costUsd, sumCosts, type ModelPrice } from "@/lib/models/pricing";
import { priceOf } from "@/lib/models/prices";
import { transact } from "@/lib/transaction";
import type { PlannedCall, PriceLookup, SpendDecision, SpendGate } from "./contracts";
import { estimateMessageTokens } from "./context-budget";

/**
 * Budgets that stop spending before the call. Before each model call the call loop asks the
 * gate of its step run; the gate estimates what the call can cost at the model's current price
 * (its prompt's size, and every output token it may produce) and refuses it when that would
 * break a limit: the step's per-call limit (its policy's maxCostUsd), the run's budget or the
 * project's. What was spent is summed from the ModelCall table, so it is exact whichever
 * process made the calls; what calls under way may still spend is held (BudgetHold, at their
 * estimate) from the check until their trace row records the actual cost, in one transaction
 * that also deletes the hold (lib/runtime/trace.ts). A refused call is not made; the run waits as blocked until the budget
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
  /** heldUsd: the estimates of calls under way (lib/runtime/budget.ts holds), counted as spent until they are settled */
  run: { budgetUsd: number | null; spentUsd: number; heldUsd?: number };
  project: { budgetUsd: number | null; spentUsd: number; heldUsd?: number };
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
    const held = scope.heldUsd ?? 0;
    if (scope.budgetUsd !== null && sumCosts([scope.spentUsd, held, estimateUsd]) > scope.budgetUsd) {
      const underWay = held > 0 ? ` and holds ${formatUsd(held)} for calls under way` : "";
      return refuse(
        figures,
        limit,
        scope.budgetUsd,
        scope.spentUsd,
        `${who} has spent ${formatUsd(scope.spentUsd)}${underWay} of its ${formatUsd(scope.budgetUsd)} budget. ${call}, which would take it over.`,
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

async function latestApproval(tx: Tx, runId: string): Promise<OverspendApproval | null> {
  const event = await tx.auditEvent.findFirst({
    where: { subjectType: "run", subjectId: runId, action: OVERSPEND_APPROVED },
    orderBy: { id: "desc" },
    select: { at: true, after: true },
  });
  const allowance = (event?.after as { allowanceUsd?: unknown } | null)?.allowanceUsd;
  return event && typeof allowance === "number" ? { allowanceUsd: allowance, at: event.at } : null;
}

/**
 * Whether an approved overspend covers this call: the run's calls since the approval, what its
 * calls under way hold, plus this one's estimate, stay within the allowance (the estimate of the
 * call that was approved). So the approved call goes through once, as do its retries while they
 * cost nothing, but not the calls after it that the allowance cannot pay for.
 */
async function approvedOverspend(tx: Tx, scope: { projectId: string; runId: string }, estimateUsd: number, now: Date): Promise<boolean> {
  const approval = await latestApproval(tx, scope.runId);
  if (!approval) return false;
  const spent = await tx.modelCall.aggregate({ where: { ...scope, startedAt: { gte: approval.at } }, _sum: { costUsd: true } });
  const held = await tx.budgetHold.aggregate({ where: { runId: scope.runId, createdAt: { gte: approval.at }, expiresAt: { gt: now } }, _sum: { estimatedCostUsd: true } });
  return sumCosts([spent._sum.costUsd ?? 0, held._sum.estimatedCostUsd ?? 0, estimateUsd]) <= approval.allowanceUsd;
}

/** The budgets a step's calls are checked against; both null when none is set. */
export type Budgets = { runUsd: number | null; projectUsd: number | null };

export async function budgetsOf(runId: string, client: Tx | ReturnType<typeof db> = db()): Promise<Budgets> {
  const run = await client.run.findUnique({ where: { id: runId }, select: { budgetUsd: true, project: { select: { budgetUsd: true } } } });
  return { runUsd: run?.budgetUsd ?? null, projectUsd: run?.project.budgetUsd ?? null };
}

/**
 * How long a hold counts when its call is never settled (the process died mid-call): the longest
 * a call may take, and a minute to record it.
 */
const holdLifetimeMs = () => env().MODEL_TIMEOUT_MS + 60_000;

/**
 * Checks a call against the run's and the project's budgets and, when it fits, holds its
 * estimate, in one transaction that first takes the project's row lock: two calls of the
 * project (of one run or of two) take turns, and each sees what the other spent or holds, so
 * they cannot both spend the last of a budget. On SQLite every transaction takes the database's
 * write lock at BEGIN, which serialises them the same way.
 */
async function holdWithinBudgets(
  context: { runId: string; projectId: string; stepMaxCostUsd: number },
  call: PlannedCall,
  estimateUsd: number,
): Promise<SpendDecision> {
  const { runId, projectId } = context;
  return transact(async (tx) => {
    await tx.$executeRaw`UPDATE "Project" SET "budgetUsd" = "budgetUsd" WHERE "id" = ${projectId}`;
    const now = new Date();
    const budgets = await budgetsOf(runId, tx);
    const live = { projectId, expiresAt: { gt: now } };
    const [spentByRun, heldByRun] = await Promise.all([
      tx.modelCall.groupBy({ by: ["runId"], where: { projectId }, _sum: { costUsd: true } }),
      tx.budgetHold.groupBy({ by: ["runId"], where: live, _sum: { estimatedCostUsd: true } }),
    ]);
    const spentOfRun = spentByRun.find((row) => row.runId === runId)?._sum.costUsd ?? 0;
    const heldOfRun = heldByRun.find((row) => row.runId === runId)?._sum.estimatedCostUsd ?? 0;
    const decision = decideSpend({
      modelId: call.modelId,
      estimateUsd,
      stepMaxCostUsd: context.stepMaxCostUsd,
      run: { budgetUsd: budgets.runUsd, spentUsd: sumCosts([spentOfRun]), heldUsd: sumCosts([heldOfRun]) },
      project: {
        budgetUsd: budgets.projectUsd,
        spentUsd: sumCosts(spentByRun.map((row) => row._sum.costUsd ?? 0)),
        heldUsd: sumCosts(heldByRun.map((row) => row._sum.estimatedCostUsd ?? 0)),
      },
    });
    if (!decision.allowed && !(await approvedOverspend(tx, { projectId, runId }, estimateUsd, now))) return decision;
    const hold = await tx.budgetHold.create({
      data: { projectId, runId, estimatedCostUsd: estimateUsd, createdAt: now, expiresAt: new Date(now.getTime() + holdLifetimeMs()) },
      select: { id: true },
    });
    return { allowed: true, estimatedCostUsd: estimateUsd, holdId: hold.id };
  });
}

/** Gives back a hold whose call ended without being recorded (its ModelCall row settles it otherwise). */
export async function releaseHold(holdId: string): Promise<void> {
  await db().budgetHold.deleteMany({ where: { id: holdId } });
}

/**
 * The spend gate of one step run. A model without a price cannot be checked against any
 * budget, so its calls are refused until an admin prices it (Admin -> Models). When neither the
 * run nor the project has a budget, a call is checked against the step's per-call limit only,
 * with no database work; otherwise it is held against the budgets (holdWithinBudgets) until its
 * trace row settles it. The engine passes the prices and budgets it read once for the step.
 */
export function spendGateFor(context: {
  runId: string;
  projectId: string;
  stepMaxCostUsd: number;
  priceOf?: PriceLookup;
  budgets?: Promise<Budgets>;
}): SpendGate {
  const lookUpPrice = context.priceOf ?? priceOf;
  return async (call) => {
    const price = await lookUpPrice(call.modelId);
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
    const budgets = await (context.budgets ?? budgetsOf(context.runId));
    if (budgets.runUsd === null && budgets.projectUsd === null) {
      const unlimited = { budgetUsd: null, spentUsd: 0 };
      const decision = decideSpend({ modelId: call.modelId, estimateUsd, stepMaxCostUsd: context.stepMaxCostUsd, run: unlimited, project: unlimited });
      // Only a refusal needs the database: an approved overspend may still cover it.
      if (decision.allowed) return decision;
    }
    return holdWithinBudgets(context, call, estimateUsd);
  };
}
