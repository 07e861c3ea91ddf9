import { z } from "zod";

export const createProjectSchema = z.object({
  name: z.string().trim().min(1, "enter a project name").max(120, "use at most 120 characters"),
  brief: z.string().trim().max(4000, "use at most 4000 characters").default(""),
});
export type CreateProjectInput = z.input<typeof createProjectSchema>;

/** A spending limit in US dollars (0 allows only free models). */
export const budgetUsdSchema = z
  .number({ error: "budgetUsd must be a number of US dollars, or null for no limit" })
  .min(0, "budgetUsd cannot be negative")
  .max(1_000_000, "budgetUsd must be at most 1000000");

export const updateProjectSchema = z.strictObject({
  budgetUsd: budgetUsdSchema.nullable().meta({ description: "Most all of the project's model calls may cost, in US dollars; null means no limit" }),
  reason: z.string({ error: "reason must be text" }).trim().max(500, "use at most 500 characters for the reason").optional(),
});
export type UpdateProjectInput = z.input<typeof updateProjectSchema>;
