import { z } from "zod";
import { systemActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import {
  autoApprovalThreshold,
  withinCategory,
  calibratedProbability,
  calibrationModelDataSchema,
  expectedCalibrationError,
  fitCalibration,
  reliabilityBins,
  type CalibrationSample,
  type ThresholdResult,
} from "@/lib/calibration";
import { db, type Prisma } from "@/lib/db";
import { notifyStageOwner } from "@/lib/notifications/service";
import type { ModelStepKey } from "@/lib/pipeline/steps";
import { currentPolicy, isModelStep } from "@/lib/policies/service";
import { effectivePolicy, type PolicyValues } from "@/lib/policies/schema";
import { isAdvisoryFlag, type CalibrationEvidence } from "@/lib/routing/schema";
import { transact } from "@/lib/transaction";
import { draftFeaturesSchema, type DraftFeatures } from "./features";
import { foldOf, FOLDS, withCurrentCategoryOpinions } from "./label-rescoring";
import { backgroundRefitDue, type FitState } from "./refit-schedule";

/**
 * Calibration per drafting step: the probability that people approve a draft unchanged, learned
 * from their decisions (lib/calibration does the statistics; this module feeds it labels and keeps
 * the fitted versions). The thresholds are chosen on out-of-fold probabilities, so a model is
 * never judged on the labels it was fitted to.
 */
/** Below this many labels a fold split says more about chance than about the drafter. */
const MIN_LABELS_FOR_FOLDS = 20;

/** `clean`: no flag held the draft for people (advisory wording notes aside), so it could have been auto-approved. */
const scoredLabelSchema = z.object({ p: z.number(), correct: z.boolean(), category: z.string().nullable(), clean: z.boolean() });
export type ScoredLabel = z.infer<typeof scoredLabelSchema>;

const storedDataSchema = z.object({ model: calibrationModelDataSchema, scored: z.array(scoredLabelSchema) });

export type Calibration = {
  stepKey: string;
  version: number;
  labelCount: number;
  model: z.infer<typeof calibrationModelDataSchema>;
  /** Every labelled draft with its out-of-fold probability. */
  scored: ScoredLabel[];
  createdAt: Date;
  reason: string;
};

const modelName = (stepKey: string) => `calibration:${stepKey}`;

function sampleOf(features: DraftFeatures, correct: boolean): CalibrationSample {
  return {
    rawConfidence: features.rawConfidence,
    category: features.category,
    flags: features.flags,
    modelId: features.modelId,
    sourceKind: features.sourceKind,
    categoryOpinion: features.categoryOpinion,
    correct,
  };
}

/** The latest fitted calibration of a step, or null before the first decision. */
export async function loadCalibration(stepKey: string): Promise<Calibration | null> {
  const row = await db().learnedModel.findFirst({ where: { name: modelName(stepKey) }, orderBy: { version: "desc" } });
  if (!row) return null;
  const data = storedDataSchema.parse(row.data);
  return { stepKey, version: row.version, labelCount: row.labelCount, model: data.model, scored: data.scored, createdAt: row.createdAt, reason: row.reason };
}

/** How many labels arrived since the last fit (0 when none did), and that fit's size and time, without loading the fitted model. */
async function fitState(stepKey: string): Promise<FitState> {
  const latest = await db().learnedModel.findFirst({ where: { name: modelName(stepKey) }, orderBy: { version: "desc" }, select: { labelCount: true, createdAt: true } });
  const newLabels = await db().draftLabel.count({ where: { stepKey, ...(latest ? { createdAt: { gt: latest.createdAt } } : {}) } });
  return { newLabels, fittedLabels: latest?.labelCount ?? 0, fittedAt: latest?.createdAt ?? null };
}

/**
 * A fit learns from the step's latest labels, at most this many: what people decide lately says
 * most about the drafter of today, a fit's cost stays bounded however long a team has worked,
 * and a few thousand labels are far more than a 3% error bound needs (about 100 to 300).
 */
export const MAX_FIT_LABELS = 5000;

/** The calibration to route with: refitted first when decisions arrived since the last fit. */
export async function freshCalibration(stepKey: string): Promise<Calibration | null> {
  const arrived = (await fitState(stepKey)).newLabels;
  if (arrived === 0) return loadCalibration(stepKey);
  return refitCalibration(stepKey, `${arrived} new decision${arrived === 1 ? "" : "s"} since the last fit`);
}

/**
 * Fits a new version from the step's latest labels (MAX_FIT_LABELS), as the category classifier of today would have
 * drafted them (label-rescoring.ts), and stores it with its reliability figures.
 */
export async function refitCalibration(stepKey: string, reason: string, maxLabels = MAX_FIT_LABELS): Promise<Calibration> {
  const latest = await db().draftLabel.findMany({
    where: { stepKey },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: maxLabels,
    select: { id: true, artifactId: true, features: true, correct: true, outcome: true, category: true, correctedCategory: true, statement: true },
  });
  const labels = latest.reverse();
  const samples = await withCurrentCategoryOpinions(
    stepKey,
    labels.map((label) => ({ ...label, features: draftFeaturesSchema.parse(label.features) })),
  );
  const model = fitCalibration(samples.map((s) => sampleOf(s.features, s.correct)));
  const scored = outOfFold(samples, model);
  const summary = summarise(scored);
  const saved = await transact(async (tx) => {
    const latest = await tx.learnedModel.findFirst({ where: { name: modelName(stepKey) }, orderBy: { version: "desc" }, select: { version: true } });
    const version = (latest?.version ?? 0) + 1;
    const row = await tx.learnedModel.create({
      data: {
        name: modelName(stepKey),
        version,
        data: { model, scored } as unknown as Prisma.InputJsonValue,
        summary: summary as unknown as Prisma.InputJsonValue,
        labelCount: samples.length,
        reason,
      },
      // Not the stored model back: it is the one just fitted, and reading its JSON again costs the server's event loop.
      select: { version: true, createdAt: true },
    });
    await recordAudit(tx, {
      actor: systemActor("calibration"),
      action: "calibration.fitted",
      subjectType: "step",
      subjectId: stepKey,
      after: { version, labels: samples.length, ece: summary.ece },
      reason,
    });
    return row;
  });
  return { stepKey, version: saved.version, labelCount: samples.length, model, scored, createdAt: saved.createdAt, reason };
}

/**
 * Each label scored by a model fitted without it (its fold: label-rescoring.ts foldOf), so the
 * thresholds and the reliability chart show how calibration does on decisions it has not seen.
 */
function outOfFold(samples: { id: string; statement: string | null; features: DraftFeatures; correct: boolean }[], fullModel: Calibration["model"]): ScoredLabel[] {
  const scoreWith = (model: Calibration["model"], sample: (typeof samples)[number]): ScoredLabel => ({
    p: calibratedProbability(model, sample.features).probability,
    correct: sample.correct,
    category: sample.features.category,
    clean: sample.features.flags.every(isAdvisoryFlag),
  });
  // Too few to hold any out: every label scored in-sample; the thresholds need far more anyway.
  if (samples.length < MIN_LABELS_FOR_FOLDS) return samples.map((sample) => scoreWith(fullModel, sample));
  const folds = samples.map((sample) => foldOf(sample));
  const models = Array.from({ length: FOLDS }, (_, fold) => fitCalibration(samples.filter((_, index) => folds[index] !== fold).map((s) => sampleOf(s.features, s.correct))));
  return samples.map((sample, index) => scoreWith(models[folds[index]], sample));
}

function summarise(scored: ScoredLabel[]) {
  const pairs = scored.map(({ p, correct }) => ({ p, correct }));
  const categories = [...new Set(scored.map((s) => s.category).filter((c): c is string => c !== null))].sort();
  return {
    labels: scored.length,
    correct: scored.filter((s) => s.correct).length,
    ece: expectedCalibrationError(pairs),
    bins: reliabilityBins(pairs),
    categories: categories.map((category) => {
      const own = scored.filter((s) => s.category === category).map(({ p, correct }) => ({ p, correct }));
      return { category, labels: own.length, correct: own.filter((s) => s.correct).length, ece: expectedCalibrationError(own), bins: reliabilityBins(own) };
    }),
  };
}
export type CalibrationSummary = ReturnType<typeof summarise>;

/**
 * The auto-approval threshold for drafts of one category (null: any draft of the step): chosen on
 * the clean labelled drafts (those no rule sent to people, the population auto-approval is about).
 * A category with its own target is judged on its own labels; others share the step's, and one
 * with enough labels to be tested alone must pass that test too (lib/calibration/threshold.ts withinCategory).
 */
export function thresholdFor(calibration: Calibration | null, values: PolicyValues, category: string | null): ThresholdResult {
  const policy = effectivePolicy(values, category);
  const ownTarget = category !== null && values.categories[category] !== undefined;
  const compute = (): ThresholdResult => {
    const labelled = (calibration?.scored ?? []).filter((s) => s.clean && (category === null || s.category === category)).map(({ p, correct }) => ({ p, correct }));
    if (category === null || ownTarget) return autoApprovalThreshold(labelled, policy.targetErrorRate, policy.confidenceLevel);
    // Without a target of its own a category shares the step's threshold (computed once per fit), and its own labels' when testable.
    return withinCategory(thresholdFor(calibration, values, null), category, labelled, policy.targetErrorRate, policy.confidenceLevel);
  };
  if (!calibration) return compute();
  // Routing asks once or twice per draft; the answer only changes with the fit and the policy.
  const known = thresholdsOf.get(calibration) ?? thresholdsOf.set(calibration, new Map()).get(calibration)!;
  const key = `${category ?? "*"}|${ownTarget}|${policy.targetErrorRate}|${policy.confidenceLevel}`;
  return known.get(key) ?? known.set(key, compute()).get(key)!;
}
const thresholdsOf = new WeakMap<Calibration, Map<string, ThresholdResult>>();

/** What routing needs to know about one draft from its step's calibration. */
export function calibrationEvidence(calibration: Calibration | null, values: PolicyValues, features: DraftFeatures): CalibrationEvidence {
  const threshold = thresholdFor(calibration, values, features.category);
  const probability = calibration ? calibratedProbability(calibration.model, features).probability : 0;
  return {
    probability,
    threshold: threshold.threshold,
    labels: threshold.support,
    decisionsNeeded: threshold.threshold === null ? threshold.decisionsNeeded : 0,
    category: threshold.category ?? null,
    version: calibration?.version ?? 0,
  };
}

/**
 * An audited draft that would have been auto-approved was wrong: refit now and, when the step's
 * threshold rises (or auto-approval stops), record why and tell the stage owner.
 */
export async function tightenAfterAuditError(stepKey: string, context: { projectId: string; artifactIds: string[] }): Promise<void> {
  if (!isModelStep(stepKey)) return;
  const before = await loadCalibration(stepKey);
  const { values, version: policyVersion } = await currentPolicy(stepKey as ModelStepKey);
  const after = await refitCalibration(stepKey, `an audit sample was wrong (${context.artifactIds.join(", ")})`);
  const was = thresholdFor(before, values, null).threshold;
  const now = thresholdFor(after, values, null).threshold;
  if (was !== null && now !== null && now <= was) return;
  if (was === null && now === null) return;
  const refs = await db().artifact.findMany({ where: { id: { in: context.artifactIds } }, select: { ref: true, stageId: true } });
  const change =
    now === null ? `auto-approval of ${stepKey} is suspended until more decisions support it` : `the auto-approval threshold of ${stepKey} rose from ${was?.toFixed(3) ?? "none"} to ${now.toFixed(3)}`;
  const reason = `Audit found ${refs.map((r) => r.ref).join(", ")} wrong although it would have been auto-approved; ${change}.`;
  await transact((tx) =>
    recordAudit(tx, {
      actor: systemActor("calibration"),
      action: "calibration.tightened",
      subjectType: "step",
      subjectId: stepKey,
      projectId: context.projectId,
      before: { threshold: was, calibrationVersion: before?.version ?? 0, policyVersion },
      after: { threshold: now, calibrationVersion: after.version, policyVersion },
      reason,
    }),
  );
  for (const stageId of new Set(refs.map((r) => r.stageId))) await notifyStageOwner(stageId, { kind: "calibration.tightened", message: reason });
}

/** For the background refit: refits every step whose decisions since its last fit make one due (refit-schedule.ts). */
export async function refitStaleCalibrations(steps: readonly string[], now = new Date()): Promise<number> {
  let refitted = 0;
  for (const stepKey of steps) {
    if (!backgroundRefitDue(await fitState(stepKey), now)) continue;
    await refitCalibration(stepKey, "background refit after new decisions");
    refitted += 1;
  }
  return refitted;
}
