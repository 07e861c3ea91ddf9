import type { StageKey } from "@/lib/generated/sqlite/enums";
import { stageDefinitions } from "@/lib/stages/definitions";
import { advanceStage, type PhaseOutcome } from "./engine";
import type { RunContext } from "./step-runner";
import { stepCatalog, type StepInfo } from "./steps";

/**
 * What runs when a stage runs: its definition, run by the engine. A stage without a definition
 * has no AI steps yet: its owner signs it off directly.
 */
export type Pipeline = {
  stage: StageKey;
  steps: readonly StepInfo[];
  /** Continues the run from wherever it stopped; idempotent per step. */
  advance: (context: RunContext) => Promise<PhaseOutcome>;
};

const pipelines = new Map<StageKey, Pipeline>(
  stageDefinitions.map((definition) => [
    definition.stage,
    { stage: definition.stage, steps: stepCatalog.filter((step) => step.stage === definition.stage), advance: (context) => advanceStage(definition, context) },
  ]),
);

export function pipelineFor(stage: StageKey): Pipeline | null {
  return pipelines.get(stage) ?? null;
}
