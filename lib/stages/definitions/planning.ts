import { stageFromKinds } from "../definition-from-kinds";

/** Planning: a release plan of milestones, drafted from the approved requirements and user stories. */
export const planningStage = stageFromKinds("planning", ["milestone"]);
