import { stageFromKinds } from "../definition-from-kinds";

/** Coding: a task per story (what to build, definition of done, review checklist), drafted from the approved design. */
export const codingStage = stageFromKinds("coding", ["task"]);
