import type { StageKey } from "@/lib/generated/sqlite/enums";

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
    description: "Flags vague wording, missing measurable criteria, ambiguous pronouns and compound statements.",
  },
  {
    key: "route-requirements",
    stage: "requirements",
    kind: "rule",
    title: "Route requirements",
    description: "Auto-approves confident, grounded, clean requirements and sends the rest to review, recording why.",
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
    description: "Auto-approves confident stories and sends the rest to review, recording why.",
  },
] as const satisfies readonly StepInfo[];

export type StepKey = (typeof stepCatalog)[number]["key"];
export type ModelStepKey = Extract<(typeof stepCatalog)[number], { kind: "model" }>["key"];

export const modelSteps = stepCatalog.filter((step): step is Extract<(typeof stepCatalog)[number], { kind: "model" }> => step.kind === "model");

export function stepInfo(key: string): StepInfo | undefined {
  return stepCatalog.find((step) => step.key === key);
}
