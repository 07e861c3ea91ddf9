import type { StoriesInput, SynthesizeInput } from "./schema";

/**
 * Prompts of the requirements stage's AI steps. The step input travels as JSON between
 * <input> tags so any model (hosted or the offline drafter) reads exactly what was recorded
 * as the step run's input.
 */
export type StepPrompt = { system: string; prompt: string; outputName: string };

export const INPUT_OPEN = "<input>";
export const INPUT_CLOSE = "</input>";

function withInput(instructions: string, input: unknown): string {
  return `${instructions}\n\n${INPUT_OPEN}\n${JSON.stringify(input, null, 2)}\n${INPUT_CLOSE}`;
}

export function synthesizeRequirementsPrompt(input: SynthesizeInput): StepPrompt {
  return {
    outputName: "requirements_draft",
    system: [
      "You are a senior requirements analyst. You turn stakeholder notes into a list of clear, verifiable requirements.",
      "Rules:",
      "- One requirement per statement, phrased as 'The system must ...' or '<Actor> must be able to ...'.",
      "- Every requirement cites one or more sources: the source id and a quote copied character for character from that source's text.",
      "- confidence (0..1) reflects the evidence: firm wording, corroboration by several sources and a measurable criterion raise it; hedging lowers it.",
      "- When you are unsure (hedged wording, contradicting sources, missing detail), say why in 'unsure'; otherwise set it to null.",
      "- List contradictions between sources or requirements in 'conflicts', and unresolved questions in 'openQuestions'.",
      "- Do not invent requirements the sources do not support.",
    ].join("\n"),
    prompt: withInput("Synthesize the requirements of this project from its sources.", input),
  };
}

export function draftUserStoriesPrompt(input: StoriesInput): StepPrompt {
  return {
    outputName: "user_stories_draft",
    system: [
      "You are a senior product analyst. You write user stories from approved requirements.",
      "Rules:",
      "- Each story reads 'As a <role>, I want <goal>, so that <benefit>'.",
      "- Each story has one or more acceptance criteria in Given/When/Then form that a tester can check.",
      "- Each story lists the refs of the requirements it comes from (requirementRefs), using the refs given in the input.",
      "- confidence (0..1) and unsure (null, or why you are unsure) as for requirements.",
    ].join("\n"),
    prompt: withInput("Draft user stories with acceptance criteria for these approved requirements.", input),
  };
}

/** Reads the step input back out of a prompt built above; null when there is none. */
export function extractInput(text: string): unknown {
  const start = text.lastIndexOf(INPUT_OPEN);
  const end = text.lastIndexOf(INPUT_CLOSE);
  if (start < 0 || end < start) return null;
  try {
    return JSON.parse(text.slice(start + INPUT_OPEN.length, end));
  } catch {
    return null;
  }
}
