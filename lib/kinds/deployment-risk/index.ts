import type { KindDefinition } from "../types";
import { checkDeploymentRisk } from "./checks";
import { draftDeploymentRisksPrompt } from "./prompt";
import { deploymentRiskContentSchema, deploymentRisksDraftSchema, deploymentRisksInputSchema, riskLevels, type DeploymentRiskContent } from "./schema";

/** The deployment risk kind (deployment): what the kind registry and the stage engine need. */
export const definition = {
  kind: "deployment_risk",
  stage: "deployment",
  prefix: "RISK",
  label: "Deployment risk",
  contentSchema: deploymentRiskContentSchema,
  fields: [
    { key: "title", label: "Title", type: "text" },
    { key: "description", label: "Description", type: "longText" },
    { key: "likelihood", label: "Likelihood", type: "choice", options: riskLevels },
    { key: "impact", label: "Impact", type: "choice", options: riskLevels },
    { key: "mitigation", label: "Mitigation", type: "longText" },
    { key: "rollback", label: "Rollback plan", type: "record", keys: ["trigger", "steps"] },
  ],
  summary: (content: DeploymentRiskContent) => `${content.title} (${content.likelihood} likelihood, ${content.impact} impact)`,
  check: checkDeploymentRisk,
  draftStep: {
    key: "draft-deployment-risks",
    outputName: "deployment_risks_draft",
    listKey: "deploymentRisks",
    reads: ["requirement", "adr", "task"],
    inputSchema: deploymentRisksInputSchema,
    outputSchema: deploymentRisksDraftSchema,
    prompt: draftDeploymentRisksPrompt,
  },
} as const satisfies KindDefinition<DeploymentRiskContent>;
