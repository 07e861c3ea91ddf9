import { z } from "zod";
import { adrContentSchema } from "../adr/schema";
import { taskContentSchema } from "../task/schema";
import { derivedFromSchema, drafted, openQuestionSchema, projectSchema, unsureSchema, upstream, upstreamRequirementSchema } from "../draft-parts";

/** deployment: what could go wrong when this ships, and how to undo it. */
export const riskLevels = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const rollbackPlanSchema = z.object({
  trigger: z.string().trim().min(1).describe("the observation that starts the rollback, with a threshold"),
  steps: z.array(z.string().min(1)).min(1, "a rollback plan needs steps").describe("what to do, in order"),
});

export const deploymentRiskContentSchema = z.object({
  title: z.string().trim().min(1),
  description: z.string().trim().min(1),
  likelihood: z.enum(riskLevels),
  impact: z.enum(riskLevels),
  mitigation: z.string().trim().min(1).describe("what is done before or during the release to make it less likely or less harmful"),
  rollback: rollbackPlanSchema,
  derivedFrom: derivedFromSchema,
  unsure: unsureSchema,
});
export type DeploymentRiskContent = z.infer<typeof deploymentRiskContentSchema>;

export const draftedDeploymentRiskSchema = drafted(deploymentRiskContentSchema);
export type DraftedDeploymentRisk = z.infer<typeof draftedDeploymentRiskSchema>;

/** draft-deployment-risks reads the design decisions, the requirements they serve and what was built. */
export const deploymentRisksInputSchema = z.object({
  project: projectSchema,
  requirements: z.array(upstreamRequirementSchema).min(1, "no approved requirements to weigh risks against"),
  adrs: z.array(upstream(adrContentSchema)),
  tasks: z.array(upstream(taskContentSchema)),
});
export type DeploymentRisksInput = z.infer<typeof deploymentRisksInputSchema>;

export const deploymentRisksDraftSchema = z.object({ deploymentRisks: z.array(draftedDeploymentRiskSchema), openQuestions: z.array(openQuestionSchema) });
export type DeploymentRisksDraft = z.infer<typeof deploymentRisksDraftSchema>;
