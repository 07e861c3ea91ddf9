import { readdirSync, readFileSync } from "node:fs";
import { generateText, Output } from "ai";
import { describe, expect, it } from "vitest";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import { checkRequirementDraft } from "@/lib/requirements/quality";
import { synthesizeRequirementsPrompt } from "@/lib/requirements/prompts";
import { requirementsDraftSchema, type SynthesizeInput } from "@/lib/requirements/schema";
import { createOfflineDrafter, draftRequirements, offlineProviderOptions } from "./index";
import { writeDraft } from "./tasks";
import { runOnDraftingThread } from "./threads";

/** Drafting off the event loop: a drafting thread answers exactly what the calling thread would. */
const project = { name: "Bike-share rider app", brief: "A rider app for the city bike-share." };
const notes = loadDemoNotes();
// Twice the demo notes: more than a small task, so the model hands it to a thread.
const input: SynthesizeInput = { project, sources: [0, 1].flatMap((copy) => notes.map((note, index) => ({ id: `source-${copy}-${index}`, ...note }))) };

// A thread's first task loads the NLP library from source: seconds on a busy machine.
const THREAD_START = { timeout: 120_000 };

describe("drafting threads", () => {
  it("draft the same requirements as the calling thread", THREAD_START, async () => {
    const onThread = await runOnDraftingThread("draft", { taskName: "requirements_draft", options: { input } });
    expect(JSON.parse(onThread)).toEqual(draftRequirements(input));
    expect(onThread).toBe(writeDraft("requirements_draft", { input }));
  });

  it("answer the model's calls with large inputs", THREAD_START, async () => {
    const prompt = synthesizeRequirementsPrompt(input);
    const result = await generateText({
      model: createOfflineDrafter(),
      output: Output.object({ schema: requirementsDraftSchema, name: prompt.outputName }),
      prompt: prompt.prompt,
      providerOptions: offlineProviderOptions(prompt.input),
    });
    expect(result.output).toEqual(draftRequirements(input));
  });

  it("check drafts as the calling thread does", THREAD_START, async () => {
    const drafts = draftRequirements(input).requirements;
    const sourceTexts = new Map(input.sources.map((source) => [source.id, source.text]));
    const onThread = await runOnDraftingThread("checkRequirements", { drafts, sourceTexts });
    expect(onThread).toEqual(Object.fromEntries(drafts.map(({ id, ...draft }) => [id, checkRequirementDraft(draft, sourceTexts)])));
  });

  // /proc/<...>/stat: the nice value is the 19th field, counted after the command's closing bracket.
  const niceOf = (statFile: string) => {
    const stat = readFileSync(statFile, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  };
  const ownNice = process.platform === "linux" ? niceOf("/proc/self/stat") : 19;

  it.runIf(ownNice < 19)("run at the lowest priority, leaving the calling threads at theirs", THREAD_START, async () => {
    await runOnDraftingThread("draft", { taskName: "requirements_draft", options: { input } });
    const niceValues = readdirSync("/proc/self/task").map((tid) => niceOf(`/proc/self/task/${tid}/stat`));
    expect(niceValues).toContain(19);
    expect(niceOf("/proc/self/stat")).toBe(ownNice);
    expect(niceValues.filter((nice) => nice === ownNice).length).toBeGreaterThan(niceValues.length / 2);
  });

  it("reject with the task's own error, and keep working", THREAD_START, async () => {
    const broken = { input: { project, sources: [] } };
    await expect(runOnDraftingThread("draft", { taskName: "requirements_draft", options: broken })).rejects.toThrow(
      /cannot read the input for "requirements_draft".*at least one source/s,
    );
    await expect(runOnDraftingThread("draft", { taskName: "no_such_task", options: { input } })).rejects.toThrow(/has no task "no_such_task"/);
    expect(JSON.parse(await runOnDraftingThread("draft", { taskName: "requirements_draft", options: { input } }))).toEqual(draftRequirements(input));
  });
});
