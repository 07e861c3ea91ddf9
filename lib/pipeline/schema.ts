import { z } from "zod";
import { budgetUsdSchema } from "@/lib/projects/schema";
import { stageKeySchema } from "@/lib/stages/schema";

export const startRunSchema = z.object({
  stage: stageKeySchema,
  budgetUsd: budgetUsdSchema
    .nullable()
    .optional()
    .meta({ description: "Most the run's model calls may cost, in US dollars; absent or null means no run limit (the project's budget still applies)" }),
});

const reasonSchema = z.string({ error: "reason must be text" }).trim().max(500, "use at most 500 characters for the reason");

export const runBudgetSchema = z.strictObject({
  budgetUsd: budgetUsdSchema.nullable().meta({ description: "The run's new spending limit in US dollars; null removes it" }),
  reason: reasonSchema.optional(),
});
export type RunBudgetInput = z.input<typeof runBudgetSchema>;

export const approveOverspendSchema = z.strictObject({
  reason: reasonSchema.min(1, "say why the overspend is approved: it is kept in the audit trail"),
});
export type ApproveOverspendInput = z.input<typeof approveOverspendSchema>;

/** The figures a run blocked by a budget keeps (Run.blockedDetail), as the worker wrote them. */
export const blockedDetailSchema = z.object({
  limit: z.enum(["project", "run", "step_call"]),
  limitUsd: z.number(),
  spentUsd: z.number(),
  estimatedCostUsd: z.number(),
  message: z.string(),
});
export type BlockedDetail = z.infer<typeof blockedDetailSchema>;

/** Why a blocked run waits when a budget refused its next model call. */
export const BUDGET_EXCEEDED = "budget_exceeded";

/** The figures of a run blocked by a budget, or null when it is not (or they cannot be read). */
export function budgetBlock(run: { status: string; blockedReason: string | null; blockedDetail: unknown }): BlockedDetail | null {
  if (run.status !== "blocked" || run.blockedReason !== BUDGET_EXCEEDED) return null;
  const detail = blockedDetailSchema.safeParse(run.blockedDetail);
  return detail.success ? detail.data : null;
}

/** Runs that have not finished drafting: a stage cannot be signed off, nor its sources changed, while one is. */
export const draftingRunStatuses = ["queued", "running", "blocked"] as const;
