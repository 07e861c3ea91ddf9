import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { ModelStepDefinition } from "@/lib/stages/definition";
import { stageDefinitions } from "@/lib/stages/definitions";

/**
 * The catalogue of process steps, read from the stage definitions (lib/stages/definitions).
 * Model steps draft with the model their policy names; rule steps are deterministic checks and bookkeeping.
 */
export type StepKind = "model" | "rule";
export type StepInfo = { key: string; stage: StageKey; kind: StepKind; title: string; description: string };
export type ModelStepInfo = StepInfo & { kind: "model" };

/** A model step's key: policies, calibration and routing decisions are kept per model step. */
export type ModelStepKey = string;

export const stepCatalog: readonly StepInfo[] = stageDefinitions.flatMap((definition) =>
  definition.steps.map(({ key, kind, title, description }) => ({ key, stage: definition.stage, kind, title, description })),
);

export const modelSteps = stepCatalog.filter((step): step is ModelStepInfo => step.kind === "model");

const modelStepDefinitions = new Map<string, ModelStepDefinition>(
  stageDefinitions.flatMap((definition) => definition.steps.flatMap((step) => (step.kind === "model" ? [[step.key, step] as const] : []))),
);

export function stepInfo(key: string): StepInfo | undefined {
  return stepCatalog.find((step) => step.key === key);
}

/** The categories a step's drafts carry (policies may override per category); empty when they have none. */
export function stepCategories(stepKey: ModelStepKey): readonly string[] {
  return modelStepDefinitions.get(stepKey)?.categories ?? [];
}
