import type { StageKey } from "@/lib/generated/sqlite/enums";
import { advanceRequirementsRun, type PhaseOutcome } from "@/lib/requirements/pipeline";
import type { RunContext } from "./step-runner";
import { stepCatalog, type StepInfo } from "./steps";

/**
 * What runs when a stage runs. A stage without a pipeline has no AI steps yet: its owner signs
 * it off directly. Add a stage's pipeline here and its steps to ./steps.ts.
 */
export type Pipeline = {
  stage: StageKey;
  steps: readonly StepInfo[];
  /** Continues the run from wherever it stopped; idempotent per step. */
  advance: (context: RunContext) => Promise<PhaseOutcome>;
};

const pipelines: Partial<Record<StageKey, Pipeline>> = {
  requirements: {
    stage: "requirements",
    steps: stepCatalog.filter((step) => step.stage === "requirements"),
    advance: advanceRequirementsRun,
  },
};

export function pipelineFor(stage: StageKey): Pipeline | null {
  return pipelines[stage] ?? null;
}
