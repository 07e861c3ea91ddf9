import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { minimize } from "@/lib/calibration/lbfgs";
import { env } from "@/lib/env";
import { requirementCategories, type RequirementCategory } from "@/lib/requirements/schema";
import shippedBase from "./category-base.json";
import { classify, HEAD_WEIGHT, keywordDistribution, keywordScores } from "./classify";
import { tokenizeSentences } from "./nlp";

/**
 * The category of a requirement, learned in two layers of the same form. A multinomial logistic
 * regression learns from the statement's lemmas, bigrams and keyword signals, on top of the log
 * probabilities of the layer below (an offset with a learned scale):
 * - the base learns on top of the keyword classifier from Countersign's own labelled set
 *   (fixtures/eval: our writing, 43 domains; `npm run train:categories` writes
 *   category-base.json), so a new deployment starts from two thousand labelled requirements
 *   rather than from hand-written keywords alone;
 * - this deployment's classifier learns on top of the base from its reviewers: every approval and
 *   correction is a labelled example. Untrained, it is exactly the base; L2 keeps it close to that
 *   while examples are few, so a new deployment behaves like the base and a trained one like its
 *   reviewers.
 * Discriminative rather than naive Bayes: correlated words ("load", "within", "seconds") are not
 * counted as independent evidence, so its probabilities are not overconfident. Deterministic, and
 * persisted as plain JSON.
 *
 * Hand-written (~60 lines) because the maintained JS implementations are dense and unregularised
 * (ml-logistic-regression: one-vs-all on full matrices, no L2), which over a few thousand sparse
 * features neither fits nor generalises.
 */
export type CategoryExample = { text: string; category: RequirementCategory };

export type CategoryDistribution = Record<RequirementCategory, number>;
export type CategoryPrediction = { category: RequirementCategory; probability: number; distribution: CategoryDistribution };

const CLASSES = requirementCategories.length;
const perClass = z.array(z.number()).length(CLASSES);

/** The learned weights; what gets persisted. Older formats fail to parse and are retrained. */
export const categoryModelDataSchema = z.object({
  version: z.literal(3),
  /** how many labelled examples it learned from */
  examples: z.number().int().nonnegative(),
  /** the layer it learned on top of (categoryBase().id): a model learned on another base is retrained */
  base: z.string(),
  /** null when the examples name fewer than two categories: nothing to tell apart, the layer below decides alone */
  learned: z
    .object({
      /** the weight of the keyword classifier's log probability in every class's score */
      priorScale: z.number(),
      bias: perClass,
      /** per feature, one weight per category in `requirementCategories` order */
      weights: z.record(z.string(), perClass),
    })
    .nullable(),
});
export type CategoryModelData = z.infer<typeof categoryModelDataSchema>;

/** A feature seen in a single example teaches that example, not the deployment; it is left out (and keeps the model small). */
const MIN_FEATURE_EXAMPLES = 2;
/**
 * The Gaussian prior on every weight (an L2 penalty of this strength on the summed cross-entropy),
 * pulling the model towards the keyword classifier: a weight that few examples carry stays close
 * to the keywords, one that many carry is free to move. Fitted to convergence, a weak prior lets
 * weights grow on examples that words alone separate, and a fit on four fifths of the labels
 * (what calibration learns from) is then less sure than the fit on all of them (what drafts):
 * at 1, npm run eval's new drafts were over-confident one way round (ECE 0.053, swapped); at 3,
 * ECE 0.030 and 0.031 both ways and a little better accuracy.
 */
const PRIOR_STRENGTH = 3;
/** Converged when no derivative of the objective exceeds this (it sums over the examples, so this is tight). */
const FIT_TOLERANCE = 1e-3;
const MAX_FIT_ITERATIONS = 400;
/** Persisted precision: smaller than any difference that changes a prediction. */
const DECIMALS = 5;

type FeaturedExample = { features: string[]; label: number; logPrior: number[] };

/** This deployment's classifier, learned on top of the base from its reviewers' decisions. */
export function trainCategoryModel(examples: readonly CategoryExample[]): CategoryModelData {
  return trainFeatured(
    examples.map((example) => featureExample(example.text, example.category)),
    categoryBase().id,
  );
}

/** A base, learned on top of the keyword classifier (what `npm run train:categories` writes). */
export function trainCategoryBase(examples: readonly CategoryExample[]): CategoryModelData {
  return trainFeatured(
    examples.map((example) => {
      const { features, keywordPrior } = featuresOfText(example.text);
      return { features, logPrior: keywordPrior, label: requirementCategories.indexOf(example.category) };
    }),
    KEYWORDS,
  );
}

/** A base as category-base.json keeps it: one feature a line, so a retraining's diff shows what moved. */
export function serializeCategoryBase(base: CategoryModelData): string {
  if (!base.learned) return `${JSON.stringify(base)}\n`;
  const { weights, ...rest } = base.learned;
  const head = JSON.stringify({ ...base, learned: { ...rest, weights: {} } }).replace(/\{\}\}\}$/, "");
  const lines = Object.entries(weights).map(([feature, row]) => `${JSON.stringify(feature)}:${JSON.stringify(row)}`);
  return `${head}{\n${lines.join(",\n")}\n}}}\n`;
}

/** The base of the classifier's layers when there is no other: the keyword classifier itself. */
const KEYWORDS = "keywords";
type Base = { id: string; learned: Learned | null };
let loadedBase: Base | undefined;

/**
 * What this process's classifier starts from, as CATEGORY_BASE names it: the shipped base, the
 * keywords alone, or a base in a JSON file (an evaluation's, which must not have learned the lines
 * it measures). Its id is the hash of its weights, so a deployment's classifier knows what it
 * learned on top of.
 */
export function categoryBase(): Base {
  if (loadedBase) return loadedBase;
  const choice = env().CATEGORY_BASE;
  if (choice === KEYWORDS) return (loadedBase = { id: KEYWORDS, learned: null });
  const data = categoryModelDataSchema.safeParse(choice === "shipped" ? shippedBase : readJson(choice));
  if (!data.success || data.data.base !== KEYWORDS) throw new Error(`CATEGORY_BASE: ${choice} is not a category base written by npm run train:categories`);
  const id = createHash("sha256").update(JSON.stringify(data.data.learned)).digest("hex").slice(0, 16);
  return (loadedBase = { id: `base:${id}`, learned: data.data.learned });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`CATEGORY_BASE: cannot read ${file}: ${error instanceof Error ? error.message : error}`);
  }
}

/** For a process that changes CATEGORY_BASE (a test, an evaluation): forgets the base read before, and what was read with it. */
export function forgetCategoryBase(): void {
  loadedBase = undefined;
  featureCache.clear();
}

type Unlabelled = { features: string[]; logPrior: number[]; keywordPrior: number[] };

/**
 * Reading a statement with the NLP library is most of what training costs (~2 ms a statement), and
 * every refit reads the same labelled statements again: what was read is kept, the least recently
 * used dropped past this many. Read only, never changed, so it is shared.
 */
const FEATURE_CACHE_SIZE = 20_000;
const featureCache = new Map<string, Unlabelled>();

function featuresOfText(text: string): Unlabelled {
  const cached = featureCache.get(text);
  if (cached) {
    featureCache.delete(text);
    featureCache.set(text, cached);
    return cached;
  }
  const features = [...new Set(categoryFeatures(text))];
  const keywordPrior = logOf(keywordDistribution(text));
  const { learned } = categoryBase();
  const featured = { features, keywordPrior, logPrior: learned ? softmax(scoresOf(learned, features, keywordPrior)).map(Math.log) : keywordPrior };
  featureCache.set(text, featured);
  if (featureCache.size > FEATURE_CACHE_SIZE) featureCache.delete(featureCache.keys().next().value!);
  return featured;
}

function featureExample(text: string): Unlabelled;
function featureExample(text: string, category: RequirementCategory): FeaturedExample;
function featureExample(text: string, category?: RequirementCategory): Unlabelled | FeaturedExample {
  const featured = featuresOfText(text);
  return category === undefined ? featured : { ...featured, label: requirementCategories.indexOf(category) };
}

function trainFeatured(examples: readonly FeaturedExample[], base: string): CategoryModelData {
  const distinctCategories = new Set(examples.map((example) => example.label)).size;
  if (distinctCategories < 2) return { version: 3, examples: examples.length, base, learned: null };
  const seenIn = new Map<string, number>();
  for (const { features } of examples) for (const feature of features) seenIn.set(feature, (seenIn.get(feature) ?? 0) + 1);
  const kept = examples.map((example) => ({ ...example, features: example.features.filter((feature) => (seenIn.get(feature) ?? 0) >= MIN_FEATURE_EXAMPLES) }));
  return { version: 3, examples: examples.length, base, learned: round(fitSoftmax(kept)) };
}

/** A statement to score out of fold: `category` is what reviewers settled on (null: not a training example, e.g. rejected), `fold` which model must not have seen it. */
export type FoldedStatement = { text: string; category: RequirementCategory | null; fold: number };

/**
 * Each statement's category distribution from a classifier trained on the examples of the other
 * folds only: how the classifier does on statements it has not learned from, which is what
 * calibration must learn (in-sample, it would look far surer than it is on new drafts). Each
 * statement is read by the NLP library once, whatever the number of folds.
 */
export function outOfFoldDistributions(statements: readonly FoldedStatement[]): CategoryDistribution[] {
  const featured = statements.map((statement) => featureExample(statement.text));
  const folds = [...new Set(statements.map((statement) => statement.fold))];
  const models = new Map(
    folds.map((fold) => [
      fold,
      trainFeatured(
        statements.flatMap((statement, index) => (statement.fold !== fold && statement.category !== null ? [{ ...featured[index], label: requirementCategories.indexOf(statement.category) }] : [])),
        categoryBase().id,
      ),
    ]),
  );
  return statements.map((statement, index) => distributionOf(models.get(statement.fold)!, featured[index]));
}

function distributionOf(model: CategoryModelData | null | undefined, featured: Unlabelled): CategoryDistribution {
  const probabilities = model?.learned ? softmax(scoresOf(model.learned, featured.features, featured.logPrior)) : featured.logPrior.map(Math.exp);
  return Object.fromEntries(probabilities.map((p, k) => [requirementCategories[k], p])) as CategoryDistribution;
}

type Learned = NonNullable<CategoryModelData["learned"]>;

/**
 * The penalised cross-entropy minimised to convergence (lib/calibration/lbfgs.ts). The objective is
 * convex, so the fit is the one minimum whatever the order of the examples, and so is the scale of
 * its probabilities: calibration learns from classifiers fitted on part of the labels how far to
 * trust the one fitted on all of them, which only holds when both are fitted the same way. (The
 * stochastic passes used before stopped after a fixed number of epochs: one set of labels gave 212
 * new statements a probability of 0.95 or more, the same labels in reverse order 117, and a fifth
 * fewer of them 42 to 128.)
 */
function fitSoftmax(examples: readonly FeaturedExample[]): Learned {
  const featureIds = new Map<string, number>();
  const rows = examples.map(({ features }) => Int32Array.from(features, (feature) => featureIds.get(feature) ?? featureIds.set(feature, featureIds.size).get(feature)!));
  // Parameters: the prior's scale, a bias per class, then a weight per feature and class.
  const WEIGHTS = 1 + CLASSES;
  const scores = new Float64Array(CLASSES);
  const exponentials = new Float64Array(CLASSES);
  const objective = (theta: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    examples.forEach((example, index) => {
      const row = rows[index];
      for (let k = 0; k < CLASSES; k++) {
        let score = theta[1 + k] + theta[0] * example.logPrior[k];
        for (const feature of row) score += theta[WEIGHTS + feature * CLASSES + k];
        scores[k] = score;
      }
      const top = Math.max(...scores);
      let total = 0;
      for (let k = 0; k < CLASSES; k++) {
        exponentials[k] = Math.exp(scores[k] - top);
        total += exponentials[k];
      }
      loss += top + Math.log(total) - scores[example.label];
      for (let k = 0; k < CLASSES; k++) {
        const error = exponentials[k] / total - (k === example.label ? 1 : 0);
        gradient[0] += error * example.logPrior[k];
        gradient[1 + k] += error;
        for (const feature of row) gradient[WEIGHTS + feature * CLASSES + k] += error;
      }
    });
    // The Gaussian prior: every weight and bias toward 0, the prior's scale toward 1 (the keywords as they are).
    let penalty = (theta[0] - 1) ** 2;
    gradient[0] += PRIOR_STRENGTH * (theta[0] - 1);
    for (let i = 1; i < theta.length; i++) {
      penalty += theta[i] ** 2;
      gradient[i] += PRIOR_STRENGTH * theta[i];
    }
    return loss + (PRIOR_STRENGTH / 2) * penalty;
  };
  const start = new Float64Array(WEIGHTS + featureIds.size * CLASSES);
  start[0] = 1;
  const { x } = minimize(objective, start, { tolerance: FIT_TOLERANCE, maxIterations: MAX_FIT_ITERATIONS });
  const weights: Learned["weights"] = {};
  for (const [feature, id] of featureIds) weights[feature] = Array.from(x.subarray(WEIGHTS + id * CLASSES, WEIGHTS + (id + 1) * CLASSES));
  return { priorScale: x[0], bias: Array.from(x.subarray(1, WEIGHTS)), weights };
}

function round(learned: Learned): Learned {
  // "|| 0" turns -0 into 0, which is what JSON gives back.
  const at = (value: number) => Number(value.toFixed(DECIMALS)) || 0;
  return {
    priorScale: at(learned.priorScale),
    bias: learned.bias.map(at),
    weights: Object.fromEntries(Object.entries(learned.weights).map(([feature, row]) => [feature, row.map(at)])),
  };
}

function logOf(distribution: CategoryDistribution): number[] {
  return requirementCategories.map((category) => Math.log(distribution[category]));
}

/** Features are prefixed ("w:", "b:", "k:"), so none can be named like an Object property. */
function scoresOf(learned: Learned, features: readonly string[], logPrior: readonly number[]): number[] {
  const scores = learned.bias.map((bias, k) => bias + learned.priorScale * logPrior[k]);
  for (const feature of features) {
    const row = learned.weights[feature];
    if (row) for (let k = 0; k < CLASSES; k++) scores[k] += row[k];
  }
  return scores;
}

function softmax(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const exponentials = scores.map((score) => Math.exp(score - top));
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  return exponentials.map((value) => value / total);
}

export function predictCategory(model: CategoryModelData | null | undefined, text: string): CategoryPrediction {
  return predictionOf(distributionOf(model, featureExample(text)), text);
}

/** The category a distribution names, and how sure it is. */
export function predictionOf(distribution: CategoryDistribution, text: string): CategoryPrediction {
  // Ties go to the keyword classifier's choice, so on the keywords alone the category is exactly its.
  let category = classify(text);
  for (const candidate of requirementCategories) if (distribution[candidate] > distribution[category]) category = candidate;
  return { category, probability: distribution[category], distribution };
}

/** Below this the category is a guess worth a reviewer's look. */
const CLEAR_PROBABILITY = 0.6;

/** Why the category is uncertain, e.g. "category unclear: performance 0.45 vs usability 0.38"; null when it is clear. */
export function categoryDoubt(prediction: CategoryPrediction): string | null {
  if (prediction.probability >= CLEAR_PROBABILITY) return null;
  const [runnerUp] = requirementCategories
    .filter((category) => category !== prediction.category)
    .sort((a, b) => prediction.distribution[b] - prediction.distribution[a]);
  const label = (category: RequirementCategory) => `${category.replace(/_/g, " ")} ${prediction.distribution[category].toFixed(2)}`;
  return `category unclear: ${label(prediction.category)} vs ${label(runnerUp)}`;
}

const SKIPPED_WORDS = new Set(["must", "be", "able", "to", "and", "or", "of", "it", "they", "that", "which"]);

/**
 * What the classifier sees of a statement: lemmas ("loads" and "loading" are one feature),
 * bigrams of them ("load map", "#num second"), and the keyword signals, which carry the
 * hand-written knowledge into the learned model (":strong" when right after "must"). Prefixed, so no
 * feature can be named like an Object property once the weights come back from JSON.
 */
export function categoryFeatures(text: string): string[] {
  const words = tokenizeSentences(text)
    .flat()
    .filter((token) => /\w/.test(token.text) && !token.tags.has("Determiner") && !SKIPPED_WORDS.has(token.lower))
    .map((token) => (token.tags.has("NumericValue") || token.tags.has("TextValue") ? "#num" : token.root));
  const bigrams = words.slice(1).map((word, index) => `b:${words[index]}_${word}`);
  const scores = keywordScores(text);
  const signals = [...scores].map(([category, score]) => `k:${category}${score >= HEAD_WEIGHT ? ":strong" : ""}`);
  return [...words.map((word) => `w:${word}`), ...bigrams, ...(signals.length > 0 ? signals : ["k:none"])];
}
