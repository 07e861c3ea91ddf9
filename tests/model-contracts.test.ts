import { beforeAll, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/actors";
import { listArtifacts } from "@/lib/artifacts/service";
import { getRun, startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { updatePolicy } from "@/lib/policies/service";
import { createProject } from "@/lib/projects/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser } from "./helpers";

/**
 * A hosted model stands in here for what real providers do wrong: one requirement breaks the
 * contract (no category), one quotes words its source does not contain. The rest of the draft
 * must survive, and both faulty items must reach a person with the reason why.
 */
const replies = vi.hoisted(() => ({ texts: [] as string[] }));

vi.mock("@/lib/models/registry", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/models/registry")>();
  const { MockLanguageModelV4: Mock } = await import("ai/test");
  const model = new Mock({
    provider: "openai",
    modelId: "gpt-4.1-mini",
    doGenerate: async () => ({
      content: [{ type: "text", text: replies.texts.shift() ?? "{}" }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 2_000, noCache: 2_000, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 500, text: 500, reasoning: 0 },
      },
      warnings: [],
    }),
  });
  return { ...original, languageModelFor: () => model };
});

const NOTE = "Riders must be able to unlock a bike with the app in under 5 seconds. Payments must use a certified provider.";

describe("model replies that break their contract", () => {
  let owner: UserActor;
  let projectId: string;
  let sourceId: string;

  beforeAll(async () => {
    const admin = await makeUser("admin@contracts.test", "admin");
    owner = await makeUser("owner@contracts.test");
    projectId = (await createProject(admin, { name: "Contracts" })).id;
    await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [owner.email] });
    sourceId = (await addSource(owner, projectId, { title: "Ops interview", kind: "interview", text: NOTE })).id;
    await updatePolicy(admin, "synthesize-requirements", { modelId: "openai:gpt-4.1-mini", minConfidence: 0.5, maxCostUsd: 1, auditSampleRate: 0, alwaysReview: false });
  });

  it("keeps the valid items, and sends the broken and ungrounded ones to review with reasons", async () => {
    const draft = {
      requirements: [
        {
          id: "R1",
          statement: "Riders must be able to unlock a bike with the app in under 5 seconds.",
          category: "performance",
          sources: [{ sourceId, quote: "Riders must be able to unlock a bike with the app in under 5 seconds." }],
          confidence: 0.9,
          unsure: null,
        },
        {
          id: "R2",
          statement: "Payments must use a certified provider.",
          sources: [{ sourceId, quote: "Payments must use a certified provider." }],
          confidence: 0.9,
          unsure: null,
        },
        {
          id: "R3",
          statement: "Riders must be able to reserve a bike.",
          category: "functional",
          sources: [{ sourceId, quote: "Riders can reserve bikes for ten minutes." }],
          confidence: 0.9,
          unsure: null,
        },
      ],
      conflicts: [],
      openQuestions: [],
    };
    // Both attempts break the contract the same way, as a model that misunderstood would.
    replies.texts.push(JSON.stringify(draft), JSON.stringify(draft));

    const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();

    const run = await getRun(owner, runId);
    const synthesis = run.steps.find((s) => s.key === "synthesize-requirements")!;
    expect(synthesis.status).toBe("completed");
    expect(synthesis.attempts).toBe(2);
    expect(synthesis.model).toBe("openai:gpt-4.1-mini");
    expect(synthesis.inputTokens).toBe(4_000);
    expect(synthesis.outputTokens).toBe(1_000);
    // 4,000 in at $0.40/M plus 1,000 out at $1.60/M.
    expect(synthesis.costUsd).toBeCloseTo(0.0032, 9);
    expect(run.costUsd).toBeCloseTo(0.0032, 9);

    const artifacts = await listArtifacts(owner, projectId, { kind: "requirement" });
    const codes = (statement: string) =>
      (artifacts.find((a) => (a.content as { statement: string }).statement === statement)!.routing!.reasons as { code: string }[]).map((r) => r.code);
    expect(artifacts).toHaveLength(3);
    // Clean, but no decision yet shows that this step's drafts can be trusted unseen.
    expect(codes("Riders must be able to unlock a bike with the app in under 5 seconds.")).toEqual(["insufficient_evidence"]);
    expect(codes("Payments must use a certified provider.")).toEqual(["low_confidence", "contract_violation"]);
    // What was valid in the broken item survives for the reviewer: its statement and its quote.
    const broken = artifacts.find((a) => (a.content as { statement: string }).statement === "Payments must use a certified provider.")!;
    expect(broken.content).toMatchObject({ category: "functional", sources: [{ sourceId, quote: "Payments must use a certified provider." }] });
    expect(codes("Riders must be able to reserve a bike.")).toContain("ungrounded");
  });

  /** Drafts one confident, grounded requirement with the given model and budget; returns its artifact. */
  async function draftOneCleanRequirement(name: string, modelId: string, maxCostUsd: number) {
    const admin = await makeUser(`admin-${name.toLowerCase()}@contracts.test`, "admin");
    await updatePolicy(admin, "synthesize-requirements", { modelId, minConfidence: 0.5, maxCostUsd, auditSampleRate: 0, alwaysReview: false });
    const project = (await createProject(admin, { name })).id;
    await updateStageAssignments(admin, project, "requirements", { ownerEmail: owner.email });
    const source = await addSource(owner, project, { title: "Note", text: NOTE });
    const requirement = {
      id: "R1",
      statement: "Payments must use a certified provider.",
      category: "security",
      sources: [{ sourceId: source.id, quote: "Payments must use a certified provider." }],
      confidence: 0.95,
      unsure: null,
    };
    replies.texts.push(JSON.stringify({ requirements: [requirement], conflicts: [], openQuestions: [] }));
    const { id: runId } = await startRun(owner, project, { stage: "requirements" });
    await drainRuns();
    const [artifact] = await listArtifacts(owner, project, { kind: "requirement" });
    // A reply still waiting in the queue is a call that was never made.
    const called = replies.texts.length === 0;
    replies.texts.length = 0;
    return { artifact, called, run: await getRun(owner, runId) };
  }

  it("makes no call to a model with no known price: the run waits, blocked, until its price is set", async () => {
    const { artifact, called, run } = await draftOneCleanRequirement("Unpriced", "openai:a-model-released-tomorrow", 100);
    expect(called).toBe(false);
    expect(artifact).toBeUndefined();
    expect(run.status).toBe("blocked");
    expect(run.blockedReason).toBe("budget_exceeded");
  });

  it("makes no call a step's per-call limit cannot pay for", async () => {
    const { artifact, called, run } = await draftOneCleanRequirement("Budget", "openai:gpt-4.1-mini", 0.001);
    expect(called).toBe(false);
    expect(artifact).toBeUndefined();
    expect(run.status).toBe("blocked");
  });
});
