import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env";

/**
 * A local stand-in for an OpenAI-compatible chat server (what Ollama or vLLM expose at
 * /v1/chat/completions), started by a test. Each model is scripted: a queue of replies per model
 * name, then a responder for anything after the queue. A reply can be a valid chat completion, an
 * HTTP error with headers, a hang (no answer until the client gives up), or a connection cut mid-
 * request. Every request is kept, so a test can read exactly what Countersign sent.
 */
export type StandInReply =
  /** a completion whose message content is this value as JSON */
  | { json: unknown }
  /** a completion whose message content is this text as is (prose where JSON was asked for) */
  | { text: string }
  /** an HTTP error with an OpenAI-style error body */
  | { status: number; headers?: Record<string, string>; message?: string }
  /** no answer at all: the client's timeout has to end the call */
  | { hang: true }
  /** the connection is cut before any answer */
  | { reset: true };

export type StandInMessage = { role: string; content: string };
export type StandInRequest = { path: string; model: string; messages: StandInMessage[]; body: Record<string, unknown>; receivedAt: number };
export type Responder = (request: StandInRequest) => StandInReply;

export type StandInModelServer = {
  /** the base URL to give COMPAT_BASE_URL, ending in /v1 */
  url: string;
  /** the replies a model gives next, in order (models named as sent, or with their compat: prefix) */
  script(model: string, ...replies: StandInReply[]): void;
  /** how a model answers once its script is used up */
  respondWith(model: string, responder: Responder): void;
  /** every request received, oldest first */
  received: StandInRequest[];
  requestsFor(model: string): StandInRequest[];
  /** forgets scripts, responders and requests */
  reset(): void;
  close(): Promise<void>;
};

const CHARACTERS_PER_TOKEN = 4;

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === "object" && part !== null && "text" in part ? String(part.text) : "")).join("");
  return "";
}

function completion(model: string, content: string, promptCharacters: number) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    // Token counts follow the size of what was sent and written, so costs scale as a real provider's would.
    usage: {
      prompt_tokens: Math.ceil(promptCharacters / CHARACTERS_PER_TOKEN),
      completion_tokens: Math.ceil(content.length / CHARACTERS_PER_TOKEN),
      total_tokens: Math.ceil(promptCharacters / CHARACTERS_PER_TOKEN) + Math.ceil(content.length / CHARACTERS_PER_TOKEN),
    },
  };
}

function answer(response: ServerResponse, request: IncomingMessage, standIn: StandInRequest, reply: StandInReply) {
  if ("reset" in reply) {
    request.socket.destroy();
    return;
  }
  if ("hang" in reply) return;
  if ("status" in reply) {
    response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    response.end(JSON.stringify({ error: { message: reply.message ?? `stand-in error ${reply.status}`, type: "stand_in", code: reply.status } }));
    return;
  }
  const content = "json" in reply ? JSON.stringify(reply.json) : reply.text;
  const promptCharacters = standIn.messages.reduce((sum, message) => sum + message.content.length, 0);
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(completion(standIn.model, content, promptCharacters)));
}

/** Tests name models as Countersign does (compat:llama3.1); the server sees the part after "compat:". */
const served = (model: string) => model.replace(/^compat:/, "");

export async function startStandInModelServer(): Promise<StandInModelServer> {
  const scripts = new Map<string, StandInReply[]>();
  const responders = new Map<string, Responder>();
  const received: StandInRequest[] = [];

  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const model = typeof body.model === "string" ? body.model : "";
    const messages = (Array.isArray(body.messages) ? body.messages : []).map((message: { role?: unknown; content?: unknown }) => ({
      role: String(message.role),
      content: textOf(message.content),
    }));
    const standIn: StandInRequest = { path: request.url ?? "", model, messages, body, receivedAt: Date.now() };
    received.push(standIn);
    const next = scripts.get(model)?.shift() ?? responders.get(model)?.(standIn) ?? { status: 404, message: `the stand-in has no script for model ${model}` };
    answer(response, request, standIn, next);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    script(model, ...replies) {
      scripts.set(served(model), [...(scripts.get(served(model)) ?? []), ...replies]);
    },
    respondWith(model, responder) {
      responders.set(served(model), responder);
    },
    received,
    requestsFor: (model) => received.filter((request) => request.model === served(model)),
    reset() {
      scripts.clear();
      responders.clear();
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests keep their sockets open; end them so the server can close.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a prompt holds between its `<name-CODE>` tags (as the prompts write their data blocks), the code, and where. */
export function dataBlock(text: string, name: string): { code: string; text: string; json: () => unknown; start: number; end: number } | null {
  const open = new RegExp(`<${name}-([0-9a-f]+)>`).exec(text);
  if (!open) return null;
  const code = open[1];
  const close = text.indexOf(`</${name}-${code}>`, open.index);
  if (close < 0) return null;
  const inner = text.slice(open.index + open[0].length, close).replace(/^\n|\n$/g, "");
  return { code, text: inner, json: () => JSON.parse(inner), start: open.index, end: close };
}

/**
 * The stand-in for the test file that calls this at its top: started before the file's own
 * beforeAll hooks, with the OpenAI-compatible provider pointed at it, and stopped after its tests.
 */
export function standInModelServerForThisFile(): StandInModelServer {
  let started: StandInModelServer | null = null;
  beforeAll(async () => {
    started = await startStandInModelServer();
    process.env.COMPAT_BASE_URL = started.url;
    resetEnvForTests();
  });
  afterAll(async () => {
    delete process.env.COMPAT_BASE_URL;
    resetEnvForTests();
    await started?.close();
  });
  return new Proxy({} as StandInModelServer, {
    get(_, key: keyof StandInModelServer) {
      if (!started) throw new Error("The stand-in model server starts in the file's beforeAll.");
      const value = started[key];
      return typeof value === "function" ? value.bind(started) : value;
    },
  });
}
