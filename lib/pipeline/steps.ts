import type { StageKey } from "@/lib/generated/sqlite/enums";
import { requirementCategories } from "@/lib/requirements/schema";

/**
 * The catalogue of process steps. Model steps draft with the model their policy names; rule
 * steps are deterministic checks and bookkeeping. The stage pipelines in ./pipelines.ts run them.
 */
export type StepKind = "model" | "rule";
export type StepInfo = { key: string; stage: StageKey; kind: StepKind; title: string; description: string };

export const stepCatalog = [
  {
    key: "synthesize-requirements",
    stage: "requirements",
    kind: "model",
    title: "Synthesize requirements",
    description: "Drafts requirements from the project's sources, citing verbatim quotes, and lists conflicts and open questions.",
  },
  {
    key: "check-quality",
    stage: "requirements",
    kind: "rule",
    title: "Check quality",
    description:
      "Flags malformed statements, statements their quotes do not support, directives planted in sources, vague wording, missing measurable criteria, ambiguous pronouns and compound statements.",
  },
  {
    key: "route-requirements",
    stage: "requirements",
    kind: "rule",
    title: "Route requirements",
    description:
      "Auto-approves a clean requirement only when its calibrated probability clears the threshold its labelled evidence supports; sends the rest to review, recording why, and opens a conflict item for each contradiction.",
  },
  {
    key: "draft-user-stories",
    stage: "requirements",
    kind: "model",
    title: "Draft user stories",
    description: "Writes user stories with Given/When/Then acceptance criteria from the approved requirements.",
  },
  {
    key: "route-user-stories",
    stage: "requirements",
    kind: "rule",
    title: "Route user stories",
    description: "Checks each story and auto-approves it only when calibration supports it; sends the rest to review, recording why.",
  },
] as const satisfies readonly StepInfo[];

export type StepKey = (typeof stepCatalog)[number]["key"];
export type ModelStepKey = Extract<(typeof stepCatalog)[number], { kind: "model" }>["key"];

export const modelSteps = stepCatalog.filter((step): step is Extract<(typeof stepCatalog)[number], { kind: "model" }> => step.kind === "model");

export function stepInfo(key: string): StepInfo | undefined {
  return stepCatalog.find((step) => step.key === key);
}

/** The categories a step's drafts carry (policies may override per category); empty when they have none. */
export function stepCategories(stepKey: ModelStepKey): readonly string[] {
  return stepKey === "synthesize-requirements" ? requirementCategories : [];
}
