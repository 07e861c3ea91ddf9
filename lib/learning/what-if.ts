import type { UserActor } from "@/lib/actors";
import { assertCan } from "@/lib/access";
import { calibratedProbability } from "@/lib/calibration";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { costUsd, priceFor } from "@/lib/models/pricing";
import { isModelStep, proposedPolicy } from "@/lib/policies/service";
import { effectivePolicy, type PolicyUpdate, type PolicyValues } from "@/lib/policies/schema";
import { evidenceReasonCodes } from "@/lib/routing/schema";
import { freshCalibration, thresholdFor, type Calibration } from "./calibration";
import { draftFeaturesSchema, type DraftFeatures } from "./features";

/**
 * What-if: the drafts a step already routed, replayed under the current and the proposed policy
 * with today's calibration, so an admin sees what a change would have done before saving it:
 * how many drafts move between people and auto-approval, the defects that would have escaped,
 * reviewer hours (from measured decision times) and model cost.
 */
export type HistoricDraft = {
  features: DraftFeatures;
  /** Reasons about the draft itself that no policy value changes (flags, ungrounded quotes, broken contract). */
  draftReasons: string[];
  stepCostUsd: number;
  tokens: { inputTokens: number; outputTokens: number };
  correct: boolean | null;
  reviewMs: number | null;
};

export type WhatIfFigures = {
  drafts: number;
  autoApproved: number;
  toPeople: number;
  escapedDefects: number;
  reviewerHours: number;
  modelCostUsd: number;
  threshold: number | null;
};

/** When no decision time was measured yet, a reviewer is assumed to take this long per draft. */
export const ASSUMED_REVIEW_MS = 45_000;
/**
 * Policy-dependent reasons are recomputed from the policy under replay, not taken from history;
 * wording notes never held a draft (calibration weighs the flags behind them).
 */
const REPLAYED_REASONS = new Set(["low_confidence", "always_review", "high_cost", "wording_note", ...evidenceReasonCodes]);

/** Which drafts a policy auto-approves, given today's calibration. Pure. */
export function replayAutoApprovals(history: readonly HistoricDraft[], calibration: Calibration | null, values: PolicyValues): boolean[] {
  const thresholds = new Map<string | null, number | null>();
  const thresholdOf = (category: string | null) => {
    if (!thresholds.has(category)) thresholds.set(category, thresholdFor(calibration, values, category).threshold);
    return thresholds.get(category)!;
  };
  return history.map((draft) => {
    const policy = effectivePolicy(values, draft.features.category);
    if (draft.draftReasons.length > 0 || policy.alwaysReview) return false;
    if (draft.features.rawConfidence === null || draft.features.rawConfidence < policy.minConfidence) return false;
    if (costOf(draft, values.modelId) > policy.maxCostUsd) return false;
    const threshold = thresholdOf(draft.features.category);
    if (threshold === null || calibration === null) return false;
    return calibratedProbability(calibration.model, draft.features).probability >= threshold;
  });
}

/** A draft's share of its step's cost, priced for the model the policy names when that differs. */
function costOf(draft: HistoricDraft, modelId: string): number {
  if (draft.features.modelId === modelId) return draft.stepCostUsd;
  const price = priceFor(modelId);
  return price ? costUsd(draft.tokens, price) : draft.stepCostUsd;
}

export function figuresFor(history: readonly HistoricDraft[], auto: readonly boolean[], values: PolicyValues, threshold: number | null): WhatIfFigures {
  const measured = history.flatMap((draft) => (draft.reviewMs === null ? [] : [draft.reviewMs])).sort((a, b) => a - b);
  const medianMs = measured.length > 0 ? measured[Math.floor(measured.length / 2)] : ASSUMED_REVIEW_MS;
  const autoApproved = auto.filter(Boolean).length;
  const toPeople = history.length - autoApproved;
  // Audit samples of the auto-approved drafts are reviewed too.
  const reviewed = toPeople + autoApproved * values.auditSampleRate;
  return {
    drafts: history.length,
    autoApproved,
    toPeople,
    escapedDefects: history.filter((draft, index) => auto[index] && draft.correct === false).length,
    reviewerHours: round((reviewed * medianMs) / 3_600_000, 2),
    modelCostUsd: round(history.reduce((sum, draft) => sum + costOf(draft, values.modelId), 0), 6),
    threshold,
  };
}

export async function whatIfPolicy(actor: UserActor, stepKey: string, input: PolicyUpdate) {
  await assertCan(actor, "policies:manage");
  if (!isModelStep(stepKey)) throw notFound(`A model step called ${stepKey}`);
  const { current, proposed } = await proposedPolicy(stepKey, input);
  const calibration = await freshCalibration(stepKey);
  const history = await loadHistory(stepKey);
  const currentAuto = replayAutoApprovals(history, calibration, current.values);
  const proposedAuto = replayAutoApprovals(history, calibration, proposed);
  return {
    stepKey,
    currentVersion: current.version,
    proposed,
    current: figuresFor(history, currentAuto, current.values, thresholdFor(calibration, current.values, null).threshold),
    proposedFigures: figuresFor(history, proposedAuto, proposed, thresholdFor(calibration, proposed, null).threshold),
    movedToPeople: currentAuto.filter((auto, index) => auto && !proposedAuto[index]).length,
    movedToAuto: currentAuto.filter((auto, index) => !auto && proposedAuto[index]).length,
    labelledDrafts: history.filter((draft) => draft.correct !== null).length,
  };
}

/** Every draft the step routed, as first drafted, with its label when people decided it. */
async function loadHistory(stepKey: string): Promise<HistoricDraft[]> {
  const routings = await db().routingDecision.findMany({
    where: { stepKey, version: 1, features: { not: undefined } },
    select: {
      features: true,
      reasons: true,
      artifact: {
        select: {
          stepRunId: true,
          label: { select: { correct: true, durationMs: true } },
          stepRun: { select: { costUsd: true, inputTokens: true, outputTokens: true, _count: { select: { artifacts: true } } } },
        },
      },
    },
  });
  return routings.flatMap((routing) => {
    const features = draftFeaturesSchema.safeParse(routing.features);
    if (!features.success) return [];
    const { stepRun, label } = routing.artifact;
    const share = Math.max(1, stepRun._count.artifacts);
    return [
      {
        features: features.data,
        draftReasons: (routing.reasons as { code: string }[]).map((reason) => reason.code).filter((code) => !REPLAYED_REASONS.has(code)),
        stepCostUsd: stepRun.costUsd / share,
        tokens: { inputTokens: stepRun.inputTokens / share, outputTokens: stepRun.outputTokens / share },
        correct: label?.correct ?? null,
        reviewMs: label?.durationMs ?? null,
      },
    ];
  });
}

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));
