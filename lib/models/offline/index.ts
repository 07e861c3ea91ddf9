import type {
  JSONObject,
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4FinishReason,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
  SharedV4ProviderOptions,
} from "@ai-sdk/provider";
import { z } from "zod";
import { storiesInputSchema, synthesizeInputSchema } from "@/lib/requirements/schema";
import { categoryModelDataSchema, type CategoryModelData } from "./category-model";
import { draftRequirements } from "./requirements";
import { draftTasks, tasksInputSchema } from "./stages/coding";
import { deploymentRisksInputSchema, draftDeploymentRisks, draftReleaseNotes, releaseNotesInputSchema } from "./stages/deployment";
import { adrsInputSchema, draftAdrs, draftInterfaces, interfacesInputSchema } from "./stages/design";
import { draftRunbooks, runbooksInputSchema } from "./stages/operations";
import { draftMilestones, milestonesInputSchema } from "./stages/planning";
import { draftTestCases, testCasesInputSchema } from "./stages/testing";
import { draftUserStories } from "./stories";
import { runDraftingTask } from "./threads";

/**
 * The built-in drafter: honest rules behind the AI SDK's language-model interface, so the
 * product works offline and without an API key. It reads the task from the requested output's
 * name and the step input as structured data from `providerOptions.offline.input` (never from
 * the prompt, whose text a source could forge), and answers with the draft as JSON.
 * Deterministic: no network, no randomness, no clock. The drafting itself runs on a drafting
 * thread (threads.ts), so the server stays responsive while a large run drafts.
 */
export { draftRequirements, draftUserStories };
export { categoryDoubt, categoryModelDataSchema, predictCategory, trainCategoryModel } from "./category-model";
export type { CategoryExample, CategoryModelData, CategoryPrediction } from "./category-model";

const offlineOptionsSchema = z.object({
  input: z.record(z.string(), z.unknown(), "no step input: pass it as providerOptions.offline.input"),
  categoryModel: categoryModelDataSchema.nullish(),
});
export type OfflineOptions = z.infer<typeof offlineOptionsSchema>;

/** What to pass as generateText's `providerOptions` so the offline drafter gets its input; hosted providers ignore it. */
export function offlineProviderOptions(input: JSONObject, categoryModel?: CategoryModelData | null): SharedV4ProviderOptions {
  return { offline: categoryModel ? { input, categoryModel } : { input } };
}

const tasks: Record<string, (options: OfflineOptions) => unknown> = {
  requirements_draft: ({ input, categoryModel }) => draftRequirements(synthesizeInputSchema.parse(input), { categoryModel }),
  user_stories_draft: ({ input }) => draftUserStories(storiesInputSchema.parse(input)),
  milestones_draft: ({ input }) => draftMilestones(milestonesInputSchema.parse(input)),
  adrs_draft: ({ input }) => draftAdrs(adrsInputSchema.parse(input)),
  interfaces_draft: ({ input }) => draftInterfaces(interfacesInputSchema.parse(input)),
  tasks_draft: ({ input }) => draftTasks(tasksInputSchema.parse(input)),
  test_cases_draft: ({ input }) => draftTestCases(testCasesInputSchema.parse(input)),
  release_notes_draft: ({ input }) => draftReleaseNotes(releaseNotesInputSchema.parse(input)),
  deployment_risks_draft: ({ input }) => draftDeploymentRisks(deploymentRisksInputSchema.parse(input)),
  runbooks_draft: ({ input }) => draftRunbooks(runbooksInputSchema.parse(input)),
};

const STOP: LanguageModelV4FinishReason = { unified: "stop", raw: "stop" };
const CHARACTERS_PER_TOKEN = 4;

export function createOfflineDrafter(modelId = "drafter"): LanguageModelV4 {
  return {
    specificationVersion: "v4",
    provider: "offline",
    modelId,
    supportedUrls: {},
    async doGenerate(options) {
      const { text, usage } = await answer(options);
      return { content: [{ type: "text", text }], finishReason: STOP, usage, warnings: [], response: { modelId } };
    },
    async doStream(options) {
      const { text, usage } = await answer(options);
      const parts: LanguageModelV4StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "response-metadata", modelId },
        { type: "text-start", id: "draft" },
        { type: "text-delta", id: "draft", delta: text },
        { type: "text-end", id: "draft" },
        { type: "finish", usage, finishReason: STOP },
      ];
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      });
      return { stream };
    },
  };
}

async function answer(options: LanguageModelV4CallOptions): Promise<{ text: string; usage: LanguageModelV4Usage }> {
  const format = options.responseFormat;
  const taskName = format?.type === "json" ? format.name : undefined;
  if (taskName === undefined || !tasks[taskName]) {
    throw new Error(
      `The offline drafter only writes structured drafts; asked for ${taskName ? `"${taskName}"` : "plain text"}. ` +
        `Call it with Output.object({ schema, name }) and name "${Object.keys(tasks).join('" or "')}".`,
    );
  }
  const offline = offlineOptionsSchema.safeParse(options.providerOptions?.offline ?? {});
  if (!offline.success) {
    throw new Error(`The offline drafter cannot read providerOptions.offline for "${taskName}": ${z.prettifyError(offline.error)}`);
  }
  const text = await runDraftingTask("draft", { taskName, options: offline.data }, JSON.stringify(offline.data.input).length);
  return { text, usage: usageOf(allPromptText(options), text) };
}

/** One task's draft as JSON text, in the calling thread: what a drafting thread runs for the model. */
export function writeDraft(taskName: string, options: OfflineOptions): string {
  const task = tasks[taskName];
  if (!task) throw new Error(`The offline drafter has no task "${taskName}"`);
  try {
    return JSON.stringify(task(options));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The offline drafter cannot read the input for "${taskName}": ${reason}`);
  }
}

function allPromptText(options: LanguageModelV4CallOptions): string {
  return options.prompt
    .map((message) =>
      typeof message.content === "string"
        ? message.content
        : message.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join(""),
    )
    .join("\n");
}

/** Tokens estimated from characters, so the app can show usage; the price of this model is zero. */
function usageOf(prompt: string, output: string): LanguageModelV4Usage {
  const inputTokens = Math.ceil(prompt.length / CHARACTERS_PER_TOKEN);
  const outputTokens = Math.ceil(output.length / CHARACTERS_PER_TOKEN);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}
