import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { modelSteps, stepCategories } from "@/lib/pipeline/steps";
import { currentPolicy, isModelStep } from "@/lib/policies/service";
import { loadCalibration, refitCalibration, thresholdFor, type CalibrationSummary } from "./calibration";

/**
 * What admins read about learning: per step and category, how well calibration predicts
 * reviewers' decisions (reliability bins, ECE, label counts) and what auto-approval the evidence
 * supports under the policy in force.
 */
export async function getStepCalibration(actor: UserActor, stepKey: string) {
  await assertCan(actor, "policies:manage");
  if (!isModelStep(stepKey)) throw notFound(`A model step called ${stepKey}`);
  return calibrationView(stepKey);
}

export async function listStepCalibrations(actor: UserActor) {
  await assertCan(actor, "policies:manage");
  return Promise.all(modelSteps.map((step) => calibrationView(step.key)));
}

/** Refits a step's calibration now, whatever the background refit would do. */
export async function refitStepCalibration(actor: UserActor, stepKey: string) {
  await assertCan(actor, "policies:manage");
  if (!isModelStep(stepKey)) throw notFound(`A model step called ${stepKey}`);
  await refitCalibration(stepKey, `refit on demand by ${actor.email}`);
  return calibrationView(stepKey);
}

async function calibrationView(stepKey: (typeof modelSteps)[number]["key"]) {
  const [calibration, policy, row] = await Promise.all([
    loadCalibration(stepKey),
    currentPolicy(stepKey),
    db().learnedModel.findFirst({ where: { name: `calibration:${stepKey}` }, orderBy: { version: "desc" }, select: { summary: true } }),
  ]);
  const summary = (row?.summary ?? null) as CalibrationSummary | null;
  const step = modelSteps.find((candidate) => candidate.key === stepKey)!;
  const thresholdView = (category: string | null) => {
    const result = thresholdFor(calibration, policy.values, category);
    return {
      threshold: result.threshold,
      labels: result.support,
      errors: result.errors,
      upperBound: result.upperBound,
      decisionsNeeded: result.threshold === null ? result.decisionsNeeded : 0,
      testedAlone: result.category !== undefined,
    };
  };
  return {
    stepKey,
    title: step.title,
    version: calibration?.version ?? 0,
    fittedAt: calibration?.createdAt.toISOString() ?? null,
    reason: calibration?.reason ?? null,
    policyVersion: policy.version,
    targetErrorRate: policy.values.targetErrorRate,
    confidenceLevel: policy.values.confidenceLevel,
    labels: summary?.labels ?? 0,
    correct: summary?.correct ?? 0,
    ece: summary?.ece ?? null,
    bins: summary?.bins ?? [],
    autoApproval: thresholdView(null),
    categories: stepCategories(stepKey).map((category) => {
      const own = summary?.categories.find((entry) => entry.category === category);
      return { category, labels: own?.labels ?? 0, correct: own?.correct ?? 0, ece: own?.ece ?? null, bins: own?.bins ?? [], autoApproval: thresholdView(category) };
    }),
  };
}
export type StepCalibrationView = Awaited<ReturnType<typeof calibrationView>>;
