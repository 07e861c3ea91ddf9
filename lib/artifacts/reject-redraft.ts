import { z } from "zod";
import type { Prisma } from "@/lib/generated/sqlite/client";
import { systemActor, type UserActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { defineQueue } from "@/lib/jobs";
import { artifactRef, type ArtifactKind } from "@/lib/kinds/registry";
import { calibrationEvidence, freshCalibration } from "@/lib/learning/calibration";
import { featuresOf } from "@/lib/learning/features";
import { asksToSplit, likeness, type RedraftFeedback } from "@/lib/models/offline/feedback";
import { priceOf } from "@/lib/models/prices";
import { salvageItems } from "@/lib/pipeline/model-call";
import { resumeRunIfReviewed } from "@/lib/pipeline/service";
import type { RunContext } from "@/lib/pipeline/step-runner";
import { requiredApprovalsFor } from "@/lib/policies/required-approvals";
import { currentPolicy } from "@/lib/policies/service";
import { effectivePolicy, type PolicyValues } from "@/lib/policies/schema";
import { withRedraftFeedback } from "@/lib/requirements/prompts";
import { approvalChance } from "@/lib/review/queue-filter";
import { routeArtifact, type RoutingReason } from "@/lib/routing/rules";
import { withLogContext } from "@/lib/log";
import { spendGateFor } from "@/lib/runtime/budget";
import { describeIssues, draftOnTier } from "@/lib/runtime/call";
import { BudgetExceeded } from "@/lib/runtime/contracts";
import { stepTrace, totalsOf, type CallRecord, type CallRecorder } from "@/lib/runtime/trace";
import { stageDefinitions } from "@/lib/stages/definitions";
import type { ContractViolation, DraftStepOutput, ModelStepDefinition, RouteCandidate, RouteStepDefinition, StageDefinition, StepEnv, UpstreamArtifact } from "@/lib/stages/definition";
import { transact } from "@/lib/transaction";
import { isRedraftedVersion } from "./versions";
import { emitDraftRouted, nextRefNumber } from "./write";

/**
 * A rejection with a comment re-drafts. In the rejection's transaction a job is queued; the job
 * runs the step that drafted the artifact once more, for that artifact alone: from its original
 * basis (the passages it quotes, the parents it was drafted from), with the reviewer's comment
 * and the rejected version as a delimited feedback block (and as `feedback` in the step input,
 * for the offline drafter). The model call goes through the runtime's call loop: the spend gate,
 * retries and fallbacks, one repair, every call traced on a step run of the artifact's run. The
 * reply is checked and routed by the stage's own check and route steps, then written as version
 * + 1 of the same artifact, pending review: a re-draft after a rejection always goes to people.
 *
 * A rejection without a comment is final, and so is one of a side of an open conflict (the
 * conflict decides which side stays) and one after MAX_REDRAFTS re-drafts; conflict sides
 * rejected by resolving the conflict never come here. A re-draft that yields nothing valid leaves
 * the artifact rejected, with the failure on its step run and in the audit trail.
 */
export const MAX_REDRAFTS = 3;
export const REDRAFT_REASON = "redrafted_after_rejection";

/** Whether a rejection re-drafts, pure: why not, or null when it does. */
export function redraftRefusal(rejection: { ref: string; comment: string | null; redraftsSoFar: number; openConflictRef: string | null }): string | null {
  if (!rejection.comment?.trim()) return `${rejection.ref} was rejected without a comment: the rejection is final.`;
  if (rejection.openConflictRef) return `${rejection.ref} is a side of ${rejection.openConflictRef}, which decides which side stays: the rejection is final, nothing is re-drafted.`;
  if (rejection.redraftsSoFar >= MAX_REDRAFTS) {
    return `${rejection.ref} was already re-drafted ${rejection.redraftsSoFar} times, the most a rejection re-drafts: this rejection is final.`;
  }
  return null;
}

const redraftData = z.object({ artifactId: z.string().min(1), decisionId: z.string().min(1) });

export const artifactRedraft = defineQueue({
  name: "artifact-redraft",
  data: redraftData,
  // One job per rejection (the key is the decision's id).
  singleton: true,
  retryLimit: 2,
  retryDelaySeconds: 5,
  retryBackoff: true,
  handle: async ({ artifactId, decisionId }) => {
    if ((await redraftRejected(artifactId, decisionId)) !== "redrafted") await resumeWithoutRedraft(artifactId);
  },
});

/**
 * The rejection held the artifact's run back while its re-draft was queued (lib/review/service.ts);
 * when no new version comes of it, the run moves on as it would have after a final rejection.
 */
async function resumeWithoutRedraft(artifactId: string): Promise<void> {
  const artifact = await db().artifact.findUnique({ where: { id: artifactId }, select: { runId: true } });
  if (artifact) await transact((tx) => resumeRunIfReviewed(tx, artifact.runId));
}

/** Handles every re-draft job that is due, in this process: for tests, the CLI and scripts. */
export async function drainRedrafts(): Promise<number> {
  return artifactRedraft.drain();
}

export type RejectionForRedraft = { artifactId: string; decisionId: string; ref: string; version: number; comment: string | null; projectId: string; stageId: string; actor: UserActor };

/**
 * Called in the transaction of a decision that rejects a draft: queues its re-draft, or records
 * why the rejection is final. Returns whether a re-draft was queued.
 */
export async function queueRedraftAfterRejection(tx: Tx, rejection: RejectionForRedraft): Promise<boolean> {
  if (!rejection.comment?.trim()) return false;
  const [versions, conflicts] = await Promise.all([
    tx.artifactVersion.findMany({ where: { artifactId: rejection.artifactId }, select: { version: true, editedById: true } }),
    tx.conflict.findMany({ where: { stageId: rejection.stageId, status: "open" }, select: { ref: true, sides: true } }),
  ]);
  const openConflict = conflicts.find((candidate) => (candidate.sides as { artifactId: string | null }[]).some((side) => side.artifactId === rejection.artifactId));
  const refusal = redraftRefusal({ ref: rejection.ref, comment: rejection.comment, redraftsSoFar: versions.filter(isRedraftedVersion).length, openConflictRef: openConflict?.ref ?? null });
  const subject = { subjectType: "artifact", subjectId: rejection.artifactId, projectId: rejection.projectId } as const;
  if (refusal) {
    await recordAudit(tx, { actor: rejection.actor, action: "artifact.redraft_refused", ...subject, after: { ref: rejection.ref, version: rejection.version, final: true }, reason: refusal });
    return false;
  }
  // It waits out the decider's undo window: an undo then finds the rejection as it was, with nothing re-drafted.
  await artifactRedraft.send({ artifactId: rejection.artifactId, decisionId: rejection.decisionId }, { tx, singletonKey: rejection.decisionId, startAfter: env().REDRAFT_DELAY_SECONDS });
  await recordAudit(tx, {
    actor: rejection.actor,
    action: "artifact.redraft_queued",
    ...subject,
    after: { ref: rejection.ref, rejectedVersion: rejection.version, decisionId: rejection.decisionId },
    reason: `The rejection's comment goes back to the step that drafted ${rejection.ref}: ${rejection.comment}`,
  });
  return true;
}

/** The model step that drafts a kind, with its stage's definition and the check and route steps that follow it. */
function draftingSteps(kind: string): { definition: StageDefinition; model: ModelStepDefinition; checks: StageDefinition["steps"][number][]; route: RouteStepDefinition } | null {
  for (const definition of stageDefinitions) {
    const at = definition.steps.findIndex((step) => step.kind === "model" && step.produces === kind);
    if (at < 0) continue;
    const model = definition.steps[at] as ModelStepDefinition;
    const routeAt = definition.steps.findIndex((step) => step.kind === "rule" && step.role === "route" && step.from === model.key);
    if (routeAt < 0) return null;
    const checks = definition.steps.slice(at + 1, routeAt).filter((step) => step.kind === "rule" && step.role === "check");
    return { definition, model, checks, route: definition.steps[routeAt] as RouteStepDefinition };
  }
  return null;
}

/** The models a re-draft asks: the policy's strongest tier (the cascade's last, else its one model), then its fallbacks. */
export function redraftModels(values: Pick<PolicyValues, "modelId" | "fallbackModelIds" | "cascade">): { index: number; modelIds: string[] } {
  const strongest = values.cascade.at(-1)?.modelId ?? values.modelId;
  return { index: Math.max(0, values.cascade.length - 1), modelIds: [strongest, ...values.fallbackModelIds.filter((id) => id !== strongest)] };
}

/**
 * Which drafts of a re-draft stand for the rejected artifact, pure: the one most like the rejected
 * version becomes its next version; the others are parts of it only when the reviewer asked for a
 * split, and are otherwise left out (the step was asked for that one item).
 */
export function pickRedraft<Candidate extends { content: unknown }>(candidates: readonly Candidate[], rejected: unknown, comment: string): { next: Candidate; parts: Candidate[] } | null {
  if (candidates.length === 0) return null;
  const next = candidates.reduce((best, candidate) => (likeness(candidate.content, rejected) > likeness(best.content, rejected) ? candidate : best));
  return { next, parts: asksToSplit(comment) ? candidates.filter((candidate) => candidate !== next) : [] };
}

/** Whether a re-draft says the same as the rejected version; the drafter's note on its doubts does not count as a change. */
export function sameContent(redrafted: unknown, rejected: unknown): boolean {
  const said = (content: unknown) => JSON.stringify(canonical({ ...(content as Record<string, unknown>), unsure: undefined }));
  return said(redrafted) === said(rejected);
}

/** The value with every object's keys in order: PostgreSQL's jsonb gives them back in an order of its own. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, entry]) => [key, canonical(entry)]),
  );
}

/** The reasons a re-drafted version waits for people, in plain words, before what routing found. */
export function redraftReasons(input: { ref: string; version: number; rejectedBy: string; comment: string; unchanged: boolean; splitFrom?: string }): { code: string; detail: string }[] {
  return [
    {
      code: REDRAFT_REASON,
      detail: input.splitFrom
        ? `Split from ${input.splitFrom} when it was re-drafted after ${input.rejectedBy} rejected version ${input.version}: ${input.comment}`
        : `Re-drafted after ${input.rejectedBy} rejected version ${input.version}: ${input.comment.trim().replace(/[.\s]+$/, "")}. A re-draft after a rejection always goes to people.`,
    },
    ...(input.unchanged ? [{ code: "redraft_unchanged", detail: "The re-draft is the same as the rejected version: the drafter could not act on the feedback." }] : []),
  ];
}

/** Why a re-draft stopped without writing anything; recorded, and the artifact stays rejected. */
class RedraftFailure extends Error {}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadRejection>>>;

async function loadRejection(artifactId: string, decisionId: string) {
  const [artifact, decision] = await Promise.all([
    db().artifact.findUnique({
      where: { id: artifactId },
      include: {
        stage: { select: { status: true } },
        project: { select: { id: true, name: true, brief: true } },
        versions: { select: { version: true, content: true, editedById: true } },
        derivedFrom: { select: { parentId: true } },
      },
    }),
    db().reviewDecision.findUnique({ where: { id: decisionId }, include: { decidedBy: { select: { name: true, email: true } } } }),
  ]);
  if (!artifact || !decision || decision.artifactId !== artifactId || decision.action !== "reject") return null;
  const rejected = artifact.versions.find((version) => version.version === decision.version);
  return rejected ? { artifact, decision, rejected: rejected.content as Record<string, unknown> } : null;
}

/** Why the rejection no longer stands as it did when the job was queued (undone, decided again, stage signed off), or null. */
function staleRejection({ artifact, decision }: Loaded): string | null {
  if (decision.undoneAt) return `the rejection of ${artifact.ref} was undone`;
  if (artifact.status !== "rejected" || artifact.currentVersion !== decision.version) return `${artifact.ref} is no longer rejected at version ${decision.version}`;
  if (artifact.stage.status === "signed_off") return `the stage of ${artifact.ref} was signed off meanwhile`;
  return null;
}

const redraftStepKey = (stepKey: string, ref: string, version: number) => `${stepKey}@redraft:${ref}:v${version}`;

/** The job: re-drafts the rejected artifact, or records why it did not. */
export async function redraftRejected(artifactId: string, decisionId: string): Promise<"redrafted" | "skipped" | "failed"> {
  const loaded = await loadRejection(artifactId, decisionId);
  if (!loaded) return "skipped";
  const { artifact, decision } = loaded;
  const nextVersion = decision.version + 1;
  const steps = draftingSteps(artifact.kind);
  const stepKey = steps ? redraftStepKey(steps.model.key, artifact.ref, nextVersion) : null;
  const done = stepKey ? await db().stepRun.findUnique({ where: { runId_key: { runId: artifact.runId, key: stepKey } }, select: { status: true } }) : null;
  // A job handled twice (a retry after the write committed) finds its own step run completed.
  if (done?.status === "completed") return "redrafted";
  const stale = staleRejection(loaded);
  if (stale) {
    await transact((tx) => recordAudit(tx, { actor: systemActor("redrafter"), action: "artifact.redraft_skipped", subjectType: "artifact", subjectId: artifact.id, projectId: artifact.projectId, after: { ref: artifact.ref, version: decision.version }, reason: `Not re-drafted: ${stale}.` }));
    return "skipped";
  }
  if (!steps || !stepKey) {
    await recordFailure(loaded, null, `no step of any stage drafts ${artifact.kind}`);
    return "failed";
  }
  const position = ((await db().stepRun.aggregate({ where: { runId: artifact.runId }, _max: { position: true } }))._max.position ?? 0) + 1;
  const stepRun = await db().stepRun.upsert({
    where: { runId_key: { runId: artifact.runId, key: stepKey } },
    create: { runId: artifact.runId, key: stepKey, position, status: "running", input: { artifactId, ref: artifact.ref, rejectedVersion: decision.version, decisionId }, attempts: 1 },
    update: { status: "running", error: null, attempts: { increment: 1 }, startedAt: new Date(), finishedAt: null },
  });
  const made: CallRecord[] = [];
  try {
    await redraftWith(loaded, steps, stepRun.id, made);
    return "redrafted";
  } catch (error) {
    if (!(error instanceof RedraftFailure) && !(error instanceof BudgetExceeded)) {
      await db().stepRun.update({ where: { id: stepRun.id }, data: { status: "failed", error: error instanceof Error ? error.message : String(error), finishedAt: new Date() } });
      throw error;
    }
    await recordFailure(loaded, { id: stepRun.id, made }, error.message);
    return "failed";
  }
}

async function recordFailure(loaded: Loaded, stepRun: { id: string; made: readonly CallRecord[] } | null, why: string) {
  const { artifact, decision } = loaded;
  const totals = totalsOf(stepRun?.made ?? []);
  await transact(async (tx) => {
    if (stepRun) {
      await tx.stepRun.update({
        where: { id: stepRun.id },
        data: { status: "failed", error: why, inputTokens: totals.inputTokens, outputTokens: totals.outputTokens, costUsd: totals.costUsd, latencyMs: totals.latencyMs, finishedAt: new Date() },
      });
      if (totals.costUsd > 0) await tx.run.update({ where: { id: artifact.runId }, data: { costUsd: { increment: totals.costUsd } } });
    }
    await recordAudit(tx, {
      actor: systemActor("redrafter"),
      action: "artifact.redraft_failed",
      subjectType: "artifact",
      subjectId: artifact.id,
      projectId: artifact.projectId,
      after: { ref: artifact.ref, status: "rejected", version: decision.version, stepRunId: stepRun?.id ?? null },
      reason: `The re-draft of ${artifact.ref} wrote no new version (it stays as it was, rejected): ${why}`,
    });
  });
}

/** The step's view of the artifact's run, its upstream narrowed to what the artifact was drafted from. */
async function redraftEnv(loaded: Loaded, outputs: Map<string, unknown>): Promise<StepEnv> {
  const { artifact } = loaded;
  const context: RunContext = { runId: artifact.runId, projectId: artifact.projectId, stageId: artifact.stageId, workerId: "redrafter", leaseMs: 0 };
  const parentIds = artifact.derivedFrom.map((link) => link.parentId);
  const parents = parentIds.length === 0 ? [] : await db().artifact.findMany({ where: { id: { in: parentIds } }, include: { versions: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const upstream: UpstreamArtifact[] = parents.map((parent) => ({
    id: parent.id,
    ref: parent.ref,
    kind: parent.kind,
    content: (parent.versions.find((version) => version.version === parent.currentVersion) ?? parent.versions.at(-1)!).content as Record<string, unknown>,
  }));
  return {
    context,
    project: artifact.project,
    outputOf<Output>(key: string): Output {
      if (!outputs.has(key)) throw new Error(`Step '${key}' has no output in this re-draft.`);
      return outputs.get(key) as Output;
    },
    upstream: async (kinds) => upstream.filter((parent) => kinds.includes(parent.kind as ArtifactKind)),
  };
}

async function redraftWith(loaded: Loaded, steps: NonNullable<ReturnType<typeof draftingSteps>>, stepRunId: string, made: CallRecord[]) {
  const { artifact, decision, rejected } = loaded;
  const { model: step } = steps;
  const comment = decision.comment ?? "";
  const outputs = new Map<string, unknown>();
  const env = await redraftEnv(loaded, outputs);

  const prepared = await step.prepare(env);
  const basis = prepared.cascade?.basisOf(rejected);
  const call = (basis && basis.length > 0 ? prepared.cascade?.narrowed(new Set(basis)) : null) ?? prepared.call?.() ?? null;
  if (!call) throw new RedraftFailure(`nothing remains to draft ${artifact.ref} from`);
  const feedback: RedraftFeedback = { comment, rejectedBy: decision.decidedBy.name, ref: artifact.ref, version: decision.version, listKey: step.listKey, rejected };
  const prompt = withRedraftFeedback(call.prompt, feedback);

  const policy = await currentPolicy(step.key);
  const tier = redraftModels(policy.values);
  // The step run records what the model read, as the engine's step runs do.
  await db().stepRun.update({
    where: { id: stepRunId },
    data: { input: { artifactId: artifact.id, ref: artifact.ref, decisionId: decision.id, modelIds: tier.modelIds, policyVersion: policy.version, ...prompt.input } as Prisma.InputJsonValue },
  });
  const earlier = await db().modelCall.count({ where: { stepRunId } });
  const trace = stepTrace(Promise.resolve({ scope: { stepRunId, runId: artifact.runId, projectId: artifact.projectId }, earlier }));
  const record: CallRecorder = async (callMade) => {
    made.push(callMade);
    await trace(callMade);
  };
  const gate = spendGateFor({ runId: artifact.runId, projectId: artifact.projectId, stepMaxCostUsd: policy.values.maxCostUsd });
  const outcome = await withLogContext({ runId: artifact.runId, stepRunId }, () =>
    draftOnTier(tier, { prompt, schema: step.outputSchema as z.ZodType<Record<string, unknown>>, categoryModel: call.categoryModel }, { gate, priceOf, record }),
  );
  if (outcome.status === "provider_error") throw new RedraftFailure(`no model could re-draft it: ${outcome.failures.join("; ")}`);

  const drafter = { model: outcome.model, tier: tier.index };
  // As for any draft: the tier is recorded only when the policy has a cascade.
  const tierOnRecord = policy.values.cascade.length > 0 ? tier.index : null;
  let draftOutput: DraftStepOutput<unknown>;
  if (outcome.status === "ok") {
    const items = Array.isArray(outcome.output[step.listKey]) ? (outcome.output[step.listKey] as { id?: unknown }[]) : [];
    draftOutput = { draft: outcome.output, violations: [], drafters: Object.fromEntries(items.flatMap((item) => (typeof item.id === "string" ? [[item.id, drafter]] : []))) };
  } else {
    const salvaged = salvageItems(outcome.replies.at(-1) ?? null, step.listKey, step.itemSchema);
    const violations: ContractViolation[] = salvaged
      ? salvaged.invalid.map((invalid) => ({ ...invalid, drafter }))
      : [{ raw: outcome.replies.at(-1) ?? "", problem: describeIssues(outcome.issues), drafter }];
    draftOutput = { draft: step.fromItems(salvaged?.valid ?? []), violations, drafters: {} };
  }
  outputs.set(step.key, draftOutput);
  for (const check of steps.checks) if (check.kind === "rule" && check.role === "check") outputs.set(check.key, (await check.run(env)).output);

  const totals = totalsOf(made);
  const candidates = (await steps.route.candidates(env, { stepCostUsd: totals.costUsd })).filter((candidate) => candidate.evidence.contractViolation === null);
  const picked = pickRedraft(candidates, rejected, comment);
  if (!picked) {
    const broken = draftOutput.violations.map((violation) => violation.problem).join("; ");
    throw new RedraftFailure(broken ? `the reply broke its contract: ${broken}` : "the reply held no draft");
  }

  const calibration = await freshCalibration(step.key);
  const route = (candidate: RouteCandidate, reasons: { code: string; detail: string }[]) => {
    const evidence = { ...candidate.evidence, providerError: null };
    const features = featuresOf(evidence, { category: candidate.category, modelId: drafter.model, sourceKind: candidate.sourceKind, categoryOpinion: candidate.categoryOpinion });
    const facts = calibrationEvidence(calibration, policy.values, features);
    // Routing records what it finds; the outcome is review whatever it finds: the rejection stands in the way of auto-approval.
    const routing = routeArtifact({ ...evidence, calibration: facts }, effectivePolicy(policy.values, candidate.category), () => false);
    return {
      reasons: [...reasons, ...routing.reasons] as RoutingReason[],
      row: {
        outcome: "review" as const,
        policy: routing.policy as unknown as Prisma.InputJsonValue,
        stepKey: step.key,
        category: candidate.category,
        features: features as unknown as Prisma.InputJsonValue,
        calibratedProbability: facts.probability,
        threshold: facts.threshold,
        calibrationVersion: facts.version,
        policyVersion: policy.version,
        eligible: false,
      },
    };
  };
  const rejectedBy = decision.decidedBy.name;
  const unchanged = sameContent(picked.next.content, rejected);
  const next = route(picked.next, redraftReasons({ ref: artifact.ref, version: decision.version, rejectedBy, comment, unchanged }));
  const nextVersion = decision.version + 1;
  const confidenceOf = (candidate: RouteCandidate) => candidate.evidence.confidence;

  await transact(async (tx) => {
    // Guarded on what the job read: an undo or another decision in between leaves the artifact as it is.
    const { count } = await tx.artifact.updateMany({
      where: { id: artifact.id, status: "rejected", currentVersion: decision.version },
      data: { status: "pending_review", currentVersion: nextVersion },
    });
    if (count !== 1) throw new RedraftFailure(`${artifact.ref} changed while it was re-drafted`);
    await tx.artifactVersion.create({
      data: { artifactId: artifact.id, version: nextVersion, content: picked.next.content as Prisma.InputJsonValue, confidence: confidenceOf(picked.next), stepRunId, model: drafter.model, tier: tierOnRecord },
    });
    await tx.routingDecision.create({ data: { artifactId: artifact.id, version: nextVersion, reasons: next.reasons as unknown as Prisma.InputJsonValue, ...next.row } });
    const item = await tx.reviewItem.create({
      data: {
        projectId: artifact.projectId,
        stageId: artifact.stageId,
        runId: artifact.runId,
        artifactId: artifact.id,
        version: nextVersion,
        reasons: next.reasons as unknown as Prisma.InputJsonValue,
        requiredApprovals: await requiredApprovalsFor(tx, { stepKey: step.key, policyVersion: policy.version, category: picked.next.category }),
        approvalChance: approvalChance(next.row.calibratedProbability, confidenceOf(picked.next)),
      },
    });
    await emitDraftRouted(tx, { ...routedScope(loaded), reviewItemId: item.id, artifactId: artifact.id, ref: artifact.ref, kind: artifact.kind, version: nextVersion, reasons: next.reasons });
    const linked = new Set(artifact.derivedFrom.map((link) => link.parentId));
    for (const parentId of new Set(picked.next.derivedFrom)) if (!linked.has(parentId)) await tx.artifactLink.create({ data: { artifactId: artifact.id, parentId } });
    const parts = await writeParts(tx, { loaded, parts: picked.parts, stepRunId, drafter: { model: drafter.model, tier: tierOnRecord }, route, rejectedBy, comment, policy: { stepKey: step.key, policyVersion: policy.version } });
    await tx.stepRun.update({
      where: { id: stepRunId },
      data: {
        status: "completed",
        output: draftOutput as unknown as Prisma.InputJsonValue,
        model: drafter.model,
        inputTokens: totals.inputTokens,
        outputTokens: totals.outputTokens,
        costUsd: totals.costUsd,
        latencyMs: totals.latencyMs,
        finishedAt: new Date(),
      },
    });
    // A run that already finished counts the re-draft's spend too (a run still going sums its step runs when it finishes).
    if (totals.costUsd > 0) await tx.run.update({ where: { id: artifact.runId }, data: { costUsd: { increment: totals.costUsd } } });
    await recordAudit(tx, {
      actor: systemActor("redrafter"),
      action: "artifact.redrafted",
      subjectType: "artifact",
      subjectId: artifact.id,
      projectId: artifact.projectId,
      before: { ref: artifact.ref, version: decision.version, status: "rejected", content: rejected },
      after: { ref: artifact.ref, version: nextVersion, status: "pending_review", content: picked.next.content, reviewItemId: item.id, stepRunId, model: drafter.model, unchanged, parts },
      reason: `Re-drafted after ${rejectedBy} rejected version ${decision.version}: ${comment}`,
    });
  });
}

/** The other parts of a split: new artifacts of the same run, each waiting for review beside the re-drafted one. */
async function writeParts(
  tx: Tx,
  input: {
    loaded: Loaded;
    parts: readonly RouteCandidate[];
    stepRunId: string;
    drafter: { model: string; tier: number | null };
    route: (candidate: RouteCandidate, reasons: { code: string; detail: string }[]) => { reasons: RoutingReason[]; row: Omit<Prisma.RoutingDecisionUncheckedCreateInput, "artifactId" | "version" | "reasons"> };
    rejectedBy: string;
    comment: string;
    /** the step and policy version the parts were routed under */
    policy: { stepKey: string; policyVersion: number };
  },
): Promise<string[]> {
  const { artifact, decision } = input.loaded;
  const refs: string[] = [];
  let number = await nextRefNumber(tx, artifact.projectId, artifact.kind as ArtifactKind);
  for (const part of input.parts) {
    const ref = artifactRef(artifact.kind as ArtifactKind, number++);
    const routed = input.route(part, redraftReasons({ ref: artifact.ref, version: decision.version, rejectedBy: input.rejectedBy, comment: input.comment, unchanged: false, splitFrom: artifact.ref }));
    const reasons = routed.reasons as unknown as Prisma.InputJsonValue;
    const created = await tx.artifact.create({
      data: {
        projectId: artifact.projectId,
        stageId: artifact.stageId,
        runId: artifact.runId,
        stepRunId: input.stepRunId,
        kind: artifact.kind,
        ref,
        status: "pending_review",
        versions: { create: { version: 1, content: part.content as Prisma.InputJsonValue, confidence: part.evidence.confidence, stepRunId: input.stepRunId, model: input.drafter.model, tier: input.drafter.tier } },
        derivedFrom: { create: [...new Set([...artifact.derivedFrom.map((link) => link.parentId), ...part.derivedFrom])].map((parentId) => ({ parentId })) },
        routings: { create: { version: 1, reasons, ...routed.row } },
      },
    });
    const item = await tx.reviewItem.create({
      data: {
        projectId: artifact.projectId,
        stageId: artifact.stageId,
        runId: artifact.runId,
        artifactId: created.id,
        version: 1,
        reasons,
        requiredApprovals: await requiredApprovalsFor(tx, { ...input.policy, category: part.category }),
        approvalChance: approvalChance(routed.row.calibratedProbability ?? null, part.evidence.confidence ?? null),
      },
    });
    await emitDraftRouted(tx, { ...routedScope(input.loaded), reviewItemId: item.id, artifactId: created.id, ref, kind: artifact.kind, version: 1, reasons: routed.reasons });
    await recordAudit(tx, {
      actor: systemActor("redrafter"),
      action: "artifact.sent_to_review",
      subjectType: "artifact",
      subjectId: created.id,
      projectId: artifact.projectId,
      after: { ref, kind: artifact.kind, version: 1, outcome: "review", splitFrom: artifact.ref, reasons: routed.reasons.map((reason) => reason.code) },
      reason: `Split from ${artifact.ref} when it was re-drafted: ${input.comment}`,
    });
    refs.push(ref);
  }
  return refs;
}

/** Where a re-drafted artifact's review items belong: its project, stage and run. */
function routedScope({ artifact }: Loaded) {
  return { projectId: artifact.projectId, stageId: artifact.stageId, runId: artifact.runId };
}
