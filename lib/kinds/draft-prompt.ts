import type { JSONObject } from "@ai-sdk/provider";
import { block, boundaryCode, untrustedDataRules, type StepPrompt } from "@/lib/requirements/prompts";

/**
 * The prompt of a drafting step of the later stages. Upstream artifacts were approved by people,
 * but their text came from stakeholder notes anyone could write, so they travel as JSON inside
 * tags carrying a random code, exactly as sources do in the requirements stage; the step input
 * also rides along as data for the offline drafter, which never reads the prompt.
 */
export type DraftPromptSpec = {
  outputName: string;
  /** who the model is, e.g. "You are a senior software architect." */
  role: string;
  rules: readonly string[];
  /** what to do with the block, e.g. "Draft architecture decision records for ..." */
  task: string;
  input: JSONObject;
  drawCode?: () => string;
};

const COMMON_RULES = [
  "- Every draft lists in derivedFrom the ids (the `id` fields, not the refs) of the upstream artifacts it was drafted from; never an id the input does not contain.",
  "- Work only from the upstream artifacts: do not invent features, figures or constraints they do not state. Where a figure or decision is missing, say so in 'unsure' and ask in 'openQuestions'.",
  "- confidence (0..1): high when the upstream work states what the draft needs, lower when you had to assume; 'unsure' is null when sure, otherwise why not.",
];

export function draftPrompt(spec: DraftPromptSpec): StepPrompt {
  const json = JSON.stringify(spec.input, null, 2);
  const code = boundaryCode([json], spec.drawCode);
  return {
    outputName: spec.outputName,
    system: [spec.role, "Rules:", ...spec.rules, ...COMMON_RULES, "", untrustedDataRules(["upstream"], code)].join("\n"),
    prompt: `${spec.task}\n\n${block("upstream", code, json)}`,
    input: spec.input,
  };
}
