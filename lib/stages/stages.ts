import type { StageKey } from "@/lib/generated/sqlite/enums";

/** The software lifecycle, in order. Signing off one stage unlocks the next. */
export const stageKeys = [
  "requirements",
  "planning",
  "design",
  "coding",
  "testing",
  "deployment",
  "operations",
] as const satisfies readonly StageKey[];

export const stageLabels: Record<StageKey, string> = {
  requirements: "Requirements",
  planning: "Planning",
  design: "Design",
  coding: "Coding",
  testing: "Testing",
  deployment: "Deployment",
  operations: "Operations",
};

export function nextStageKey(key: StageKey): StageKey | null {
  const index = stageKeys.indexOf(key);
  return stageKeys[index + 1] ?? null;
}

export function isStageKey(value: string): value is StageKey {
  return (stageKeys as readonly string[]).includes(value);
}
