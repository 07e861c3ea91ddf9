import type { z } from "zod";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { nextRefNumber, refPrefix, supersedeEarlierDrafts, writeConflict, writeRoutedArtifact, type ArtifactKind } from "@/lib/artifacts/write";
import { db, type Tx } from "@/lib/db";
import { calibrationEvidence, freshCalibration, type Calibration } from "@/lib/learning/calibration";
import { freshCategoryModel } from "@/lib/learning/category-model";
import { featuresOf, type DraftFeatures } from "@/lib/learning/features";
import { fewShotExamples } from "@/lib/learning/examples";
import type { CategoryModelData } from "@/lib/models/offline/category-model";
import { priceFor } from "@/lib/models/pricing";
import { callModel, salvageItems } from "@/lib/pipeline/model-call";
import { runStep, runWritingStep, StepFailure, type RunContext, type StepMetrics } from "@/lib/pipeline/step-runner";
import type { ModelStepKey } from "@/lib/pipeline/steps";
import { currentPolicy, type VersionedPolicy } from "@/lib/policies/service";
import { effectivePolicy } from "@/lib/policies/schema";
import { routeArtifact, stratifiedSampler, type RoutingEvidence } from "@/lib/routing/rules";
import { findUngroundedQuotes } from "./grounding";
import { draftUserStoriesPrompt, synthesizeRequirementsPrompt, type StepPrompt } from "./prompts";
import { checkRequirementDraft, checkUserStoryDraft } from "./quality";
import {
  draftedRequirementSchema,
  draftedUserStorySchema,
  requirementContentSchema,
  requirementsDraftSchema,
  storiesInputSchema,
  synthesizeInputSchema,
  userStoriesDraftSchema,
  type QualityFlag,
  type RequirementContent,
  type RequirementsDraft,
  type UserStoriesDraft,
  type UserStoryContent,
} from "./schema";

/**
 * The requirements stage: synthesize requirements -> check them -> route them (conflicts become
 * items of their own); once people have decided every requirement sent to them, draft user
 * stories -> check and route them. Each returns "waiting_review" while its drafts wait for people.
 */
export type PhaseOutcome = "waiting_review" | "completed";

type ContractViolation = { raw: unknown; problem: string };
type DraftStepOutput<D> = { draft: D; violations: ContractViolation[] };

function metricsOf(call: { model: string; usage: { inputTokens: number; outputTokens: number }; costUsd: number; latencyMs: number; attempts: number }): StepMetrics {
  return { model: call.model, ...call.usage, costUsd: call.costUsd, latencyMs: call.latencyMs, attempts: call.attempts };
}

/**
 * Calls the step's model. When every attempt breaks the contract, keeps the list items that
 * still match theirs and hands the others on as violations, to be routed to people.
 */
async function draftUnderContract<D, Item>(options: {
  modelId: string;
  prompt: StepPrompt;
  schema: z.ZodType<D>;
  listKey: string;
  itemSchema: z.ZodType<Item>;
  fromItems: (items: Item[]) => D;
  categoryModel?: CategoryModelData;
}): Promise<{ output: DraftStepOutput<D>; metrics: StepMetrics }> {
  const call = await callModel({ modelId: options.modelId, prompt: options.prompt, schema: options.schema, categoryModel: options.categoryModel });
  if (call.output) return { output: { draft: call.output, violations: [] }, metrics: metricsOf(call) };
  const salvaged = salvageItems(call.rawText, options.listKey, options.itemSchema);
  if (!salvaged) {
    throw new StepFailure(`The model's reply broke the output contract ${call.attempts} times: ${call.violation}`, metricsOf(call));
  }
  return { output: { draft: options.fromItems(salvaged.valid), violations: salvaged.invalid }, metrics: metricsOf(call) };
}

/** A step's cost, or null when its model has no price (the routing rules treat that as over budget). */
function knownCost(step: { model: string | null; costUsd: number }): number | null {
  return step.model === null || priceFor(step.model) ? step.costUsd : null;
}

async function pendingInRun(runId: string): Promise<number> {
  return db().reviewItem.count({ where: { runId, status: "pending" } });
}

export async function advanceRequirementsRun(context: RunContext): Promise<PhaseOutcome> {
  await draftRequirements(context);
  if ((await pendingInRun(context.runId)) > 0) return "waiting_review";
  await draftStories(context);
  return (await pendingInRun(context.runId)) > 0 ? "waiting_review" : "completed";
}

/** Routing one drafted item: its evidence, the features calibration reads, and where it lands. */
type RouteInput = {
  context: RunContext;
  tx: Tx;
  stepKey: ModelStepKey;
  policy: VersionedPolicy;
  calibration: Calibration | null;
  kind: ArtifactKind;
  ref: string;
  draftStepRunId: string;
  model: string | null;
  content: Prisma.InputJsonValue;
  category: string | null;
  sourceKind: string | null;
  evidence: Omit<RoutingEvidence, "calibration">;
  audits: AuditStrata;
};

/**
 * Would-be-auto-approved drafts so far per stratum (the step and a category), for systematic
 * audit sampling: counted once per stratum in a routing step, then kept up to date in memory.
 */
type AuditStrata = { sampler: (category: string | null) => Promise<(rate: number) => boolean>; record: (category: string | null, eligible: boolean) => void };

function auditStrata(tx: Tx, stepKey: ModelStepKey): AuditStrata {
  const counts = new Map<string | null, number>();
  const countOf = async (category: string | null) => {
    if (!counts.has(category)) counts.set(category, await tx.routingDecision.count({ where: { stepKey, category, eligible: true } }));
    return counts.get(category)!;
  };
  return {
    sampler: async (category) => stratifiedSampler(`${stepKey}:${category ?? "-"}`, await countOf(category)),
    record: (category, eligible) => {
      if (eligible) counts.set(category, (counts.get(category) ?? 0) + 1);
    },
  };
}

async function routeAndWrite(input: RouteInput) {
  const { tx, context, stepKey, policy, calibration, category } = input;
  const features: DraftFeatures = featuresOf(input.evidence, { category, modelId: input.model, sourceKind: input.sourceKind });
  const calibrationFacts = calibrationEvidence(calibration, policy.values, features);
  const routing = routeArtifact({ ...input.evidence, calibration: calibrationFacts }, effectivePolicy(policy.values, category), await input.audits.sampler(category));
  input.audits.record(category, routing.eligible);
  const artifact = await writeRoutedArtifact(tx, {
    projectId: context.projectId,
    stageId: context.stageId,
    runId: context.runId,
    draftStepRunId: input.draftStepRunId,
    kind: input.kind,
    ref: input.ref,
    content: input.content,
    confidence: input.evidence.confidence,
    model: input.model,
    routing,
    basis: { stepKey, category, features, calibration: calibrationFacts, policyVersion: policy.version },
  });
  return { artifact, routing, calibration: calibrationFacts };
}

async function draftRequirements(context: RunContext) {
  const project = await db().project.findUniqueOrThrow({
    where: { id: context.projectId },
    include: { sources: { orderBy: { createdAt: "asc" } } },
  });
  const input = synthesizeInputSchema.parse({
    project: { name: project.name, brief: project.brief },
    sources: project.sources.map((s) => ({ id: s.id, title: s.title, kind: s.kind, text: s.text })),
  });
  const policy = await currentPolicy("synthesize-requirements");
  const categoryModel = await freshCategoryModel();
  const examples = await fewShotExamples(input.sources.map((source) => source.text));

  const synthesis = await runStep<DraftStepOutput<RequirementsDraft>>(
    context,
    "synthesize-requirements",
    0,
    { modelId: policy.values.modelId, policyVersion: policy.version, categoryModelVersion: categoryModel?.version ?? null, examples: examples.length, ...input },
    () =>
      draftUnderContract({
        modelId: policy.values.modelId,
        prompt: synthesizeRequirementsPrompt(input, { examples }),
        schema: requirementsDraftSchema,
        listKey: "requirements",
        itemSchema: draftedRequirementSchema,
        fromItems: (requirements) => ({ requirements, conflicts: [], openQuestions: [] }),
        categoryModel: categoryModel?.data,
      }),
  );
  const { draft, violations } = synthesis.output;
  const sourcesById = new Map(input.sources.map((s) => [s.id, s.text]));
  const kindOfSource = new Map(input.sources.map((s) => [s.id, s.kind]));

  const checks = await runStep<Record<string, QualityFlag[]>>(
    context,
    "check-quality",
    1,
    draft.requirements.map(({ id, statement, category, sources }) => ({ id, statement, category, sources })),
    async () => ({
      output: Object.fromEntries(draft.requirements.map((r) => [r.id, checkRequirementDraft({ statement: r.statement, category: r.category, sources: r.sources }, sourcesById)])),
    }),
  );

  const synthesisStep = await db().stepRun.findUniqueOrThrow({ where: { id: synthesis.stepRunId } });
  const calibration = await freshCalibration("synthesize-requirements");

  await runWritingStep(
    context,
    "route-requirements",
    2,
    { policyVersion: policy.version, calibrationVersion: calibration?.version ?? 0, requirements: draft.requirements.length, violations: violations.length },
    async (tx) => {
      await supersedeEarlierDrafts(tx, context.stageId, context.runId, "requirement");
      const audits = auditStrata(tx, "synthesize-requirements");
      let number = await nextRefNumber(tx, context.projectId, "requirement");
      const routed: { ref: string; outcome: string; reasons: string[]; calibratedProbability: number; threshold: number | null }[] = [];
      const written = new Map<string, { artifactId: string; ref: string; content: RequirementContent }>();
      const store = async (draftId: string | null, content: RequirementContent, evidence: Omit<RoutingEvidence, "calibration">) => {
        const ref = `${refPrefix.requirement}-${number++}`;
        const { artifact, routing, calibration: facts } = await routeAndWrite({
          context,
          tx,
          stepKey: "synthesize-requirements",
          policy,
          calibration,
          kind: "requirement",
          ref,
          draftStepRunId: synthesis.stepRunId,
          model: synthesisStep.model,
          content: content as unknown as Prisma.InputJsonValue,
          category: content.category,
          sourceKind: kindOfSource.get(content.sources[0]?.sourceId ?? "") ?? null,
          audits,
          evidence,
        });
        if (draftId) written.set(draftId, { artifactId: artifact.id, ref, content });
        routed.push({ ref, outcome: routing.outcome, reasons: routing.reasons.map((r) => r.code), calibratedProbability: facts.probability, threshold: facts.threshold });
      };

      for (const requirement of draft.requirements) {
        await store(
          requirement.id,
          { statement: requirement.statement, category: requirement.category, sources: requirement.sources, unsure: requirement.unsure },
          {
            confidence: requirement.confidence,
            unsure: requirement.unsure,
            qualityFlags: checks.output[requirement.id] ?? [],
            conflicts: draft.conflicts.filter((c) => c.requirementIds.includes(requirement.id)).map((c) => c.description),
            stepCostUsd: knownCost(synthesisStep),
            ungrounded: findUngroundedQuotes(requirement.sources, sourcesById).map(({ quote, problem }) => ({ ...quote, problem })),
            contractViolation: null,
          },
        );
      }
      for (const violation of violations) {
        const content = requirementFromViolation(violation);
        await store(null, content, {
          confidence: null,
          unsure: null,
          qualityFlags: [],
          conflicts: [],
          stepCostUsd: knownCost(synthesisStep),
          ungrounded: findUngroundedQuotes(content.sources, sourcesById).map(({ quote, problem }) => ({ ...quote, problem })),
          contractViolation: violation.problem,
        });
      }
      const conflictRefs: string[] = [];
      for (const found of draft.conflicts) {
        const drafted = found.requirementIds.flatMap((id) => {
          const side = written.get(id);
          if (!side) return [];
          const quote = side.content.sources[0] ?? { sourceId: "", quote: "" };
          return [{ artifactId: side.artifactId, ref: side.ref, sourceId: quote.sourceId, quote: quote.quote, statement: side.content.statement }];
        });
        // Passages that contradict a draft without being drafted themselves ("The auditor said five years") are sides too.
        const quoted = new Set([...written.values()].filter((side) => drafted.some((d) => d.artifactId === side.artifactId)).flatMap((side) => side.content.sources.map((q) => q.quote)));
        const passages = found.sources.filter((quote) => !quoted.has(quote.quote)).map((quote) => ({ artifactId: null, ref: null, sourceId: quote.sourceId, quote: quote.quote, statement: null }));
        if (drafted.length === 0 || drafted.length + passages.length < 2) continue;
        const created = await writeConflict(tx, { projectId: context.projectId, stageId: context.stageId, runId: context.runId, description: found.description, sides: [...drafted, ...passages] });
        conflictRefs.push(created.ref);
      }
      return { routed, conflicts: draft.conflicts, conflictItems: conflictRefs, openQuestions: draft.openQuestions };
    },
  );
}

async function draftStories(context: RunContext) {
  const project = await db().project.findUniqueOrThrow({ where: { id: context.projectId } });
  const approved = await db().artifact.findMany({
    where: { runId: context.runId, kind: "requirement", status: { in: ["approved", "auto_approved"] } },
    include: { versions: true },
    orderBy: { createdAt: "asc" },
  });
  const requirements = approved.map((artifact) => {
    const current = artifact.versions.find((v) => v.version === artifact.currentVersion)!;
    const content = current.content as unknown as RequirementContent;
    return { ref: artifact.ref, statement: content.statement, category: content.category };
  });
  const policy = await currentPolicy("draft-user-stories");

  const drafting = await runStep<DraftStepOutput<UserStoriesDraft>>(
    context,
    "draft-user-stories",
    3,
    { modelId: policy.values.modelId, policyVersion: policy.version, project: { name: project.name, brief: project.brief }, requirements },
    async () => {
      // Every requirement was rejected: there is nothing to write stories for.
      if (requirements.length === 0) return { output: { draft: { stories: [] }, violations: [] } };
      const input = storiesInputSchema.parse({ project: { name: project.name, brief: project.brief }, requirements });
      return draftUnderContract({
        modelId: policy.values.modelId,
        prompt: draftUserStoriesPrompt(input),
        schema: userStoriesDraftSchema,
        listKey: "stories",
        itemSchema: draftedUserStorySchema,
        fromItems: (stories) => ({ stories }),
      });
    },
  );
  const draftStep = await db().stepRun.findUniqueOrThrow({ where: { id: drafting.stepRunId } });
  const knownRefs = new Set(requirements.map((r) => r.ref));
  const calibration = await freshCalibration("draft-user-stories");

  await runWritingStep(
    context,
    "route-user-stories",
    4,
    { policyVersion: policy.version, calibrationVersion: calibration?.version ?? 0, stories: drafting.output.draft.stories.length },
    async (tx) => {
      await supersedeEarlierDrafts(tx, context.stageId, context.runId, "user_story");
      const audits = auditStrata(tx, "draft-user-stories");
      let number = await nextRefNumber(tx, context.projectId, "user_story");
      const routed: { ref: string; outcome: string; reasons: string[]; calibratedProbability: number; threshold: number | null }[] = [];
      const candidates = [
        ...drafting.output.draft.stories.map((story) => ({ story, violation: null as string | null })),
        ...drafting.output.violations.map((v) => ({ story: storyFromViolation(v.raw), violation: v.problem })),
      ];
      for (const { story, violation } of candidates) {
        const ref = `${refPrefix.user_story}-${number++}`;
        const content: UserStoryContent = {
          role: story.role,
          goal: story.goal,
          benefit: story.benefit,
          acceptanceCriteria: story.acceptanceCriteria,
          requirementRefs: story.requirementRefs,
          unsure: violation ? `The draft broke its contract: ${violation}` : story.unsure,
        };
        const { routing, calibration: facts } = await routeAndWrite({
          context,
          tx,
          stepKey: "draft-user-stories",
          policy,
          calibration,
          kind: "user_story",
          ref,
          draftStepRunId: drafting.stepRunId,
          model: draftStep.model,
          content: content as unknown as Prisma.InputJsonValue,
          category: null,
          sourceKind: null,
          audits,
          evidence: {
            confidence: violation ? null : story.confidence,
            unsure: violation ? null : story.unsure,
            qualityFlags: violation ? [] : checkUserStoryDraft(story),
            conflicts: [],
            stepCostUsd: knownCost(draftStep),
            ungrounded: story.requirementRefs
              .filter((r) => !knownRefs.has(r))
              .map((r) => ({ sourceId: r, quote: r, problem: `refers to ${r}, which is not an approved requirement of this run` })),
            contractViolation: violation,
          },
        });
        routed.push({ ref, outcome: routing.outcome, reasons: routing.reasons.map((r) => r.code), calibratedProbability: facts.probability, threshold: facts.threshold });
      }
      return { routed };
    },
  );
}

/** Best-effort reading of a requirement that broke its contract, keeping every part that is valid. */
function requirementFromViolation(violation: ContractViolation): RequirementContent {
  const item = (violation.raw ?? {}) as Record<string, unknown>;
  const category = requirementContentSchema.shape.category.safeParse(item.category);
  const sources = requirementContentSchema.shape.sources.safeParse(item.sources);
  return {
    statement: typeof item.statement === "string" && item.statement.trim() ? item.statement : JSON.stringify(violation.raw),
    category: category.success ? category.data : "functional",
    sources: sources.success ? sources.data : [],
    unsure: `The draft broke its contract: ${violation.problem}`,
  };
}

/** Best-effort reading of a story that broke its contract, so a reviewer can repair it. */
function storyFromViolation(raw: unknown) {
  const item = (raw ?? {}) as Record<string, unknown>;
  const text = (value: unknown, fallback: string) => (typeof value === "string" && value.trim() ? value : fallback);
  return {
    role: text(item.role, "user"),
    goal: text(item.goal, JSON.stringify(raw)),
    benefit: text(item.benefit, "(missing)"),
    acceptanceCriteria: [{ given: "(missing)", when: "(missing)", then: "(missing)" }],
    requirementRefs: Array.isArray(item.requirementRefs) ? item.requirementRefs.filter((r): r is string => typeof r === "string") : [],
    confidence: 0,
    unsure: null as string | null,
  };
}
