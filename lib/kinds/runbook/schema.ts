import { z } from "zod";
import { adrContentSchema } from "../adr/schema";
import { deploymentRiskContentSchema } from "../deployment-risk/schema";
import { releaseNoteContentSchema } from "../release-note/schema";
import { derivedFromSchema, drafted, openQuestionSchema, projectSchema, unsureSchema, upstream, upstreamRequirementSchema, upstreamStorySchema } from "../draft-parts";

/** operations: how to keep what was released running. One runbook per released feature area. */
export const alertSeverities = ["page", "ticket"] as const;

export const alertSchema = z.object({
  name: z.string().trim().min(1),
  condition: z.string().trim().min(1).describe("a measurable condition, e.g. 'p95 unlock time above 5 s for 10 minutes'"),
  severity: z.enum(alertSeverities).describe("page: someone acts now; ticket: within working hours"),
});
export type Alert = z.infer<typeof alertSchema>;

export const runbookContentSchema = z.object({
  title: z.string().trim().min(1),
  service: z.string().trim().min(1).describe("the released feature or component it covers"),
  alerts: z.array(alertSchema).min(1, "a runbook starts from at least one alert"),
  checks: z.array(z.string().min(1)).min(1).describe("routine checks that it works"),
  diagnosis: z.array(z.string().min(1)).min(1).describe("steps to find the cause when an alert fires"),
  recovery: z.array(z.string().min(1)).min(1).describe("steps that restore service"),
  derivedFrom: derivedFromSchema,
  unsure: unsureSchema,
});
export type RunbookContent = z.infer<typeof runbookContentSchema>;

export const draftedRunbookSchema = drafted(runbookContentSchema);
export type DraftedRunbook = z.infer<typeof draftedRunbookSchema>;

/** draft-runbooks reads what was released, the decisions and risks behind it, and the requirements' figures. */
export const runbooksInputSchema = z.object({
  project: projectSchema,
  requirements: z.array(upstreamRequirementSchema),
  stories: z.array(upstreamStorySchema),
  adrs: z.array(upstream(adrContentSchema)),
  releaseNotes: z.array(upstream(releaseNoteContentSchema)).min(1, "no approved release notes: nothing was released to run"),
  deploymentRisks: z.array(upstream(deploymentRiskContentSchema)),
});
export type RunbooksInput = z.infer<typeof runbooksInputSchema>;

export const runbooksDraftSchema = z.object({ runbooks: z.array(draftedRunbookSchema), openQuestions: z.array(openQuestionSchema) });
export type RunbooksDraft = z.infer<typeof runbooksDraftSchema>;
