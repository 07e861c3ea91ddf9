"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import type { Grant } from "@/lib/authz";
import { approveOverspend, setRunBudget } from "@/lib/pipeline/service";
import { updateProject } from "@/lib/projects/service";

const projectId = z.string().min(1, "the project is missing");
const runId = z.string().min(1, "the run is missing");
/** A budget typed in a form: empty means no limit; anything else must be a number (the service checks its range). */
const budget = z.union([z.number(), z.null(), z.string().trim().transform((text) => (text === "" ? null : Number(text)))]).default(null);
const reason = z.string().trim().max(500, "use at most 500 characters");
const manageBudgets = ({ projectId: id }: { projectId: string }): Grant => ({ permissions: ["budgets:manage"], scope: { projectId: id } });

export const updateProjectBudgetAction = action(z.object({ projectId, budgetUsd: budget, reason: reason.optional() }), manageBudgets, async (actor, { projectId: id, ...input }) => {
  const result = await updateProject(actor, id, input);
  return { budgetUsd: result.budgetUsd, resumed: result.resumedRunIds.length };
});

export const setRunBudgetAction = action(z.object({ projectId, runId, budgetUsd: budget, reason: reason.optional() }), manageBudgets, async (actor, { runId: id, budgetUsd, reason: why }) => {
  const result = await setRunBudget(actor, id, { budgetUsd, reason: why });
  return { budgetUsd: result.budgetUsd, resumed: result.resumed ? 1 : 0 };
});

export const approveOverspendAction = action(
  z.object({ projectId, runId, reason: reason.min(1, "say why the overspend is approved: it is kept in the audit trail") }),
  manageBudgets,
  async (actor, { runId: id, reason: why }) => {
    const result = await approveOverspend(actor, id, { reason: why });
    return { budgetUsd: result.budgetUsd, resumed: result.resumed ? 1 : 0 };
  },
);
