import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { drainRuns } from "@/lib/pipeline/worker";
import { presentMessages } from "@/lib/runs/views";
import { api, makeCaller, type Caller } from "./api/api-client";
import { sampleNotes } from "./helpers";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));

/**
 * GET /runs/{id} lists each step's model calls; GET /step-runs/{id} returns a step's full trace.
 * Both answer only people who may read the project, since traces quote the sources. The model
 * calls are written here directly, as the model runtime writes them, so every field is known.
 */
describe("run traces through the API", () => {
  let owner: Caller;
  let reviewer: Caller;
  let stranger: Caller;
  let runId: string;
  let stepRunId: string;
  let repairedId: string;
  let brokenId: string;

  beforeAll(async () => {
    const admin = await makeCaller("admin@traces.test", "admin");
    owner = await makeCaller("owner@traces.test");
    reviewer = await makeCaller("reviewer@traces.test");
    stranger = await makeCaller("stranger@traces.test");
    const projectId = (await api(admin.token).ok("createProject", { json: { name: "Traces" } })).id;
    await api(admin.token).ok("updateStage", { params: { id: projectId, key: "requirements" }, json: { ownerEmail: owner.email, reviewerEmails: [reviewer.email] } });
    for (const note of sampleNotes) await api(owner.token).ok("addSource", { params: { id: projectId }, json: note });
    runId = (await api(owner.token).ok("startRun", { params: { id: projectId }, json: { stage: "requirements" } })).id;
    await drainRuns();

    const step = await db().stepRun.findUniqueOrThrow({ where: { runId_key: { runId, key: "synthesize-requirements" } } });
    stepRunId = step.id;
    // After whatever the runtime itself recorded: a reply that broke the contract, then its repair.
    const position = await db().modelCall.count({ where: { stepRunId } });
    const common = { stepRunId, runId, projectId, model: "openai:gpt-4.1-mini", tier: 0 };
    const startedAt = new Date("2026-01-02T03:04:05.000Z");
    brokenId = (
      await db().modelCall.create({
        data: {
          ...common,
          position,
          attempt: 1,
          status: "contract_violation",
          error: "The reply is not JSON.",
          messages: [
            { role: "system", content: "You draft requirements. Answer with JSON only." },
            { role: "user", content: "<data-7f3a>Members must be able to renew a loan online.</data-7f3a>" },
          ],
          rawResponse: "Sure! Here are the requirements: members renew online.",
          validationErrors: [{ path: "(root)", message: "Expected JSON, got prose" }],
          inputTokens: 812,
          outputTokens: 14,
          costUsd: 0.00035,
          estimatedCostUsd: 0.0004,
          latencyMs: 950,
          startedAt,
          finishedAt: new Date(startedAt.getTime() + 950),
        },
      })
    ).id;
    repairedId = (
      await db().modelCall.create({
        data: {
          ...common,
          position: position + 1,
          attempt: 2,
          status: "ok",
          messages: [
            { role: "system", content: "You draft requirements. Answer with JSON only." },
            { role: "user", content: [{ type: "text", text: "Your last reply broke the contract: (root): Expected JSON, got prose" }] },
          ],
          rawResponse: '{"requirements":[]}',
          parsedOutput: { requirements: [] },
          inputTokens: 840,
          outputTokens: 9,
          costUsd: 0.00036,
          latencyMs: 610,
          startedAt: new Date(startedAt.getTime() + 1000),
          finishedAt: new Date(startedAt.getTime() + 1610),
        },
      })
    ).id;
  });

  it("lists every step with its id and a summary of each model call", async () => {
    const run = await api(owner.token).ok("getRun", { params: { id: runId } });
    expect(run.steps.map((step) => step.key)).toEqual(["synthesize-requirements", "check-quality", "check-category", "route-requirements"]);
    for (const step of run.steps) expect(step.id).toBe((await db().stepRun.findUniqueOrThrow({ where: { runId_key: { runId, key: step.key } } })).id);

    const calls = run.steps[0].calls;
    expect(calls.map((call) => call.id).slice(-2)).toEqual([brokenId, repairedId]);
    expect(calls.find((call) => call.id === brokenId)).toEqual({
      id: brokenId,
      position: calls.length - 2,
      model: "openai:gpt-4.1-mini",
      tier: 0,
      attempt: 1,
      status: "contract_violation",
      error: "The reply is not JSON.",
      inputTokens: 812,
      outputTokens: 14,
      costUsd: 0.00035,
      latencyMs: 950,
      startedAt: "2026-01-02T03:04:05.000Z",
      finishedAt: "2026-01-02T03:04:05.950Z",
    });
    // A summary carries no prompt or reply: those are in the step's trace only.
    expect(JSON.stringify(run)).not.toContain("renew a loan online");
    expect(run.steps[1].calls).toEqual([]);
    expect(run).toMatchObject({ budgetUsd: null, blockedReason: null, blockedDetail: null });
  });

  it("returns a step's full trace: its input and output, and each call's messages, raw reply, parsed output and validation errors", async () => {
    const trace = await api(reviewer.token).ok("getStepRun", { params: { id: stepRunId } });
    const stored = await db().stepRun.findUniqueOrThrow({ where: { id: stepRunId } });
    expect(trace).toMatchObject({ id: stepRunId, runId, key: "synthesize-requirements", kind: "model", status: "completed" });
    expect(trace.input).toEqual(stored.input);
    expect(trace.output).toEqual(stored.output);

    const broken = trace.calls.find((call) => call.id === brokenId)!;
    expect(broken.messages).toEqual([
      { role: "system", content: "You draft requirements. Answer with JSON only." },
      { role: "user", content: "<data-7f3a>Members must be able to renew a loan online.</data-7f3a>" },
    ]);
    expect(broken).toMatchObject({
      rawResponse: "Sure! Here are the requirements: members renew online.",
      parsedOutput: null,
      validationErrors: [{ path: "(root)", message: "Expected JSON, got prose" }],
      estimatedCostUsd: 0.0004,
      startedAt: "2026-01-02T03:04:05.000Z",
      finishedAt: "2026-01-02T03:04:05.950Z",
    });
    const repaired = trace.calls.find((call) => call.id === repairedId)!;
    expect(repaired).toMatchObject({ attempt: 2, status: "ok", parsedOutput: { requirements: [] }, validationErrors: null, rawResponse: '{"requirements":[]}' });
    // Content sent as parts reads as its text.
    expect(repaired.messages[1]).toEqual({ role: "user", content: "Your last reply broke the contract: (root): Expected JSON, got prose" });
  });

  it("refuses both to someone outside the project, and answers 404 for ids that name nothing", async () => {
    expect((await api(stranger.token).fails("getRun", { params: { id: runId } }, 403)).code).toBe("forbidden");
    expect((await api(stranger.token).fails("getStepRun", { params: { id: stepRunId } }, 403)).code).toBe("forbidden");
    await api(owner.token).fails("getStepRun", { params: { id: "no-such-step" } }, 404);
    await api(owner.token).fails("getRun", { params: { id: "no-such-run" } }, 404);
  });

  it("shows messages in any stored shape as role and text", () => {
    expect(presentMessages(null)).toEqual([]);
    expect(presentMessages([{ role: "user", content: [{ type: "text", text: "a" }, { type: "image", url: "x" }] }, "odd"])).toEqual([
      { role: "user", content: 'a\n{"type":"image","url":"x"}' },
      { role: "unknown", content: "null" },
    ]);
  });
});
