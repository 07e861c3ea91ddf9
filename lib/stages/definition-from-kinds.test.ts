import { describe, expect, it, vi } from "vitest";
import type { DraftStepOutput, ModelStepDefinition, RouteStepDefinition, StepEnv, UpstreamArtifact } from "./definition";
import { stageFromKinds } from "./definition-from-kinds";

/**
 * The route step of a later stage: drafts that break the kind's contract go to people with the
 * problem shown (never dropped), and a cascade's next tier is asked about only the upstream
 * artifacts the uncertain drafts name.
 */
// No context budget: the step reads all its upstream work (the limit lives in the policy table).
vi.mock("@/lib/runtime/step-context", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/lib/runtime/step-context")>()), contextLimitOf: async () => null }));

const [draftStep, routeStep] = stageFromKinds("planning", ["milestone"]).steps as [ModelStepDefinition, RouteStepDefinition];

const stories: UpstreamArtifact[] = [
  { id: "us-1", ref: "US-1", kind: "user_story", content: { role: "rider", goal: "unlock a bike", benefit: "ride", acceptanceCriteria: [{ given: "a", when: "b", then: "c" }], requirementRefs: ["REQ-1"], unsure: null } },
  { id: "us-2", ref: "US-2", kind: "user_story", content: { role: "rider", goal: "pay", benefit: "ride on", acceptanceCriteria: [{ given: "a", when: "b", then: "c" }], requirementRefs: ["REQ-1"], unsure: null } },
];
const requirements: UpstreamArtifact[] = [{ id: "req-1", ref: "REQ-1", kind: "requirement", content: { statement: "Riders must be able to unlock a bike.", category: "functional", sources: [], unsure: null } }];

function envWith(output: DraftStepOutput<Record<string, unknown>>): StepEnv {
  return {
    context: { runId: "run", projectId: "project", stageId: "stage", workerId: "worker", leaseMs: 1000 },
    project: { id: "project", name: "Bikes", brief: "" },
    outputOf: <Output>() => output as Output,
    upstream: async (kinds) => [...requirements, ...stories].filter((artifact) => kinds.includes(artifact.kind as never)),
  };
}

const milestone = (extra: Record<string, unknown> = {}) => ({
  id: "D1",
  position: 1,
  title: "Unlock",
  goal: "Riders can unlock a bike with the app.",
  storyIds: ["us-1"],
  dependsOn: [],
  size: "small",
  risks: [],
  derivedFrom: ["us-1"],
  unsure: null,
  confidence: 0.9,
  ...extra,
});

describe("a later stage's route step", () => {
  it("routes drafts that break the kind's contract to people with the problem, as far as they can be read", async () => {
    const output: DraftStepOutput<Record<string, unknown>> = {
      draft: { milestones: [milestone(), milestone({ id: "D2", title: "Pay", size: "huge", derivedFrom: ["us-2"] })], openQuestions: [] },
      violations: [
        { raw: { title: "Refunds", derivedFrom: ["us-2"] }, problem: "milestones.2.goal: required", drafter: { model: "openai:gpt-5", tier: 1 } },
        { raw: "I could not plan these stories.", problem: "the whole reply broke the contract: the reply is not JSON" },
      ],
    };
    const candidates = await routeStep.candidates(envWith(output), { stepCostUsd: 0 });
    expect(candidates.map((candidate) => [candidate.draftId, candidate.evidence.contractViolation])).toEqual([
      ["D1", null],
      [null, expect.stringMatching(/^size: /)],
      [null, "milestones.2.goal: required"],
      [null, "the whole reply broke the contract: the reply is not JSON"],
    ]);
    const [, wrongSize, salvaged, prose] = candidates;
    // What was valid in a broken draft stays; what was not is left empty for the reviewer to fill in.
    expect(wrongSize.content).toMatchObject({ title: "Pay", size: "", derivedFrom: ["us-2"] });
    expect(wrongSize.derivedFrom).toEqual(["us-2"]);
    expect(salvaged.content).toMatchObject({ title: "Refunds", goal: "", storyIds: [], derivedFrom: ["us-2"] });
    expect(salvaged.drafter).toEqual({ model: "openai:gpt-5", tier: 1 });
    expect(prose.content).toMatchObject({ title: "I could not plan these stories.", derivedFrom: [] });
    // A broken draft's own confidence and doubt are not evidence for anything.
    for (const broken of [wrongSize, salvaged, prose]) expect(broken.evidence).toMatchObject({ confidence: null, unsure: null, qualityFlags: [] });
  });

  it("asks a cascade's next tier about only the upstream artifacts the uncertain drafts name", async () => {
    const prepared = await draftStep.prepare(envWith({ draft: {}, violations: [] }));
    expect(prepared.cascade!.basisOf(milestone({ derivedFrom: ["us-2", "req-1"] }))).toEqual(["us-2", "req-1"]);
    expect(prepared.cascade!.basisOf({ title: "no parents" })).toBeNull();
    const narrowed = prepared.cascade!.narrowed(new Set(["us-2"]))!;
    expect((narrowed.prompt.input.stories as { id: string }[]).map((story) => story.id)).toEqual(["us-2"]);
    expect(narrowed.prompt.input.requirements).toEqual([]);
    // A list the step cannot do without stays whole, as context, when none of it is named.
    const context = prepared.cascade!.narrowed(new Set(["req-1"]))!;
    expect((context.prompt.input.requirements as { id: string }[]).map((requirement) => requirement.id)).toEqual(["req-1"]);
    expect((context.prompt.input.stories as { id: string }[]).map((story) => story.id)).toEqual(["us-1", "us-2"]);
  });
});
