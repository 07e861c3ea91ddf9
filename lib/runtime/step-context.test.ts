import { describe, expect, it } from "vitest";
import { StepFailure } from "@/lib/pipeline/step-runner";
import type { StepPrompt } from "@/lib/requirements/prompts";
import { estimateMessageTokens } from "./context-budget";
import { fitArtifacts, fitSources, requirementFocus, termsOf } from "./step-context";

type Source = { id: string; title: string; text: string };

// A prompt like the real ones: fixed instructions, then the sources as JSON.
const prompt = (sources: Source[]): StepPrompt => ({
  outputName: "draft",
  system: "You draft requirements from the notes below. ".repeat(10),
  prompt: JSON.stringify({ sources }, null, 2),
  input: { sources },
});
const tokensOf = (built: StepPrompt) => estimateMessageTokens([{ content: built.system }, { content: built.prompt }]);

const chatter = "We chatted about the parking and the coffee machine for a while, nothing decided. ".repeat(4).trim();
const needs = "Members must be able to renew a loan online. Renewals should be limited to three per item.";
const sources: Source[] = [
  { id: "s1", title: "Kick-off", text: `${chatter}\n\n${needs}\n\n${chatter}` },
  { id: "s2", title: "Small talk", text: chatter },
];

describe("fitSources", () => {
  it("changes nothing and records nothing without a limit", () => {
    expect(fitSources(sources, { maxInputTokens: null, prompt, focusTerms: [] })).toEqual({ items: sources, contextBudget: null });
  });

  it("records that everything fit when the prompt is within the limit", () => {
    const limit = tokensOf(prompt(sources)) + 10;
    const fitted = fitSources(sources, { maxInputTokens: limit, prompt, focusTerms: [] });
    expect(fitted.items).toEqual(sources);
    expect(fitted.contextBudget).toMatchObject({ maxInputTokens: limit, leftOut: [] });
  });

  it("keeps the requirement passages, whole and verbatim, and records what was left out with sizes and titles", () => {
    const limit = tokensOf(prompt([{ ...sources[0], text: needs }])) + 5;
    const fitted = fitSources(sources, { maxInputTokens: limit, prompt, focusTerms: requirementFocus("") });
    expect(fitted.items).toEqual([{ ...sources[0], text: needs }]);
    const record = fitted.contextBudget!;
    expect(record.keptPromptTokens).toBeLessThanOrEqual(limit);
    expect(record.promptTokens).toBe(tokensOf(prompt(sources)));
    expect(record.leftOut.map((left) => left.id)).toEqual(["s1#1", "s1#3", "s2#1"]);
    expect(record.leftOut[2]).toMatchObject({ documentId: "s2", title: "Small talk" });
    expect(record.leftOut.every((left) => left.tokens > 0)).toBe(true);
    expect(record.rule).toMatch(/most|densely/);
  });

  it("refuses a limit smaller than the prompt's fixed part, saying so", () => {
    expect(() => fitSources(sources, { maxInputTokens: 50, prompt, focusTerms: [] })).toThrow(StepFailure);
    expect(() => fitSources(sources, { maxInputTokens: 50, prompt, focusTerms: [] })).toThrow(/maxInputTokens 50.*too small/);
  });
});

describe("fitArtifacts", () => {
  const artifacts = [
    { ref: "REQ-1", statement: "Members must renew loans online within a minute." },
    { ref: "REQ-2", statement: "The lobby has a nice plant in the corner that everybody likes a lot." },
  ];
  const artifactPrompt = (items: typeof artifacts): StepPrompt => ({ outputName: "d", system: "Write stories.", prompt: JSON.stringify(items, null, 2), input: {} });

  it("keeps whole artifacts most relevant to the step and lists the others", () => {
    const limit = estimateMessageTokens([{ content: "Write stories." }, { content: JSON.stringify([artifacts[0]], null, 2) }]) + 4;
    const fitted = fitArtifacts(artifacts, { maxInputTokens: limit, prompt: artifactPrompt, focusTerms: requirementFocus("loans") });
    expect(fitted.items).toEqual([artifacts[0]]);
    expect(fitted.contextBudget!.leftOut).toEqual([{ id: "REQ-2", documentId: "REQ-2", tokens: expect.any(Number) }]);
  });
});

describe("termsOf", () => {
  it("takes the content words of a brief, without stop words or short words", () => {
    expect(termsOf("The library wants online renewals for its members, and fast search.")).toEqual(["library", "wants", "online", "renewals", "members", "fast", "search"]);
  });
});
