import type { z } from "zod";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { redraftBasis, redraftLineage, redraftSkips } from "@/lib/artifacts/redraft";
import { nextRefNumber, supersedeEarlierDrafts, writeRoutedArtifact, type WrittenArtifact } from "@/lib/artifacts/write";
import { db, type Tx } from "@/lib/db";
import { artifactRef, kindDefinition, type ArtifactKind } from "@/lib/kinds/registry";
import { calibrationEvidence, freshCalibration, type Calibration } from "@/lib/learning/calibration";
import { featuresOf } from "@/lib/learning/features";
import { priceOf } from "@/lib/models/prices";
import { notifyStageOwner } from "@/lib/notifications/service";
import { currentPolicy, type VersionedPolicy } from "@/lib/policies/service";
import { effectivePolicy, type PolicyValues } from "@/lib/policies/schema";
import { routeArtifact, stratifiedSampler } from "@/lib/routing/rules";
import { budgetsOf, spendGateFor, type Budgets } from "@/lib/runtime/budget";
import { draftOnTier, type CallSettings } from "@/lib/runtime/call";
import { draftInTiers, mergedDraft, type CascadeTierSpec, type DraftItem, type Drafter, type ItemJudgement } from "@/lib/runtime/cascade";
import type { PriceLookup, SpendGate } from "@/lib/runtime/contracts";
import { stepTotals, stepTrace, totalsOf, type CallRecord, type CallRecorder, type StepTrace } from "@/lib/runtime/trace";
import { stageDefinitions } from "@/lib/stages/definitions";
import type {
  CascadeParts,
  CheckStepDefinition,
  DraftStepOutput,
  ModelCall,
  ModelStepDefinition,
  RouteCandidate,
  RouteStepDefinition,
  StageDefinition,
  StepEnv,
  UpstreamArtifact,
  WrittenDraft,
} from "@/lib/stages/definition";
import { salvageItems } from "./model-call";
import { runStep, runWritingStep, StepFailure, type RunContext, type StepAttempt, type StepMetrics } from "./step-runner";
import { hasPendingItems } from "./pending";
import type { ModelStepKey } from "./steps";

/**
 * The one engine that runs a stage from its definition. Steps run in order, each at most once
 * per run (lib/pipeline/step-runner.ts); before a model step that reads a kind drafted earlier in
 * the run, the run waits while people still have items to decide. Called again after their
 * decisions, it skips the completed steps and carries on.
 */
export type PhaseOutcome = "waiting_review" | "completed";

export async function advanceStage(definition: StageDefinition, context: RunContext): Promise<PhaseOutcome> {
  const env = await stepEnv(definition.stage, context);
  const memo = runMemo();
  const producedSoFar = new Set<string>();
  for (const [position, step] of definition.steps.entries()) {
    // A step that reads what this run drafted waits until people have decided all of it.
    if (step.kind === "model" && step.reads.some((kind) => producedSoFar.has(kind)) && (await hasPendingItems(db(), context.runId))) return "waiting_review";
    if (step.kind === "model") producedSoFar.add(step.produces);
    const output =
      step.kind === "model" ? await runModelStep(step, position, env, memo) : step.role === "check" ? await runCheckStep(step, position, env) : await runRouteStep(step, position, env, memo);
    env.outputs.set(step.key, output);
  }
  return (await hasPendingItems(db(), context.runId)) ? "waiting_review" : "completed";
}

/**
 * What a run's steps read that does not change while the run advances: each step's policy and
 * each model's price, read once and shared by the steps (a route step decides with the policy
 * its draft was made under, and prices the draft as it was charged). A change applies from the
 * run's next advance.
 */
type RunMemo = { policyOf(stepKey: ModelStepKey): Promise<VersionedPolicy>; priceOf: PriceLookup };

function runMemo(): RunMemo {
  const policies = new Map<ModelStepKey, Promise<VersionedPolicy>>();
  const prices = new Map<string, ReturnType<PriceLookup>>();
  const remember = <K, V>(map: Map<K, Promise<V>>, key: K, read: () => Promise<V>) => {
    const known = map.get(key);
    if (known) return known;
    const reading = read();
    // A failed read is not kept: the next step reads again.
    reading.catch(() => map.delete(key));
    map.set(key, reading);
    return reading;
  };
  return {
    policyOf: (stepKey) => remember(policies, stepKey, () => currentPolicy(stepKey)),
    priceOf: (modelId) => remember(prices, modelId, () => priceOf(modelId)),
  };
}

async function stepEnv(stage: StageKey, context: RunContext): Promise<StepEnv & { outputs: Map<string, unknown> }> {
  const project = await db().project.findUniqueOrThrow({ where: { id: context.projectId }, select: { id: true, name: true, brief: true } });
  const outputs = new Map<string, unknown>();
  return {
    context,
    project,
    outputs,
    outputOf<Output>(stepKey: string): Output {
      if (!outputs.has(stepKey)) throw new Error(`Step '${stepKey}' has not run before the step that reads its output.`);
      return outputs.get(stepKey) as Output;
    },
    upstream: (kinds) => approvedUpstream(stage, context, kinds),
  };
}

/**
 * The approved artifacts of these kinds a run builds on: of this run for the kinds its own stage
 * produces (people approved them moments ago), else the project's current ones from earlier stages.
 * A re-draft run (the stage holds stale work) builds only on the current versions of what its
 * stale artifacts of the kinds drafted from these were drafted from (lib/artifacts/redraft.ts).
 */
async function approvedUpstream(stage: StageKey, context: RunContext, kinds: readonly ArtifactKind[]): Promise<UpstreamArtifact[]> {
  const own = kinds.filter((kind) => kindDefinition(kind).stage === stage);
  const earlier = kinds.filter((kind) => !own.includes(kind));
  const approved = { in: ["approved", "auto_approved"] as ("approved" | "auto_approved")[] };
  const lineage = await redraftLineage(db(), context);
  const reading = new Set(kinds);
  // The kinds this stage drafts from exactly these: whose stale work the narrowed upstream serves.
  const produces = (stageDefinitions.find((definition) => definition.stage === stage)?.steps ?? []).flatMap((step) =>
    step.kind === "model" && step.reads.length === reading.size && step.reads.every((kind) => reading.has(kind)) ? [step.produces] : [],
  );
  const artifacts = await db().artifact.findMany({
    where: lineage
      ? { id: { in: [...redraftBasis(lineage, context.stageId, context.runId, produces)] }, kind: { in: [...kinds] }, status: approved, stale: false }
      : {
          status: approved,
          OR: [
            ...(own.length > 0 ? [{ runId: context.runId, kind: { in: own } }] : []),
            ...(earlier.length > 0 ? [{ projectId: context.projectId, kind: { in: earlier } }] : []),
          ],
        },
    include: { versions: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return artifacts.map((artifact) => {
    const current = artifact.versions.find((version) => version.version === artifact.currentVersion)!;
    return { id: artifact.id, ref: artifact.ref, kind: artifact.kind, content: current.content as Record<string, unknown> };
  });
}

/** Every model a policy may call: its model, its cascade's and its fallbacks. */
function modelIdsOf(values: PolicyValues): string[] {
  return [...new Set([values.modelId, ...values.cascade.map((tier) => tier.modelId), ...values.fallbackModelIds])];
}

/** Cascade tiers from cheap to strong, or the policy's one model; each tier tries the fallback models after its own. */
function tiersOf(values: PolicyValues): CascadeTierSpec[] {
  const chain = (modelId: string) => [modelId, ...values.fallbackModelIds.filter((fallback) => fallback !== modelId)];
  if (values.cascade.length === 0) return [{ modelIds: chain(values.modelId), escalateWhen: {} }];
  return values.cascade.map((tier) => ({ modelIds: chain(tier.modelId), escalateWhen: tier.escalateWhen }));
}

/**
 * What a cascade knows of a draft when it decides whether it goes up a tier: the drafter's own
 * confidence and doubt, and the calibrated probability from those alone (the checks and the
 * grounding run after drafting, so routing may still find more against it).
 */
function judgeWith(step: ModelStepDefinition, values: PolicyValues, calibration: Calibration | null) {
  return (item: DraftItem, drafter: Drafter): ItemJudgement => {
    const confidence = typeof item.confidence === "number" ? item.confidence : null;
    const unsure = typeof item.unsure === "string" ? item.unsure : null;
    const category = step.categories && typeof item.category === "string" ? item.category : null;
    const evidence = { confidence, unsure, qualityFlags: [], conflicts: [], stepCostUsd: null, ungrounded: [], contractViolation: null, providerError: null };
    const features = featuresOf(evidence, { category, modelId: drafter.model, sourceKind: null });
    return { confidence, unsure, calibratedProbability: calibrationEvidence(calibration, values, features).probability };
  };
}

/**
 * Drafts with the step's models (lib/runtime): retries, fallbacks, one repair with feedback, a
 * cascade when the policy sets one, every call traced. Items that still break the contract are
 * handed on as violations, to be routed to people; when no model could draft at all, the step
 * fails with every attempt on record and the stage owner is told.
 */
async function draftWithModels<Draft>(
  step: ModelStepDefinition<Draft>,
  values: PolicyValues,
  env: StepEnv,
  prepared: { call: () => ModelCall; cascade?: CascadeParts },
  lookups: { attempt: StepAttempt; priceOf: PriceLookup; budgets: Promise<Budgets> },
): Promise<{ output: DraftStepOutput<Draft>; metrics: StepMetrics; heldBackCalls: Prisma.ModelCallCreateManyInput[] }> {
  const { context } = env;
  const { stepRunId, attemptsBefore } = lookups.attempt;
  const scope = { stepRunId, runId: context.runId, projectId: context.projectId };
  // Only a step tried before has calls on record to number after.
  const opening = attemptsBefore === 0 ? Promise.resolve({ scope, earlier: 0 }) : db().modelCall.count({ where: { stepRunId } }).then((earlier) => ({ scope, earlier }));
  // A valid reply's row is held back for the step's completion to write; the next call writes it first.
  const trace = stepTrace(opening, { holdBack: true });
  const made: CallRecord[] = [];
  const record: CallRecorder = async (call) => {
    made.push(call);
    await trace(call);
  };
  const spendGate = spendGateFor({ ...scope, stepMaxCostUsd: values.maxCostUsd, priceOf: lookups.priceOf, budgets: lookups.budgets });
  const gate: SpendGate = async (call) => {
    await trace.flush();
    return spendGate(call);
  };
  const settings: CallSettings = { gate, priceOf: lookups.priceOf, record };
  try {
    const drafted = await draftAndSum(step, values, env, prepared, { settings, opening, made, trace, stepRunId });
    return { ...drafted, heldBackCalls: trace.takeHeldBack() };
  } catch (error) {
    await trace.flush();
    throw error;
  }
}

/** The drafting proper: the cascade (or the policy's one tier), then the step's totals and output. */
async function draftAndSum<Draft>(
  step: ModelStepDefinition<Draft>,
  values: PolicyValues,
  env: StepEnv,
  prepared: { call: () => ModelCall; cascade?: CascadeParts },
  run: { settings: CallSettings; opening: Promise<{ earlier: number }>; made: CallRecord[]; trace: StepTrace; stepRunId: string },
): Promise<{ output: DraftStepOutput<Draft>; metrics: StepMetrics }> {
  const { context } = env;
  const { settings, opening, made, trace, stepRunId } = run;
  const tiers = tiersOf(values);
  const calibration = tiers.length > 1 ? await freshCalibration(step.key) : null;
  const result = await draftInTiers<ModelCall>({
    tiers,
    step: {
      listKey: step.listKey,
      salvage: (rawText) => salvageItems(rawText, step.listKey, step.itemSchema),
      basisOf: prepared.cascade?.basisOf,
      narrowed: prepared.cascade?.narrowed,
    },
    fullCall: prepared.call(),
    draft: (tier, modelIds, call) =>
      draftOnTier({ index: tier, modelIds }, { prompt: call.prompt, schema: step.outputSchema as z.ZodType<Record<string, unknown>>, categoryModel: call.categoryModel }, settings),
    judge: judgeWith(step, values, calibration),
  });
  // The totals cover the calls of the step's earlier attempts too (cut short by a crash or a budget).
  const { earlier } = await opening;
  if (earlier > 0) await trace.flush();
  const totals = earlier === 0 ? totalsOf(made) : await stepTotals(stepRunId);
  const models = [...new Set(result.status === "drafted" ? [...Object.values(result.drafters), ...result.violations.flatMap((v) => (v.drafter ? [v.drafter] : []))].map((d) => d.model) : [])];
  const metrics: StepMetrics = {
    model: models.length > 0 ? models.join(", ") : null,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    costUsd: totals.costUsd,
    latencyMs: totals.latencyMs,
    attempts: made.length,
  };
  if (result.status === "failed") {
    const message = `provider_error: no model could draft this step; every attempt is in the step's trace. ${result.failures.join("; ")}`;
    await notifyStageOwner(context.stageId, { kind: "step.provider_error", message: `${step.title} failed: ${message}` });
    throw new StepFailure(message, metrics);
  }
  const draft = mergedDraft(result.items, result.extras, step.listKey, step.fromItems) as Draft;
  const output: DraftStepOutput<Draft> = {
    draft,
    violations: result.violations,
    drafters: result.drafters,
    ...(Object.keys(result.providerErrors).length > 0 ? { providerErrors: result.providerErrors } : {}),
    ...(tiers.length > 1 ? { tiers: result.tiers } : {}),
  };
  return { output, metrics };
}

async function runModelStep(step: ModelStepDefinition, position: number, env: StepEnv, memo: RunMemo) {
  const policy = await memo.policyOf(step.key as ModelStepKey);
  // Whether the run or the project has a budget is read once per step, while it prepares: a step
  // with none makes its calls without budget work in the database; a budget set meanwhile applies
  // from the next step. With one, each call checks the current figures (lib/runtime/budget.ts).
  const budgets = budgetsOf(env.context.runId);
  budgets.catch(() => undefined);
  // The prices of the step's models are read while it prepares, once per run.
  for (const modelId of modelIdsOf(policy.values)) memo.priceOf(modelId).catch(() => undefined);
  // A re-draft run drafts only the kinds that hold stale work ready to re-draft.
  const skip = await redraftSkips(db(), env.context, step.produces);
  const prepared = skip ? { record: { redraft: skip }, call: null, empty: step.fromItems([]), cascade: undefined } : await step.prepare(env);
  const { modelId, fallbackModelIds, cascade } = policy.values;
  const record = { modelId, ...(fallbackModelIds.length > 0 ? { fallbackModelIds } : {}), ...(cascade.length > 0 ? { cascade } : {}), policyVersion: policy.version, ...prepared.record };
  const { output } = await runStep<DraftStepOutput<unknown>>(env.context, step.key, position, record, async (attempt) => {
    const call = prepared.call;
    return call
      ? draftWithModels(step, policy.values, env, { call, cascade: prepared.cascade }, { attempt, priceOf: memo.priceOf, budgets })
      : { output: { draft: prepared.empty, violations: [] } };
  });
  return output;
}

async function runCheckStep(step: CheckStepDefinition, position: number, env: StepEnv) {
  const { output } = await runStep(env.context, step.key, position, step.input(env), () => step.run(env));
  return output;
}

/** A step's cost, or null when a model it spent tokens on has no price (the routing rules treat that as over budget). */
async function knownCost(step: { id: string; costUsd: number }, lookUpPrice: PriceLookup): Promise<number | null> {
  const used = await db().modelCall.findMany({ where: { stepRunId: step.id, OR: [{ inputTokens: { gt: 0 } }, { outputTokens: { gt: 0 } }] }, distinct: ["model"], select: { model: true } });
  const prices = await Promise.all(used.map((call) => lookUpPrice(call.model)));
  return prices.every((price) => price !== null) ? step.costUsd : null;
}

/**
 * Would-be-auto-approved drafts so far per stratum (the step and a category), for systematic
 * audit sampling: counted once per stratum in a routing step, then kept up to date in memory.
 */
function auditStrata(tx: Tx, stepKey: string) {
  const counts = new Map<string | null, number>();
  const countOf = async (category: string | null) => {
    if (!counts.has(category)) counts.set(category, await tx.routingDecision.count({ where: { stepKey, category, eligible: true } }));
    return counts.get(category)!;
  };
  return {
    sampler: async (category: string | null) => stratifiedSampler(`${stepKey}:${category ?? "-"}`, await countOf(category)),
    record: (category: string | null, eligible: boolean) => {
      if (eligible) counts.set(category, (counts.get(category) ?? 0) + 1);
    },
  };
}

type Routed = { ref: string; outcome: string; reasons: string[]; calibratedProbability: number; threshold: number | null };

async function runRouteStep(step: RouteStepDefinition, position: number, env: StepEnv, memo: RunMemo) {
  const { context } = env;
  const policy = await memo.policyOf(step.from as ModelStepKey);
  const calibration = await freshCalibration(step.from);
  const draftStep = await db().stepRun.findUniqueOrThrow({ where: { runId_key: { runId: context.runId, key: step.from } } });
  const record = { policyVersion: policy.version, calibrationVersion: calibration?.version ?? 0, ...step.record(env) };
  const { output } = await runWritingStep(context, step.key, position, record, async (tx) => {
    const stepCostUsd = await knownCost(draftStep, memo.priceOf);
    const drafted = env.outputOf<DraftStepOutput<unknown>>(step.from);
    const candidates = await step.candidates(env, { stepCostUsd });
    await supersedeEarlierDrafts(tx, context.stageId, context.runId, step.writes);
    const audits = auditStrata(tx, step.from);
    let number = await nextRefNumber(tx, context.projectId, step.writes);
    const routed: Routed[] = [];
    const written: WrittenDraft[] = [];
    for (const candidate of candidates) {
      const ref = artifactRef(step.writes, number++);
      const { artifact, facts, routing } = await routeAndWrite(tx, { env, step, policy, calibration, draftStep, drafted, ref, candidate, audits });
      written.push({ draftId: candidate.draftId, artifactId: artifact.id, ref, content: candidate.content });
      routed.push({ ref, outcome: routing.outcome, reasons: routing.reasons.map((r) => r.code), calibratedProbability: facts.probability, threshold: facts.threshold });
    }
    return { routed, ...(step.after ? await step.after(tx, env, written) : {}) };
  });
  return output;
}

async function routeAndWrite(
  tx: Tx,
  input: {
    env: StepEnv;
    step: RouteStepDefinition;
    policy: VersionedPolicy;
    calibration: Calibration | null;
    draftStep: { id: string; model: string | null };
    drafted: DraftStepOutput<unknown>;
    ref: string;
    candidate: RouteCandidate;
    audits: ReturnType<typeof auditStrata>;
  },
): Promise<{ artifact: WrittenArtifact; facts: ReturnType<typeof calibrationEvidence>; routing: ReturnType<typeof routeArtifact> }> {
  const { env, step, policy, candidate, draftStep, drafted } = input;
  const drafter = drafterOf(candidate, drafted, draftStep);
  const evidence = { ...candidate.evidence, providerError: (candidate.draftId && drafted.providerErrors?.[candidate.draftId]) || null };
  const features = featuresOf(evidence, { category: candidate.category, modelId: drafter.model, sourceKind: candidate.sourceKind, categoryOpinion: candidate.categoryOpinion });
  const facts = calibrationEvidence(input.calibration, policy.values, features);
  const routing = routeArtifact({ ...evidence, calibration: facts }, effectivePolicy(policy.values, candidate.category), await input.audits.sampler(candidate.category));
  input.audits.record(candidate.category, routing.eligible);
  const artifact = await writeRoutedArtifact(tx, {
    projectId: env.context.projectId,
    stageId: env.context.stageId,
    runId: env.context.runId,
    draftStepRunId: draftStep.id,
    kind: step.writes,
    ref: input.ref,
    content: candidate.content as Prisma.InputJsonValue,
    confidence: candidate.evidence.confidence,
    model: drafter.model,
    tier: drafted.tiers ? drafter.tier : null,
    derivedFrom: candidate.derivedFrom,
    routing,
    basis: { stepKey: step.from, category: candidate.category, features, calibration: facts, policyVersion: policy.version },
  });
  return { artifact, facts, routing };
}

/**
 * The model and tier that drafted a candidate: its own say, else the draft step's record by draft
 * id; a broken item without either was written by the drafter of the step's broken items when
 * there was one, else by the step's model.
 */
function drafterOf(candidate: RouteCandidate, drafted: DraftStepOutput<unknown>, draftStep: { model: string | null }): { model: string | null; tier: number | null } {
  const known = candidate.drafter ?? (candidate.draftId ? drafted.drafters?.[candidate.draftId] : undefined);
  if (known) return known;
  const brokenBy = new Map(drafted.violations.flatMap((violation) => (violation.drafter ? [[`${violation.drafter.model}#${violation.drafter.tier}`, violation.drafter] as const] : [])));
  if (candidate.draftId === null && brokenBy.size === 1) return [...brokenBy.values()][0];
  return { model: draftStep.model, tier: null };
}
