import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { callModel } from "@/lib/pipeline/model-call";
import { synthesizeRequirementsPrompt } from "@/lib/requirements/prompts";
import { requirementsDraftSchema } from "@/lib/requirements/schema";

/**
 * Hosted models are switched on by configuration alone. A local stand-in for an
 * OpenAI-compatible server (as Ollama or vLLM expose) checks what Countersign sends and
 * answers like one, so the real provider code path runs without a network.
 */
const draft = {
  requirements: [
    {
      id: "R1",
      statement: "Riders must be able to unlock a bike in under 5 seconds.",
      category: "performance",
      sources: [{ sourceId: "s1", quote: "unlock a bike in under 5 seconds" }],
      confidence: 0.9,
      unsure: null,
    },
  ],
  conflicts: [],
  openQuestions: [],
};

type Received = { path: string; authorization: string | undefined; body: Record<string, unknown> };
const received: Received[] = [];
let server: Server;

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readJson(request);
    received.push({ path: request.url ?? "", authorization: request.headers.authorization, body });
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1_700_000_000,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify(draft) }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1_000, completion_tokens: 200, total_tokens: 1_200 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.env.COMPAT_BASE_URL = `http://127.0.0.1:${port}/v1`;
  process.env.COMPAT_API_KEY = "local-key";
  process.env.OPENAI_API_KEY = "sk-test";
  process.env.OPENAI_BASE_URL = `http://127.0.0.1:${port}/openai`;
  resetEnvForTests();
});

afterAll(async () => {
  for (const key of ["COMPAT_BASE_URL", "COMPAT_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"]) delete process.env[key];
  resetEnvForTests();
  await new Promise((resolve) => server.close(resolve));
});

const prompt = synthesizeRequirementsPrompt({
  project: { name: "Bikes", brief: "" },
  sources: [{ id: "s1", title: "Note", kind: "other", text: "Riders must unlock a bike in under 5 seconds." }],
});

describe("hosted providers", () => {
  it("asks an OpenAI-compatible server for JSON matching the contract, and prices it at zero", async () => {
    const result = await callModel({ modelId: "compat:llama3.1", prompt, schema: requirementsDraftSchema });
    expect(result.output).toEqual(draft);
    expect(result.usage).toEqual({ inputTokens: 1_000, outputTokens: 200 });
    expect(result.costUsd).toBe(0);

    const request = received.at(-1)!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.authorization).toBe("Bearer local-key");
    expect(request.body.model).toBe("llama3.1");
    expect(request.body.response_format).toMatchObject({ type: "json_schema" });
    expect(JSON.stringify(request.body.messages)).toMatch(/<sources-[0-9a-f]{16}>/);
  });

  it("calls OpenAI's chat API with the key and prices the usage from the table", async () => {
    const result = await callModel({ modelId: "openai:gpt-4.1-mini", prompt, schema: requirementsDraftSchema });
    expect(result.output).toEqual(draft);
    // 1,000 in at $0.40/M plus 200 out at $1.60/M.
    expect(result.costUsd).toBeCloseTo(0.00072, 9);
    const request = received.at(-1)!;
    expect(request.path).toBe("/openai/chat/completions");
    expect(request.authorization).toBe("Bearer sk-test");
  });

  it("refuses a provider that is not configured, saying what to set", async () => {
    await expect(callModel({ modelId: "anthropic:claude-sonnet-4-5", prompt, schema: requirementsDraftSchema })).rejects.toThrow(
      /ANTHROPIC_API_KEY/,
    );
  });
});
