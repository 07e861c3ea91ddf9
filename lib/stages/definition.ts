import type { z } from "zod";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { Tx } from "@/lib/db";
import type { ArtifactKind } from "@/lib/kinds/registry";
import type { CategoryModelData } from "@/lib/models/offline/category-model";
import type { RunContext, StepMetrics } from "@/lib/pipeline/step-runner";
import type { StepPrompt } from "@/lib/requirements/prompts";
import type { RoutingEvidence } from "@/lib/routing/rules";
import type { Drafter, TierReport } from "@/lib/runtime/cascade";

/**
 * A stage declared as data: its ordered steps, each with its contracts. The one engine
 * (lib/pipeline/engine.ts) runs any stage from its definition: it drafts, checks, routes, waits
 * for people before a step that reads what they decide, and resumes after their decisions.
 */
export type StageDefinition = {
  stage: StageKey;
  steps: readonly StepDefinition[];
};

export type StepDefinition = ModelStepDefinition | CheckStepDefinition | RouteStepDefinition;

type StepIdentity = {
  /** unique across stages: policies, calibration and step runs are keyed by it */
  key: string;
  title: string;
  description: string;
};

/** An approved artifact a step reads: from an earlier signed-off stage, or approved earlier in this run. */
export type UpstreamArtifact = { id: string; ref: string; kind: string; content: Record<string, unknown> };

/** What a step sees of its run. */
export type StepEnv = {
  context: RunContext;
  project: { id: string; name: string; brief: string };
  /** the stored output of an earlier step of this run (completed before this one started) */
  outputOf<Output>(stepKey: string): Output;
  /** the approved artifacts of these kinds this run may build on, oldest first */
  upstream(kinds: readonly ArtifactKind[]): Promise<UpstreamArtifact[]>;
};

/** A model call the engine makes under the step's output contract. */
export type ModelCall = { prompt: StepPrompt; categoryModel?: CategoryModelData };

export type { Drafter };

/** A reply item (or a whole reply) that broke its contract, kept so people can repair it; with the model and tier that wrote it. */
export type ContractViolation = { raw: unknown; problem: string; drafter?: Drafter };
/** What a model step stores: the draft, plus the items salvaged from a reply that broke the contract. */
export type DraftStepOutput<Draft> = {
  draft: Draft;
  violations: ContractViolation[];
  /** the model and cascade tier that drafted each item, by its draft id (absent in outputs stored before cascades) */
  drafters?: Record<string, Drafter>;
  /** items a cascade tier escalated but no model of the next tier could re-draft, by draft id: why */
  providerErrors?: Record<string, string>;
  /** per cascade tier: its model, what it drafted and what it sent up, and why */
  tiers?: TierReport[];
};

/**
 * How a cascade asks its next tier about only part of a step's input (lib/runtime/cascade.ts):
 * the parts an item rests on, and the call for some of those parts.
 */
export type CascadeParts = {
  /** e.g. the source passages a requirement quotes, the upstream artifacts a draft names; null when unknown */
  basisOf(item: unknown): readonly string[] | null;
  /** the call for only these parts of the input; null when they cannot be cut out */
  narrowed(basis: ReadonlySet<string>): ModelCall | null;
};

export type ModelStepDefinition<Draft = unknown> = StepIdentity & {
  kind: "model";
  /** the approved kinds the step reads (of earlier stages, or of this stage when people approved them in this run) */
  reads: readonly ArtifactKind[];
  /** the kind its drafts become */
  produces: ArtifactKind;
  /** the categories its drafts carry; policies may override per category */
  categories?: readonly string[];
  outputSchema: z.ZodType<Draft>;
  /** the list in the output whose valid items are kept when the reply as a whole breaks the contract */
  listKey: string;
  itemSchema: z.ZodType;
  fromItems(items: unknown[]): Draft;
  /**
   * What the step reads, recorded on its step run (the engine adds the model and policy version),
   * and the call to make; `call` is null when there is nothing to draft, and `empty` is the output then.
   * `cascade` lets a cascade send only the uncertain part of the input up a tier; without it the
   * next tier re-drafts everything.
   */
  prepare(env: StepEnv): Promise<{ record: Record<string, unknown>; call: (() => ModelCall) | null; empty: Draft; cascade?: CascadeParts }>;
};

/** A deterministic step whose work happens outside the database (checks), on the output of earlier steps. */
export type CheckStepDefinition = StepIdentity & {
  kind: "rule";
  role: "check";
  /** what the step run records as its input */
  input(env: StepEnv): unknown;
  run(env: StepEnv): Promise<{ output: unknown; metrics?: StepMetrics }>;
};

/** One drafted item, ready for routing: its content, its evidence, and the upstream artifacts it was drafted from. */
export type RouteCandidate = {
  /** the draft-local id (R1), for steps that refer to it after writing (conflicts); null for a salvaged item */
  draftId: string | null;
  content: Record<string, unknown>;
  category: string | null;
  sourceKind: string | null;
  /** the probability that `category` is right by the classifier trained on reviewers' decisions (check-category); null without one */
  categoryOpinion?: number | null;
  /** ids of the upstream artifacts it was drafted from */
  derivedFrom: readonly string[];
  /** the model and tier that drafted it, when the candidate knows (else the engine looks it up by draft id) */
  drafter?: Drafter;
  /** the engine adds calibration, and a cascade's provider error (from the draft step's output) */
  evidence: Omit<RoutingEvidence, "calibration" | "providerError">;
};

/** An artifact a route step wrote. */
export type WrittenDraft = { draftId: string | null; artifactId: string; ref: string; content: Record<string, unknown> };

/** Routes a model step's drafts: checks them, auto-approves or sends each to people, and writes them (with their links) in one transaction. */
export type RouteStepDefinition = StepIdentity & {
  kind: "rule";
  role: "route";
  /** the model step whose drafts it routes: its policy and calibration apply */
  from: string;
  /** the artifact kind it writes */
  writes: ArtifactKind;
  /** recorded on the step run beside the policy and calibration versions (counts, not content) */
  record(env: StepEnv): Record<string, unknown>;
  candidates(env: StepEnv, facts: { stepCostUsd: number | null }): Promise<RouteCandidate[]>;
  /** stage-specific writes after the drafts (conflicts between them); merged into the step's output */
  after?(tx: Tx, env: StepEnv, written: readonly WrittenDraft[]): Promise<Record<string, unknown>>;
};
