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
import type { CategoryModelData } from "./category-model";
import { draftRequirements } from "./requirements";
import { draftUserStories } from "./stories";
import { offlineOptionsSchema, taskNames } from "./tasks";
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

export type { OfflineOptions } from "./tasks";

/** What to pass as generateText's `providerOptions` so the offline drafter gets its input; hosted providers ignore it. */
export function offlineProviderOptions(input: JSONObject, categoryModel?: CategoryModelData | null): SharedV4ProviderOptions {
  return { offline: categoryModel ? { input, categoryModel } : { input } };
}

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
  if (taskName === undefined || !taskNames.includes(taskName)) {
    throw new Error(
      `The offline drafter only writes structured drafts; asked for ${taskName ? `"${taskName}"` : "plain text"}. ` +
        `Call it with Output.object({ schema, name }) and name "${taskNames.join('" or "')}".`,
    );
  }
  const offline = offlineOptionsSchema.safeParse(options.providerOptions?.offline ?? {});
  if (!offline.success) {
    throw new Error(`The offline drafter cannot read providerOptions.offline for "${taskName}": ${z.prettifyError(offline.error)}`);
  }
  const text = await runDraftingTask("draft", { taskName, options: offline.data }, JSON.stringify(offline.data.input).length);
  return { text, usage: usageOf(allPromptText(options), text) };
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
