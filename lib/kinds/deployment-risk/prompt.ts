import type { StepPrompt } from "@/lib/requirements/prompts";
import { draftPrompt } from "../draft-prompt";
import type { DeploymentRisksInput } from "./schema";

/** draft-deployment-risks for a hosted model: each risk with likelihood, impact, mitigation and a concrete rollback. */
export function draftDeploymentRisksPrompt(input: DeploymentRisksInput, options: { drawCode?: () => string } = {}): StepPrompt {
  return draftPrompt({
    outputName: "deployment_risks_draft",
    role: "You are a senior site reliability engineer reviewing a release before it ships.",
    rules: [
      "- Name what could go wrong when this release reaches production: start from the architecture decisions and from the security and performance requirements.",
      "- likelihood and impact are low, medium or high; mitigation is what is done before or during the release.",
      "- rollback.trigger is an observation with a threshold (e.g. 'more than 2% of payments fail in the first hour'), taken from the requirements' figures where they give one.",
      "- rollback.steps are exact actions the person on call can carry out in order (deploy the previous version, turn off a feature flag, restore a named backup), never 'roll back if needed'.",
    ],
    task: "Draft the deployment risks of this release.",
    input,
    drawCode: options.drawCode,
  });
}
