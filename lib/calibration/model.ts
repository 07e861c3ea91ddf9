import { z } from "zod";
import { fitIsotonic, isotonicModelSchema, poolAdjacentViolators, predictIsotonic, type IsotonicModel } from "./isotonic";
import { fitLogistic, sigmoid } from "./logistic";

/**
 * The calibration model of one drafting step: P(people approve the draft unchanged | its evidence).
 *
 * Design: L2-penalised logistic regression on a small monotone basis of the drafter's raw
 * confidence and of the learned category classifier's opinion of the draft's category (weights
 * constrained >= 0), and indicators for flags, category, model and source kind,
 * followed, once there are enough labels, by isotonic recalibration of its score. Why this one:
 * the regression uses every label for every feature (a flag seen 20 times still counts) where
 * stratified isotonic would split thin data into thinner cells; the non-negative confidence
 * weights and the nondecreasing recalibration make the probability monotone in raw confidence by
 * construction; the recalibration repairs what a linear score cannot express (say, drafts that are
 * right half the time whatever the score says). A category with enough labels of both outcomes
 * gets its own fit, penalised toward the pooled weights, so it departs from the step only as far
 * as its own evidence says. A flag, model or source never seen in the labels weighs nothing.
 */
export type CalibrationSample = {
  rawConfidence: number | null;
  category: string | null;
  /** Codes of the evidence present on the draft: quality flags, "conflict", "ungrounded", ... */
  flags: string[];
  modelId: string | null;
  sourceKind: string | null;
  /** The learned category classifier's probability that `category` is right; null or absent when there is none. */
  categoryOpinion?: number | null;
  /** People approved the draft unchanged. */
  correct: boolean;
};
export type CalibrationFeatures = Omit<CalibrationSample, "correct">;

export type CalibrationOptions = {
  /** A category gets its own fit from this many labels, with both outcomes present. */
  minCategorySamples?: number;
  /** Below this many labels (or with one outcome only) the model answers the smoothed base rate. */
  minSamples?: number;
  /** The isotonic recalibration needs this many labels in a stratum; fewer would only add noise. */
  minIsotonicSamples?: number;
  /** L2 strength on the pooled fit's indicator weights. */
  ridge?: number;
  /** L2 strength on a category's departure from the pooled weights: higher keeps categories closer to the step. */
  shrink?: number;
};

const DEFAULTS: Required<CalibrationOptions> = { minCategorySamples: 30, minSamples: 10, minIsotonicSamples: 200, ridge: 1, shrink: 5 };
/** A light penalty on the confidence weight only keeps it finite when confidence separates the labels. */
const CONFIDENCE_RIDGE = 0.1;
/** Next to nothing, yet keeps the intercept finite on a cross-fitting fold that holds one outcome only. */
const INTERCEPT_RIDGE = 1e-4;
/** Pseudo-labels per isotonic block, drawn toward the regression, so a clean block never claims certainty. */
const BLOCK_PRIOR_WEIGHT = 2;
/** Folds of the cross-fitting that gives the recalibration scores from fits that did not see the label. */
const RECALIBRATION_FOLDS = 5;
/** Raw confidence is clamped here before the logit, which is unbounded at 0 and 1; a missing one counts as 0. */
const CONFIDENCE_FLOOR = 0.01;
const CONFIDENCE_CEILING = 0.99;
/** Where the confidence ramps start; each rises over CONFIDENCE_RAMP. */
const CONFIDENCE_KNOTS = [0, 0.25, 0.5, 0.75];
const CONFIDENCE_RAMP = 0.25;

const weightsSchema = z.object({
  intercept: z.number(),
  /** One weight per term of the confidence basis, each >= 0 so the score never falls as confidence rises. */
  confidence: z.array(z.number().min(0)).length(CONFIDENCE_KNOTS.length + 1),
  /** The weight of the category opinion's logit, >= 0; models fitted before it existed weigh it 0. */
  opinion: z.array(z.number().min(0)).length(1).default([0]),
  /** Keyed "flag:<code>", "category:<name>", "model:<id>", "source:<kind>"; absent keys weigh 0. */
  indicators: z.record(z.string(), z.number()),
});

const stratumSchema = z.object({
  labels: z.number().int().min(0),
  correct: z.number().int().min(0),
  weights: weightsSchema,
  recalibration: isotonicModelSchema.nullable(),
});
type Stratum = z.infer<typeof stratumSchema>;

export const calibrationModelDataSchema = z.object({
  kind: z.literal("logistic-isotonic"),
  version: z.literal(1),
  /** False when there was too little (or one-sided) evidence and the model answers the base rate. */
  fitted: z.boolean(),
  labels: z.number().int().min(0),
  correct: z.number().int().min(0),
  /** Laplace-smoothed share correct: the answer of an unfitted model. */
  baseRate: z.number().min(0).max(1),
  pooled: stratumSchema.nullable(),
  /** Categories with their own fit, by name. A list, not a record: a name is data, never a key of an object. */
  categories: z.array(stratumSchema.extend({ category: z.string() })),
});
export type CalibrationModelData = z.infer<typeof calibrationModelDataSchema>;

/** Which part of the model answered: a category's own fit, the step's pooled fit, or the base rate. */
export type CalibrationStratum = "prior" | "pooled" | `category:${string}`;

/**
 * The terms raw confidence enters the score through: its logit (steep near 0 and 1) and ramps
 * rising across each quarter of [0, 1]. With non-negative weights any sum of them is
 * nondecreasing, and together they bend to a drafter whose confidence is not logit-linear.
 */
function confidenceBasis(raw: number | null): number[] {
  const value = raw === null || Number.isNaN(raw) ? 0 : Math.min(1, Math.max(0, raw));
  return [logit(value), ...CONFIDENCE_KNOTS.map((from) => Math.min(1, Math.max(0, (value - from) / CONFIDENCE_RAMP)))];
}

function logit(value: number): number {
  const clamped = Math.min(CONFIDENCE_CEILING, Math.max(CONFIDENCE_FLOOR, value));
  return Math.log(clamped / (1 - clamped));
}

/**
 * The category opinion enters through its logit alone: a classifier's probability is already on a
 * scale calibration can use, and ramps on top of it overfit (measured on the eval set: label ECE
 * 0.068 -> 0.058). A missing opinion weighs nothing; the "opinion:none" indicator learns what its absence says.
 */
const opinionBasis = (opinion: number | null | undefined): number[] =>
  opinion === null || opinion === undefined || Number.isNaN(opinion) ? [0] : [logit(opinion)];

function indicatorsOf(features: CalibrationFeatures): string[] {
  const noOpinion = features.category !== null && (features.categoryOpinion === null || features.categoryOpinion === undefined);
  return [
    ...new Set(features.flags.map((flag) => `flag:${flag}`)),
    ...(noOpinion ? ["opinion:none"] : []),
    ...(features.category === null ? [] : [`category:${features.category}`]),
    ...(features.modelId === null ? [] : [`model:${features.modelId}`]),
    ...(features.sourceKind === null ? [] : [`source:${features.sourceKind}`]),
  ];
}

const dot = (weights: readonly number[], terms: readonly number[]) => terms.reduce((sum, term, k) => sum + weights[k] * term, 0);

function score(weights: Stratum["weights"], features: CalibrationFeatures): number {
  const base = weights.intercept + dot(weights.confidence, confidenceBasis(features.rawConfidence)) + dot(weights.opinion, opinionBasis(features.categoryOpinion));
  return indicatorsOf(features).reduce((sum, key) => sum + (weights.indicators[key] ?? 0), base);
}

function probabilityIn(stratum: Stratum, features: CalibrationFeatures): number {
  const z = score(stratum.weights, features);
  return stratum.recalibration ? predictIsotonic(stratum.recalibration, z) : sigmoid(z);
}

type Prior = { weights: Stratum["weights"]; category: string };

/**
 * The penalised regression of one stratum. The pooled fit's intercept is all but free; with a
 * prior (a category's fit), every weight is pulled toward the pooled one.
 */
function fitWeights(samples: readonly CalibrationSample[], keys: readonly string[], options: Required<CalibrationOptions>, prior?: Prior): Stratum["weights"] {
  const terms = CONFIDENCE_KNOTS.length + 1;
  const opinionTerms = 1;
  const first = 1 + terms + opinionTerms;
  const column = new Map(keys.map((key, index) => [key, first + index]));
  const rows = samples.map((sample) => {
    const row = [1, ...confidenceBasis(sample.rawConfidence), ...opinionBasis(sample.categoryOpinion), ...keys.map(() => 0)];
    for (const key of indicatorsOf(sample)) {
      const index = column.get(key);
      if (index !== undefined) row[index] = 1;
    }
    return row;
  });
  // A category's own indicator is constant within it, so its pooled weight folds into the intercept.
  const centre = prior
    ? [
        prior.weights.intercept + (prior.weights.indicators[`category:${prior.category}`] ?? 0),
        ...prior.weights.confidence,
        ...prior.weights.opinion,
        ...keys.map((key) => prior.weights.indicators[key] ?? 0),
      ]
    : new Array<number>(first + keys.length).fill(0);
  const penalty = prior
    ? new Array<number>(first + keys.length).fill(options.shrink)
    : [INTERCEPT_RIDGE, ...new Array<number>(terms + opinionTerms).fill(CONFIDENCE_RIDGE), ...keys.map(() => options.ridge)];
  const nonNegative = Array.from({ length: terms + opinionTerms }, (_, k) => 1 + k);
  const fitted = fitLogistic({ rows, outcomes: samples.map((sample) => sample.correct), penalty, centre, nonNegative });
  return {
    intercept: fitted[0],
    confidence: fitted.slice(1, 1 + terms),
    opinion: fitted.slice(1 + terms, first),
    indicators: Object.fromEntries(keys.map((key, index) => [key, fitted[first + index]])),
  };
}

function fitStratum(samples: readonly CalibrationSample[], keys: readonly string[], options: Required<CalibrationOptions>, prior?: Prior): Stratum {
  const weights = fitWeights(samples, keys, options, prior);
  const correct = samples.filter((sample) => sample.correct).length;
  const recalibration = samples.length >= options.minIsotonicSamples ? recalibrate(samples, keys, options, prior) : null;
  return { labels: samples.length, correct, weights, recalibration };
}

/**
 * Isotonic regression of the outcome on the regression's score, the score of each label taken
 * from a fit without it (cross-fitting), so the recalibration learns how the score does on
 * unseen drafts rather than echoing its own fit. Each pooled block is shrunk toward the
 * regression's mean prediction in it, then pooled again so the shrinking cannot break the order.
 */
function recalibrate(samples: readonly CalibrationSample[], keys: readonly string[], options: Required<CalibrationOptions>, prior?: Prior): IsotonicModel {
  const foldOf = (index: number) => index % RECALIBRATION_FOLDS;
  const folds = Array.from({ length: RECALIBRATION_FOLDS }, (_, fold) => fitWeights(samples.filter((_, index) => foldOf(index) !== fold), keys, options, prior));
  const scored = samples.map((sample, index) => ({ x: score(folds[foldOf(index)], sample), y: sample.correct ? 1 : 0 })).sort((a, b) => a.x - b.x);
  const blocks = poolAdjacentViolators(scored);
  let next = 0;
  const smoothed = blocks.map((block) => {
    // Blocks are contiguous runs of the sorted samples; unit weights make the weight a count.
    const members = scored.slice(next, next + Math.round(block.weight));
    next += members.length;
    const predicted = members.reduce((sum, member) => sum + sigmoid(member.x), 0) / members.length;
    const weight = block.weight + BLOCK_PRIOR_WEIGHT;
    return { x: block.x, y: (block.y * block.weight + predicted * BLOCK_PRIOR_WEIGHT) / weight, weight };
  });
  return fitIsotonic(smoothed);
}

const bothOutcomes = (samples: readonly CalibrationSample[]) => samples.some((s) => s.correct) && samples.some((s) => !s.correct);

/** Fits the calibration of one step from its labelled drafts. Deterministic: same labels, same model. */
export function fitCalibration(samples: readonly CalibrationSample[], options: CalibrationOptions = {}): CalibrationModelData {
  const settings = { ...DEFAULTS, ...options };
  const correct = samples.filter((sample) => sample.correct).length;
  const base = { kind: "logistic-isotonic" as const, version: 1 as const, labels: samples.length, correct, baseRate: (correct + 1) / (samples.length + 2) };
  if (samples.length < settings.minSamples || !bothOutcomes(samples)) return { ...base, fitted: false, pooled: null, categories: [] };

  const keys = [...new Set(samples.flatMap(indicatorsOf))].sort();
  const pooled = fitStratum(samples, keys, settings);
  const ownKeys = keys.filter((key) => !key.startsWith("category:"));
  const names = [...new Set(samples.flatMap((sample) => (sample.category === null ? [] : [sample.category])))].sort();
  const categories = names.flatMap((category) => {
    const own = samples.filter((sample) => sample.category === category);
    return own.length >= settings.minCategorySamples && bothOutcomes(own) ? [{ category, ...fitStratum(own, ownKeys, settings, { weights: pooled.weights, category }) }] : [];
  });
  return { ...base, fitted: true, pooled, categories };
}

/** The calibrated probability that people approve this draft unchanged, and which stratum said so. */
export function calibratedProbability(model: CalibrationModelData, features: CalibrationFeatures): { probability: number; stratum: CalibrationStratum } {
  const own = features.category === null ? undefined : model.categories.find((stratum) => stratum.category === features.category);
  if (own) return { probability: probabilityIn(own, features), stratum: `category:${features.category}` };
  if (model.pooled) return { probability: probabilityIn(model.pooled, features), stratum: "pooled" };
  return { probability: model.baseRate, stratum: "prior" };
}
