import { writeConflict } from "@/lib/artifacts/write";
import { redraftSourceIds } from "@/lib/artifacts/redraft";
import { db, type Tx } from "@/lib/db";
import { categoryOpinions, freshCategoryModel } from "@/lib/learning/category-model";
import { fewShotExamples } from "@/lib/learning/examples";
import { findUngroundedQuotes } from "@/lib/requirements/grounding";
import { draftUserStoriesPrompt, synthesizeRequirementsPrompt } from "@/lib/requirements/prompts";
import { checkRequirementDrafts, checkUserStoryDraft } from "@/lib/requirements/quality";
import { narrowSources, passageBasis } from "@/lib/runtime/cascade";
import { contextLimitOf, fitSources, requirementFocus } from "@/lib/runtime/step-context";
import {
  draftedRequirementSchema,
  draftedUserStorySchema,
  requirementCategories,
  requirementContentSchema,
  requirementsDraftSchema,
  sourceQuoteSchema,
  storiesInputSchema,
  synthesizeInputSchema,
  userStoriesDraftSchema,
  type CategoryOpinion,
  type DraftedRequirement,
  type DraftedUserStory,
  type QualityFlag,
  type RequirementContent,
  type RequirementsDraft,
  type UserStoriesDraft,
  type UserStoryContent,
} from "@/lib/requirements/schema";
import type { ContractViolation, DraftStepOutput, ModelStepDefinition, RouteCandidate, StageDefinition, StepEnv, WrittenDraft } from "../definition";

/**
 * The requirements stage: synthesize requirements from the sources -> check them (quality, and the
 * learned classifier's opinion of each category) -> route them
 * (contradictions become conflict items of their own); once people have decided every
 * requirement sent to them, draft user stories from the approved ones -> check and route them.
 */

async function projectSources(env: StepEnv) {
  // A re-draft run reads only the sources its stale requirements quote.
  const redraftIds = await redraftSourceIds(db(), env.context);
  const sources = await db().source.findMany({
    where: { projectId: env.project.id, ...(redraftIds ? { id: { in: redraftIds } } : {}) },
    orderBy: { createdAt: "asc" },
  });
  return sources.map((source) => ({ id: source.id, title: source.title, kind: source.kind, text: source.text }));
}

const synthesize: ModelStepDefinition<RequirementsDraft> = {
  kind: "model",
  key: "synthesize-requirements",
  title: "Synthesize requirements",
  description: "Drafts requirements from the project's sources, citing verbatim quotes, and lists conflicts and open questions.",
  reads: [],
  produces: "requirement",
  categories: requirementCategories,
  outputSchema: requirementsDraftSchema,
  listKey: "requirements",
  itemSchema: draftedRequirementSchema,
  fromItems: (requirements) => ({ requirements: requirements as DraftedRequirement[], conflicts: [], openQuestions: [] }),
  async prepare(env) {
    const all = synthesizeInputSchema.parse({ project: { name: env.project.name, brief: env.project.brief }, sources: await projectSources(env) });
    const categoryModel = await freshCategoryModel();
    const examples = await fewShotExamples(all.sources.map((source) => source.text));
    // Sources larger than the step's context budget are cut to their most relevant passages, whole; the record says what was left out.
    const fitted = fitSources(all.sources, {
      maxInputTokens: await contextLimitOf("synthesize-requirements"),
      prompt: (sources) => synthesizeRequirementsPrompt({ ...all, sources }, { examples }),
      focusTerms: requirementFocus(env.project.brief),
    });
    const input = { ...all, sources: fitted.items };
    return {
      record: { categoryModelVersion: categoryModel?.version ?? null, examples: examples.length, ...input, ...(fitted.contextBudget && { contextBudget: fitted.contextBudget }) },
      call: () => ({ prompt: synthesizeRequirementsPrompt(input, { examples }), categoryModel: categoryModel?.data }),
      empty: { requirements: [], conflicts: [], openQuestions: [] },
      // A cascade's next tier reads only the source lines the uncertain drafts quote.
      cascade: {
        basisOf: (item) => {
          const quotes = sourceQuoteSchema.array().min(1).safeParse((item as { sources?: unknown } | null)?.sources);
          return quotes.success ? passageBasis(quotes.data, input.sources) : null;
        },
        narrowed: (basis) => {
          const sources = narrowSources(input.sources, basis);
          return sources && { prompt: synthesizeRequirementsPrompt({ ...input, sources }, { examples }), categoryModel: categoryModel?.data };
        },
      },
    };
  },
};

type SynthesisOutput = DraftStepOutput<RequirementsDraft>;
type RequirementChecks = Record<string, QualityFlag[]>;

/** Best-effort reading of a requirement that broke its contract, keeping every part that is valid. */
function requirementFromViolation(violation: ContractViolation): RequirementContent {
  const item = (violation.raw ?? {}) as Record<string, unknown>;
  const category = requirementContentSchema.shape.category.safeParse(item.category);
  const sources = requirementContentSchema.shape.sources.safeParse(item.sources);
  return {
    // A whole reply that was not JSON (prose) is shown as the model wrote it.
    statement: typeof item.statement === "string" && item.statement.trim() ? item.statement : typeof violation.raw === "string" ? violation.raw : JSON.stringify(violation.raw),
    category: category.success ? category.data : "functional",
    sources: sources.success ? sources.data : [],
    unsure: `The draft broke its contract: ${violation.problem}`,
  };
}

async function requirementCandidates(env: StepEnv, stepCostUsd: number | null): Promise<RouteCandidate[]> {
  const { draft, violations } = env.outputOf<SynthesisOutput>("synthesize-requirements");
  const checks = env.outputOf<RequirementChecks>("check-quality");
  const opinions = env.outputOf<Record<string, CategoryOpinion>>("check-category");
  const sources = await projectSources(env);
  const sourcesById = new Map(sources.map((source) => [source.id, source.text]));
  const kindOfSource = new Map(sources.map((source) => [source.id, source.kind]));
  const ungrounded = (content: RequirementContent) => findUngroundedQuotes(content.sources, sourcesById).map(({ quote, problem }) => ({ ...quote, problem }));
  const candidate = (draftId: string | null, content: RequirementContent, evidence: Omit<RouteCandidate["evidence"], "ungrounded" | "stepCostUsd">): RouteCandidate => ({
    draftId,
    content,
    category: content.category,
    categoryOpinion: draftId === null ? null : (opinions[draftId]?.probability ?? null),
    sourceKind: kindOfSource.get(content.sources[0]?.sourceId ?? "") ?? null,
    derivedFrom: [],
    evidence: { ...evidence, stepCostUsd, ungrounded: ungrounded(content) },
  });
  return [
    ...draft.requirements.map((requirement) =>
      candidate(
        requirement.id,
        { statement: requirement.statement, category: requirement.category, sources: requirement.sources, unsure: requirement.unsure },
        {
          confidence: requirement.confidence,
          unsure: requirement.unsure,
          qualityFlags: checks[requirement.id] ?? [],
          conflicts: draft.conflicts.filter((c) => c.requirementIds.includes(requirement.id)).map((c) => c.description),
          contractViolation: null,
        },
      ),
    ),
    ...violations.map((violation) =>
      candidate(null, requirementFromViolation(violation), { confidence: null, unsure: null, qualityFlags: [], conflicts: [], contractViolation: violation.problem }),
    ),
  ];
}

/** Each contradiction the synthesis found between drafts (or between a draft and a passage) becomes one conflict item for people. */
async function writeConflicts(tx: Tx, env: StepEnv, written: readonly WrittenDraft[]) {
  const { draft } = env.outputOf<SynthesisOutput>("synthesize-requirements");
  const byDraftId = new Map(written.flatMap((side) => (side.draftId ? [[side.draftId, side]] : [])));
  const quotesOf = (side: WrittenDraft) => (side.content as RequirementContent).sources;
  const conflictRefs: string[] = [];
  for (const found of draft.conflicts) {
    const drafted = found.requirementIds.flatMap((id) => {
      const side = byDraftId.get(id);
      if (!side) return [];
      const quote = quotesOf(side)[0] ?? { sourceId: "", quote: "" };
      return [{ artifactId: side.artifactId, ref: side.ref, sourceId: quote.sourceId, quote: quote.quote, statement: (side.content as RequirementContent).statement }];
    });
    // Passages that contradict a draft without being drafted themselves ("The auditor said five years") are sides too.
    const quoted = new Set([...byDraftId.values()].filter((side) => drafted.some((d) => d.artifactId === side.artifactId)).flatMap((side) => quotesOf(side).map((q) => q.quote)));
    const passages = found.sources.filter((quote) => !quoted.has(quote.quote)).map((quote) => ({ artifactId: null, ref: null, sourceId: quote.sourceId, quote: quote.quote, statement: null }));
    if (drafted.length === 0 || drafted.length + passages.length < 2) continue;
    const created = await writeConflict(tx, { projectId: env.context.projectId, stageId: env.context.stageId, runId: env.context.runId, description: found.description, sides: [...drafted, ...passages] });
    conflictRefs.push(created.ref);
  }
  return { conflicts: draft.conflicts, conflictItems: conflictRefs, openQuestions: draft.openQuestions };
}

const draftStories: ModelStepDefinition<UserStoriesDraft> = {
  kind: "model",
  key: "draft-user-stories",
  title: "Draft user stories",
  description: "Writes user stories with Given/When/Then acceptance criteria from the approved requirements.",
  reads: ["requirement"],
  produces: "user_story",
  outputSchema: userStoriesDraftSchema,
  listKey: "stories",
  itemSchema: draftedUserStorySchema,
  fromItems: (stories) => ({ stories: stories as DraftedUserStory[] }),
  async prepare(env) {
    const project = { name: env.project.name, brief: env.project.brief };
    const requirements = (await env.upstream(["requirement"])).map((artifact) => {
      const content = artifact.content as RequirementContent;
      return { ref: artifact.ref, statement: content.statement, category: content.category };
    });
    return {
      record: { project, requirements },
      // Every requirement was rejected: there is nothing to write stories for.
      call: requirements.length === 0 ? null : () => ({ prompt: draftUserStoriesPrompt(storiesInputSchema.parse({ project, requirements })) }),
      empty: { stories: [] },
      // A cascade's next tier reads only the requirements the uncertain stories come from.
      cascade: {
        basisOf: (item) => {
          const refs = (item as { requirementRefs?: unknown } | null)?.requirementRefs;
          return Array.isArray(refs) && refs.length > 0 && refs.every((ref) => typeof ref === "string") ? (refs as string[]) : null;
        },
        narrowed: (basis) => {
          const named = requirements.filter((requirement) => basis.has(requirement.ref));
          return named.length === 0 ? null : { prompt: draftUserStoriesPrompt(storiesInputSchema.parse({ project, requirements: named })) };
        },
      },
    };
  },
};

/** Best-effort reading of a story that broke its contract, so a reviewer can repair it. */
function storyFromViolation(raw: unknown): DraftedUserStory {
  const item = (raw ?? {}) as Record<string, unknown>;
  const text = (value: unknown, fallback: string) => (typeof value === "string" && value.trim() ? value : fallback);
  return {
    id: "",
    role: text(item.role, "user"),
    goal: text(item.goal, JSON.stringify(raw)),
    benefit: text(item.benefit, "(missing)"),
    acceptanceCriteria: [{ given: "(missing)", when: "(missing)", then: "(missing)" }],
    requirementRefs: Array.isArray(item.requirementRefs) ? item.requirementRefs.filter((r): r is string => typeof r === "string") : [],
    confidence: 0,
    unsure: null,
  };
}

async function storyCandidates(env: StepEnv, stepCostUsd: number | null): Promise<RouteCandidate[]> {
  const { draft, violations } = env.outputOf<DraftStepOutput<UserStoriesDraft>>("draft-user-stories");
  const requirementIds = new Map((await env.upstream(["requirement"])).map((artifact) => [artifact.ref, artifact.id]));
  const candidates = [
    ...draft.stories.map((story) => ({ story, violation: null as string | null })),
    ...violations.map((v) => ({ story: storyFromViolation(v.raw), violation: v.problem })),
  ];
  return candidates.map(({ story, violation }) => {
    const content: UserStoryContent = {
      role: story.role,
      goal: story.goal,
      benefit: story.benefit,
      acceptanceCriteria: story.acceptanceCriteria,
      requirementRefs: story.requirementRefs,
      unsure: violation ? `The draft broke its contract: ${violation}` : story.unsure,
    };
    return {
      draftId: story.id || null,
      content,
      category: null,
      sourceKind: null,
      derivedFrom: story.requirementRefs.flatMap((ref) => requirementIds.get(ref) ?? []),
      evidence: {
        confidence: violation ? null : story.confidence,
        unsure: violation ? null : story.unsure,
        qualityFlags: violation ? [] : checkUserStoryDraft(story),
        conflicts: [],
        stepCostUsd,
        ungrounded: story.requirementRefs
          .filter((ref) => !requirementIds.has(ref))
          .map((ref) => ({ sourceId: ref, quote: ref, problem: `refers to ${ref}, which is not an approved requirement of this run` })),
        contractViolation: violation,
      },
    };
  });
}

export const requirementsStage = {
  stage: "requirements",
  steps: [
    synthesize,
    {
      kind: "rule",
      role: "check",
      key: "check-quality",
      title: "Check quality",
      description:
        "Flags malformed statements, statements their quotes do not support, directives planted in sources, vague wording, missing measurable criteria, ambiguous pronouns and compound statements.",
      input: (env) => env.outputOf<SynthesisOutput>("synthesize-requirements").draft.requirements.map(({ id, statement, category, sources }) => ({ id, statement, category, sources })),
      async run(env) {
        const { draft } = env.outputOf<SynthesisOutput>("synthesize-requirements");
        const sourcesById = new Map((await projectSources(env)).map((source) => [source.id, source.text]));
        return { output: await checkRequirementDrafts(draft.requirements, sourcesById) };
      },
    },
    {
      kind: "rule",
      role: "check",
      key: "check-category",
      title: "Check categories",
      description:
        "Asks the category classifier trained on this deployment's decisions how likely each requirement's category is right, a second opinion calibration weighs whichever model drafted it.",
      input: (env) => env.outputOf<SynthesisOutput>("synthesize-requirements").draft.requirements.map(({ id, statement, category }) => ({ id, statement, category })),
      async run(env) {
        const { draft } = env.outputOf<SynthesisOutput>("synthesize-requirements");
        return { output: await categoryOpinions(draft.requirements) };
      },
    },
    {
      kind: "rule",
      role: "route",
      key: "route-requirements",
      title: "Route requirements",
      description:
        "Auto-approves a clean requirement only when its calibrated probability clears the threshold its labelled evidence supports; sends the rest to review, recording why, and opens a conflict item for each contradiction.",
      from: "synthesize-requirements",
      writes: "requirement",
      record: (env) => {
        const { draft, violations } = env.outputOf<SynthesisOutput>("synthesize-requirements");
        return { requirements: draft.requirements.length, violations: violations.length };
      },
      candidates: (env, facts) => requirementCandidates(env, facts.stepCostUsd),
      after: writeConflicts,
    },
    draftStories,
    {
      kind: "rule",
      role: "route",
      key: "route-user-stories",
      title: "Route user stories",
      description: "Checks each story and auto-approves it only when calibration supports it; sends the rest to review, recording why.",
      from: "draft-user-stories",
      writes: "user_story",
      record: (env) => ({ stories: env.outputOf<DraftStepOutput<UserStoriesDraft>>("draft-user-stories").draft.stories.length }),
      candidates: (env, facts) => storyCandidates(env, facts.stepCostUsd),
    },
  ],
} as const satisfies StageDefinition;
