import { stageFromKinds } from "../definition-from-kinds";

/** Design: architecture decisions and interfaces, drafted from the approved requirements, stories and release plan. */
export const designStage = stageFromKinds("design", ["adr", "interface"]);
