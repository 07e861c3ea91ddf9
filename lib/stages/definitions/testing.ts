import { stageFromKinds } from "../definition-from-kinds";

/** Testing: test cases per acceptance criterion, drafted from the approved stories. */
export const testingStage = stageFromKinds("testing", ["test_case"]);
