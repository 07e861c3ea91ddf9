import { stageFromKinds } from "../definition-from-kinds";

/** Deployment: release notes for what was built, and the risks of shipping it with their rollback plans. */
export const deploymentStage = stageFromKinds("deployment", ["release_note", "deployment_risk"]);
