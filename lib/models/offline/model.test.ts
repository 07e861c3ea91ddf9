import { generateText, Output, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import { draftUserStoriesPrompt, synthesizeRequirementsPrompt } from "@/lib/requirements/prompts";
import { requirementsDraftSchema, userStoriesDraftSchema, type SynthesizeInput } from "@/lib/requirements/schema";
import { createOfflineDrafter, draftRequirements, draftUserStories } from "./index";

const project = {
  name: "Bike-share rider app",
  brief: "A rider app for the city bike-share: find, unlock and return bikes, pay, and report problems.",
};
const input: SynthesizeInput = { project, sources: loadDemoNotes().map((note, index) => ({ id: `source-${index + 1}`, ...note })) };

describe("the offline drafter as an AI SDK language model", () => {
  it("identifies itself as a v4 model of the offline provider", () => {
    const model = createOfflineDrafter();
    expect(model).toMatchObject({ specificationVersion: "v4", provider: "offline", modelId: "drafter", supportedUrls: {} });
    expect(createOfflineDrafter("other").modelId).toBe("other");
  });

  it("drafts requirements through generateText with a structured output", async () => {
    const prompt = synthesizeRequirementsPrompt(input);
    const result = await generateText({
      model: createOfflineDrafter(),
      output: Output.object({ schema: requirementsDraftSchema, name: prompt.outputName }),
      system: prompt.system,
      prompt: prompt.prompt,
    });
    expect(requirementsDraftSchema.safeParse(result.output).success).toBe(true);
    expect(result.output).toEqual(draftRequirements(input));
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.finishReason).toBe("stop");
  });

  it("drafts user stories through generateText", async () => {
    const requirements = draftRequirements(input).requirements.map((item, index) => ({ ref: `REQ-${index + 1}`, statement: item.statement, category: item.category }));
    const prompt = draftUserStoriesPrompt({ project, requirements });
    const result = await generateText({
      model: createOfflineDrafter(),
      output: Output.object({ schema: userStoriesDraftSchema, name: prompt.outputName }),
      system: prompt.system,
      prompt: prompt.prompt,
    });
    expect(result.output).toEqual(draftUserStories({ project, requirements }));
    expect(result.output.stories).toHaveLength(requirements.length);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("streams the same draft", async () => {
    const prompt = synthesizeRequirementsPrompt(input);
    const result = streamText({
      model: createOfflineDrafter(),
      output: Output.object({ schema: requirementsDraftSchema, name: prompt.outputName }),
      system: prompt.system,
      prompt: prompt.prompt,
    });
    expect(await result.output).toEqual(draftRequirements(input));
    expect((await result.usage).inputTokens).toBeGreaterThan(0);
  });

  it("answers the same prompt with the same text and usage", async () => {
    const prompt = synthesizeRequirementsPrompt(input);
    const run = () =>
      generateText({ model: createOfflineDrafter(), output: Output.object({ schema: requirementsDraftSchema, name: prompt.outputName }), system: prompt.system, prompt: prompt.prompt });
    const [first, second] = await Promise.all([run(), run()]);
    expect(second.text).toBe(first.text);
    expect(second.usage).toEqual(first.usage);
  });

  it("refuses a task it does not know, saying which ones it does", async () => {
    const prompt = synthesizeRequirementsPrompt(input);
    await expect(
      generateText({ model: createOfflineDrafter(), output: Output.object({ schema: requirementsDraftSchema, name: "summary" }), prompt: prompt.prompt }),
    ).rejects.toThrow(/only writes structured drafts.*"summary".*requirements_draft/);
    await expect(generateText({ model: createOfflineDrafter(), prompt: "Hello" })).rejects.toThrow(/plain text/);
  });

  it("refuses an input that breaks the step's contract", async () => {
    const prompt = synthesizeRequirementsPrompt({ ...input, sources: [] });
    await expect(
      generateText({ model: createOfflineDrafter(), output: Output.object({ schema: requirementsDraftSchema, name: prompt.outputName }), prompt: prompt.prompt }),
    ).rejects.toThrow(/cannot read the input for "requirements_draft".*at least one source/s);
  });
});

describe("the demo notes", () => {
  it("are four sources of the four kinds, titled by their heading or file name", () => {
    const notes = loadDemoNotes();
    expect(notes.map((note) => note.kind)).toEqual(["interview", "email", "meeting_notes", "ticket_digest"]);
    expect(notes.map((note) => note.title)).toEqual([
      "Interview: rider support lead, CityCycle",
      "Email from operations director",
      "Meeting notes: rider app workshop",
      "Digest of rider complaints, August 2026",
    ]);
    for (const note of notes) expect(note.text.split(/\s+/).length).toBeGreaterThan(100);
  });
});
