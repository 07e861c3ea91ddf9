import { stageFromKinds } from "../definition-from-kinds";

/** Operations: runbooks for what was released, drafted from the release notes, decisions and risks. */
export const operationsStage = stageFromKinds("operations", ["runbook"]);
