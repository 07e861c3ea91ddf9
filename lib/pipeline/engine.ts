import type { z } from "zod";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { nextRefNumber, supersedeEarlierDrafts, writeRoutedArtifact, type WrittenArtifact } from "@/lib/artifacts/write";
import { db, type Tx } from "@/lib/db";
import { artifactRef, kindDefinition, type ArtifactKind } from "@/lib/kinds/registry";
import { calibrationEvidence, freshCalibration, type Calibration } from "@/lib/learning/calibration";
import { featuresOf } from "@/lib/learning/features";
import { priceFor } from "@/lib/models/pricing";
import { currentPolicy, type VersionedPolicy } from "@/lib/policies/service";
import { effectivePolicy } from "@/lib/policies/schema";
import { routeArtifact, stratifiedSampler } from "@/lib/routing/rules";
import type {
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
import { callModel, salvageItems } from "./model-call";
import { runStep, runWritingStep, StepFailure, type RunContext, type StepMetrics } from "./step-runner";
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
  const producedSoFar = new Set<string>();
  for (const [position, step] of definition.steps.entries()) {
    // A step that reads what this run drafted waits until people have decided all of it.
    if (step.kind === "model" && step.reads.some((kind) => producedSoFar.has(kind)) && (await hasPendingItems(db(), context.runId))) return "waiting_review";
    if (step.kind === "model") producedSoFar.add(step.produces);
    const output =
      step.kind === "model" ? await runModelStep(step, position, env) : step.role === "check" ? await runCheckStep(step, position, env) : await runRouteStep(step, position, env);
    env.outputs.set(step.key, output);
  }
  return (await hasPendingItems(db(), context.runId)) ? "waiting_review" : "completed";
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
 */
async function approvedUpstream(stage: StageKey, context: RunContext, kinds: readonly ArtifactKind[]): Promise<UpstreamArtifact[]> {
  const own = kinds.filter((kind) => kindDefinition(kind).stage === stage);
  const earlier = kinds.filter((kind) => !own.includes(kind));
  const approved = { in: ["approved", "auto_approved"] as ("approved" | "auto_approved")[] };
  const artifacts = await db().artifact.findMany({
    where: {
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

function metricsOf(call: { model: string; usage: { inputTokens: number; outputTokens: number }; costUsd: number; latencyMs: number; attempts: number }): StepMetrics {
  return { model: call.model, ...call.usage, costUsd: call.costUsd, latencyMs: call.latencyMs, attempts: call.attempts };
}

/**
 * Calls the step's model. When every attempt breaks the contract, keeps the list items that
 * still match theirs and hands the others on as violations, to be routed to people.
 */
async function draftUnderContract<Draft>(
  step: ModelStepDefinition<Draft>,
  modelId: string,
  call: ModelCall,
): Promise<{ output: DraftStepOutput<Draft>; metrics: StepMetrics }> {
  const reply = await callModel({ modelId, prompt: call.prompt, schema: step.outputSchema as z.ZodType<Draft>, categoryModel: call.categoryModel });
  if (reply.output) return { output: { draft: reply.output, violations: [] }, metrics: metricsOf(reply) };
  const salvaged = salvageItems(reply.rawText, step.listKey, step.itemSchema);
  if (!salvaged) {
    throw new StepFailure(`The model's reply broke the output contract ${reply.attempts} times: ${reply.violation}`, metricsOf(reply));
  }
  return { output: { draft: step.fromItems(salvaged.valid), violations: salvaged.invalid }, metrics: metricsOf(reply) };
}

async function runModelStep(step: ModelStepDefinition, position: number, env: StepEnv) {
  const policy = await currentPolicy(step.key as ModelStepKey);
  const prepared = await step.prepare(env);
  const modelId = policy.values.modelId;
  const { output } = await runStep<DraftStepOutput<unknown>>(env.context, step.key, position, { modelId, policyVersion: policy.version, ...prepared.record }, async () =>
    prepared.call ? draftUnderContract(step, modelId, prepared.call()) : { output: { draft: prepared.empty, violations: [] } },
  );
  return output;
}

async function runCheckStep(step: CheckStepDefinition, position: number, env: StepEnv) {
  const { output } = await runStep(env.context, step.key, position, step.input(env), () => step.run(env));
  return output;
}

/** A step's cost, or null when its model has no price (the routing rules treat that as over budget). */
function knownCost(step: { model: string | null; costUsd: number }): number | null {
  return step.model === null || priceFor(step.model) ? step.costUsd : null;
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

async function runRouteStep(step: RouteStepDefinition, position: number, env: StepEnv) {
  const { context } = env;
  const policy = await currentPolicy(step.from as ModelStepKey);
  const calibration = await freshCalibration(step.from);
  const draftStep = await db().stepRun.findUniqueOrThrow({ where: { runId_key: { runId: context.runId, key: step.from } } });
  const record = { policyVersion: policy.version, calibrationVersion: calibration?.version ?? 0, ...step.record(env) };
  const { output } = await runWritingStep(context, step.key, position, record, async (tx) => {
    const candidates = await step.candidates(env, { stepCostUsd: knownCost(draftStep) });
    await supersedeEarlierDrafts(tx, context.stageId, context.runId, step.writes);
    const audits = auditStrata(tx, step.from);
    let number = await nextRefNumber(tx, context.projectId, step.writes);
    const routed: Routed[] = [];
    const written: WrittenDraft[] = [];
    for (const candidate of candidates) {
      const ref = artifactRef(step.writes, number++);
      const { artifact, facts, routing } = await routeAndWrite(tx, { env, step, policy, calibration, draftStep, ref, candidate, audits });
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
    ref: string;
    candidate: RouteCandidate;
    audits: ReturnType<typeof auditStrata>;
  },
): Promise<{ artifact: WrittenArtifact; facts: ReturnType<typeof calibrationEvidence>; routing: ReturnType<typeof routeArtifact> }> {
  const { env, step, policy, candidate, draftStep } = input;
  const features = featuresOf(candidate.evidence, { category: candidate.category, modelId: draftStep.model, sourceKind: candidate.sourceKind });
  const facts = calibrationEvidence(input.calibration, policy.values, features);
  const routing = routeArtifact({ ...candidate.evidence, calibration: facts }, effectivePolicy(policy.values, candidate.category), await input.audits.sampler(candidate.category));
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
    model: draftStep.model,
    derivedFrom: candidate.derivedFrom,
    routing,
    basis: { stepKey: step.from, category: candidate.category, features, calibration: facts, policyVersion: policy.version },
  });
  return { artifact, facts, routing };
}
