import type { z } from "zod";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { nextRefNumber, refPrefix, supersedeEarlierDrafts, writeRoutedArtifact } from "@/lib/artifacts/write";
import { db } from "@/lib/db";
import { priceFor } from "@/lib/models/pricing";
import { callModel, salvageItems } from "@/lib/pipeline/model-call";
import { runStep, runWritingStep, StepFailure, type RunContext, type StepMetrics } from "@/lib/pipeline/step-runner";
import { policyFor } from "@/lib/policies/service";
import { routeArtifact, seededRandom, type RoutingEvidence } from "@/lib/routing/rules";
import { findUngroundedQuotes } from "./grounding";
import { draftUserStoriesPrompt, synthesizeRequirementsPrompt, type StepPrompt } from "./prompts";
import { checkRequirementQuality } from "./quality";
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
 * The requirements stage: synthesize requirements -> check quality -> route them; once people
 * have decided every requirement sent to them, draft user stories -> route them.
 * Each returns "waiting_review" while its drafts wait for people.
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
}): Promise<{ output: DraftStepOutput<D>; metrics: StepMetrics }> {
  const call = await callModel({ modelId: options.modelId, prompt: options.prompt, schema: options.schema });
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
  return db().reviewItem.count({ where: { status: "pending", artifact: { runId } } });
}

export async function advanceRequirementsRun(context: RunContext): Promise<PhaseOutcome> {
  await draftRequirements(context);
  if ((await pendingInRun(context.runId)) > 0) return "waiting_review";
  await draftStories(context);
  return (await pendingInRun(context.runId)) > 0 ? "waiting_review" : "completed";
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
  const policy = await policyFor("synthesize-requirements");

  const synthesis = await runStep<DraftStepOutput<RequirementsDraft>>(
    context,
    "synthesize-requirements",
    0,
    { modelId: policy.modelId, ...input },
    () =>
      draftUnderContract({
        modelId: policy.modelId,
        prompt: synthesizeRequirementsPrompt(input),
        schema: requirementsDraftSchema,
        listKey: "requirements",
        itemSchema: draftedRequirementSchema,
        fromItems: (requirements) => ({ requirements, conflicts: [], openQuestions: [] }),
      }),
  );
  const { draft, violations } = synthesis.output;

  const quality = await runStep<Record<string, QualityFlag[]>>(
    context,
    "check-quality",
    1,
    draft.requirements.map(({ id, statement, category }) => ({ id, statement, category })),
    async () => ({
      output: Object.fromEntries(draft.requirements.map((r) => [r.id, checkRequirementQuality(r.statement, r.category)])),
    }),
  );

  const synthesisStep = await db().stepRun.findUniqueOrThrow({ where: { id: synthesis.stepRunId } });
  const sourcesById = new Map(input.sources.map((s) => [s.id, s.text]));

  await runWritingStep(context, "route-requirements", 2, { policy, requirements: draft.requirements.length, violations: violations.length }, async (tx) => {
    await supersedeEarlierDrafts(tx, context.stageId, context.runId, "requirement");
    let number = await nextRefNumber(tx, context.projectId, "requirement");
    const routed: { ref: string; outcome: string; reasons: string[] }[] = [];
    const store = async (content: RequirementContent, confidence: number | null, evidence: RoutingEvidence) => {
      const ref = `${refPrefix.requirement}-${number++}`;
      const routing = routeArtifact(evidence, policy, seededRandom(`${context.runId}:${ref}`));
      await writeRoutedArtifact(tx, {
        projectId: context.projectId,
        stageId: context.stageId,
        runId: context.runId,
        draftStepRunId: synthesis.stepRunId,
        kind: "requirement",
        ref,
        content: content as unknown as Prisma.InputJsonValue,
        confidence,
        model: synthesisStep.model,
        routing,
      });
      routed.push({ ref, outcome: routing.outcome, reasons: routing.reasons.map((r) => r.code) });
    };

    for (const requirement of draft.requirements) {
      await store(
        { statement: requirement.statement, category: requirement.category, sources: requirement.sources, unsure: requirement.unsure },
        requirement.confidence,
        {
          confidence: requirement.confidence,
          unsure: requirement.unsure,
          qualityFlags: quality.output[requirement.id] ?? [],
          conflicts: draft.conflicts.filter((c) => c.requirementIds.includes(requirement.id)).map((c) => c.description),
          stepCostUsd: knownCost(synthesisStep),
          ungrounded: findUngroundedQuotes(requirement.sources, sourcesById).map(({ quote, problem }) => ({ ...quote, problem })),
          contractViolation: null,
        },
      );
    }
    for (const violation of violations) {
      const content = requirementFromViolation(violation);
      await store(content, null, {
        confidence: null,
        unsure: null,
        qualityFlags: [],
        conflicts: [],
        stepCostUsd: knownCost(synthesisStep),
        ungrounded: findUngroundedQuotes(content.sources, sourcesById).map(({ quote, problem }) => ({ ...quote, problem })),
        contractViolation: violation.problem,
      });
    }
    return { routed, conflicts: draft.conflicts, openQuestions: draft.openQuestions };
  });
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
  const policy = await policyFor("draft-user-stories");

  const drafting = await runStep<DraftStepOutput<UserStoriesDraft>>(
    context,
    "draft-user-stories",
    3,
    { modelId: policy.modelId, project: { name: project.name, brief: project.brief }, requirements },
    async () => {
      // Every requirement was rejected: there is nothing to write stories for.
      if (requirements.length === 0) return { output: { draft: { stories: [] }, violations: [] } };
      const input = storiesInputSchema.parse({ project: { name: project.name, brief: project.brief }, requirements });
      return draftUnderContract({
        modelId: policy.modelId,
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

  await runWritingStep(context, "route-user-stories", 4, { policy, stories: drafting.output.draft.stories.length }, async (tx) => {
    await supersedeEarlierDrafts(tx, context.stageId, context.runId, "user_story");
    let number = await nextRefNumber(tx, context.projectId, "user_story");
    const routed: { ref: string; outcome: string; reasons: string[] }[] = [];
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
      const routing = routeArtifact(
        {
          confidence: violation ? null : story.confidence,
          unsure: violation ? null : story.unsure,
          qualityFlags: [],
          conflicts: [],
          stepCostUsd: knownCost(draftStep),
          ungrounded: story.requirementRefs
            .filter((r) => !knownRefs.has(r))
            .map((r) => ({ sourceId: r, quote: r, problem: `refers to ${r}, which is not an approved requirement of this run` })),
          contractViolation: violation,
        },
        policy,
        seededRandom(`${context.runId}:${ref}`),
      );
      await writeRoutedArtifact(tx, {
        projectId: context.projectId,
        stageId: context.stageId,
        runId: context.runId,
        draftStepRunId: drafting.stepRunId,
        kind: "user_story",
        ref,
        content: content as unknown as Prisma.InputJsonValue,
        confidence: violation ? null : story.confidence,
        model: draftStep.model,
        routing,
      });
      routed.push({ ref, outcome: routing.outcome, reasons: routing.reasons.map((r) => r.code) });
    }
    return { routed };
  });
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
