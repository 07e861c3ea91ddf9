import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { log, withLogContext } from "@/lib/log";
import { startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { updatePolicy } from "@/lib/policies/service";
import { createProject } from "@/lib/projects/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser } from "./helpers";
import { linesPrintedBy } from "./support/printed-lines";
import { standInModelServerForThisFile } from "./support/stand-in-model-server";

/**
 * The call loop's log lines: one JSON line per model call (and per retry), each naming the run
 * and the step run it belongs to, and the request when a request drove the work. A provider's
 * error can quote credentials: they never reach a line, nor do the prompt or the reply.
 */
vi.mock("@/lib/runtime/retry", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/runtime/retry")>();
  return { ...original, defaultRetryPolicy: { attemptsPerModel: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 } };
});

const MODEL = "compat:logged-model";
const NOTE = "Riders must be able to unlock a bike with the app in under 5 seconds.";
const PROVIDER_KEY = "sk-proj-0123456789abcdefghij";
const BEARER = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl";

const server = standInModelServerForThisFile();
let admin: UserActor;
const level = log().level;

beforeAll(async () => {
  admin = await makeUser("admin@runtime-logs.test", "admin");
  await updatePolicy(admin, "synthesize-requirements", { modelId: MODEL, fallbackModelIds: [], cascade: [], maxCostUsd: 1 });
});

beforeEach(() => {
  server.reset();
  log().level = "info";
});
afterEach(() => void (log().level = level));

let projects = 0;
async function queuedRun() {
  projects += 1;
  const projectId = (await createProject(admin, { name: `Logged ${projects}` })).id;
  await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: admin.email, reviewerEmails: [admin.email] });
  await addSource(admin, projectId, { title: "Ops interview", kind: "interview", text: NOTE });
  return (await startRun(admin, projectId, { stage: "requirements" })).id;
}

describe("the call loop's log lines", () => {
  it("name the run, the step run and the request of every call and retry, and never a credential, prompt or reply", async () => {
    server.script(MODEL, { status: 500, message: `upstream said: invalid header Authorization: Bearer ${BEARER} for key ${PROVIDER_KEY}` });
    server.respondWith(MODEL, () => ({ json: { requirements: [], conflicts: [], openQuestions: [] } }));
    const runId = await queuedRun();

    const { lines, printed } = await linesPrintedBy(() => withLogContext({ requestId: "req-runtime-logs-1" }, () => drainRuns()));

    const step = await db().stepRun.findUniqueOrThrow({ where: { runId_key: { runId, key: "synthesize-requirements" } } });
    const callLines = lines.filter((line) => typeof line.msg === "string" && line.msg.startsWith("model call"));
    expect(callLines.map((line) => [line.msg, line.status ?? null, line.attempt])).toEqual([
      ["model call failed", "provider_error", 1],
      ["model call failed; retrying", null, 1],
      ["model call", "ok", 2],
    ]);
    for (const line of callLines) expect(line).toMatchObject({ runId, stepRunId: step.id, requestId: "req-runtime-logs-1", model: MODEL });
    // Every line logged while the run advanced names it.
    for (const line of lines) expect(line.runId).toBe(runId);

    expect(callLines[0].error).toMatch(/HTTP 500: .*\[redacted\]/);
    expect(printed).not.toContain(PROVIDER_KEY);
    expect(printed).not.toContain(BEARER);
    // Prompts and replies stay in the trace, which only project readers may see.
    expect(printed).not.toContain(NOTE);
    expect(printed).not.toContain("openQuestions");
  });

  it("name the run and the step run when no request drove the work", async () => {
    server.respondWith(MODEL, () => ({ json: { requirements: [], conflicts: [], openQuestions: [] } }));
    const runId = await queuedRun();
    const { lines } = await linesPrintedBy(() => drainRuns());
    const step = await db().stepRun.findUniqueOrThrow({ where: { runId_key: { runId, key: "synthesize-requirements" } } });
    const [call] = lines.filter((line) => line.msg === "model call");
    expect(call).toMatchObject({ runId, stepRunId: step.id, status: "ok", attempt: 1 });
    expect(call).not.toHaveProperty("requestId");
  });
});
