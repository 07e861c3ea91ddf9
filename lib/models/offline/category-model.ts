import createClassifier from "wink-naive-bayes-text-classifier";
import { z } from "zod";
import { requirementCategories, type RequirementCategory } from "@/lib/requirements/schema";
import { classify, HEAD_WEIGHT, keywordDistribution, keywordScores } from "./classify";
import { tokenizeSentences } from "./nlp";

/**
 * The category of a requirement, learned from this deployment's reviewers: every approval and
 * correction is a labelled example. A naive Bayes text classifier (wink) learns from the
 * statement's lemmas, bigrams and keyword signals; its posterior is blended with the keyword
 * prior, trusting the learned part more as its examples grow, so a new deployment behaves like
 * the keywords and a trained one like its reviewers. Deterministic, and persisted as plain JSON.
 */
export type CategoryExample = { text: string; category: RequirementCategory };

export type CategoryDistribution = Record<RequirementCategory, number>;
export type CategoryPrediction = { category: RequirementCategory; probability: number; distribution: CategoryDistribution };

const count = z.number().int().nonnegative();

/** The learned counts as wink exports them, named; what gets persisted. */
export const categoryModelDataSchema = z.object({
  version: z.literal(1),
  /** how many labelled examples it learned from */
  examples: count,
  /** share of the learned posterior in the blend with the keyword prior, chosen by cross-validation on the examples */
  learnedWeight: z.number().min(0).max(1),
  classifier: z.object({
    config: z.object({ considerOnlyPresence: z.boolean(), smoothingFactor: z.number().min(0).max(1) }),
    samples: z.record(z.string(), count),
    count: z.record(z.string(), z.record(z.string(), count)),
    words: z.record(z.string(), count),
    vocabulary: z.array(z.string()),
  }),
});
export type CategoryModelData = z.infer<typeof categoryModelDataSchema>;

/** Presence, not frequency: statements are short, and a repeated word says little more. */
const CONFIG = { considerOnlyPresence: true, smoothingFactor: 1 };
/**
 * Too few examples to cross-validate: the learned part takes over slowly, weighing as much as the
 * keywords at this many examples (a fifth at 40).
 */
const EXAMPLES_FOR_EQUAL_WEIGHT = 150;
/** Naive Bayes is overconfident (it counts correlated words as independent evidence); its log odds are damped. */
const ODDS_TEMPERATURE = 0.5;
/** What wink needs before it will classify at all. */
const MIN_LABELS = 2;
const MIN_VOCABULARY = 10;

export function trainCategoryModel(examples: readonly CategoryExample[]): CategoryModelData {
  const featured = examples.map((example) => ({ ...example, features: categoryFeatures(example.text) }));
  return { ...fitNaiveBayes(featured), learnedWeight: crossValidatedWeight(featured) };
}

type FeaturedExample = CategoryExample & { features: string[] };

function fitNaiveBayes(examples: readonly FeaturedExample[]): Omit<CategoryModelData, "learnedWeight"> {
  const classifier = createClassifier();
  classifier.defineConfig(CONFIG);
  for (const example of examples) classifier.learn(example.features, example.category);
  const [config, samples, counts, words, vocabulary] = JSON.parse(classifier.exportJSON()) as unknown[];
  return categoryModelDataSchema.omit({ learnedWeight: true }).parse({ version: 1, examples: examples.length, classifier: { config, samples, count: counts, words, vocabulary } });
}

/** Below this many examples a fold says more about chance than about the reviewers: the prior curve decides. */
const MIN_EXAMPLES_FOR_CROSS_VALIDATION = 40;
const FOLDS = 5;
const CANDIDATE_WEIGHTS = [0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/** A category given no probability at all would sink a weight for one example; this caps the penalty. */
const PROBABILITY_FLOOR = 1e-4;

/**
 * How much to trust what was learned over the keywords, measured on this deployment's own
 * examples: each fold is predicted by a model that did not see it, and the weight that gives the
 * right categories the most probability (mean log-likelihood, a proper score: it rewards being
 * right and sure, not just right) wins, ties to the smaller weight, i.e. to the keywords.
 */
function crossValidatedWeight(examples: readonly FeaturedExample[]): number {
  if (examples.length < MIN_EXAMPLES_FOR_CROSS_VALIDATION) return examples.length / (examples.length + EXAMPLES_FOR_EQUAL_WEIGHT);
  const logLikelihood = new Array<number>(CANDIDATE_WEIGHTS.length).fill(0);
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = { ...fitNaiveBayes(examples.filter((_, index) => index % FOLDS !== fold)), learnedWeight: 0 };
    examples.forEach((example, index) => {
      if (index % FOLDS !== fold) return;
      const learned = learnedDistributionOf(model, example.features);
      CANDIDATE_WEIGHTS.forEach((weight, candidate) => {
        logLikelihood[candidate] += Math.log(Math.max(PROBABILITY_FLOOR, blend(example.text, learned, weight).distribution[example.category]));
      });
    });
  }
  const best = logLikelihood.indexOf(Math.max(...logLikelihood));
  return CANDIDATE_WEIGHTS[best];
}

export function predictCategory(model: CategoryModelData | null | undefined, text: string): CategoryPrediction {
  const learned = model ? learnedDistribution(model, text) : null;
  return blend(text, learned, model && learned ? model.learnedWeight : 0);
}

function blend(text: string, learned: CategoryDistribution | null, weight: number): CategoryPrediction {
  const prior = keywordDistribution(text);
  const distribution = Object.fromEntries(
    requirementCategories.map((category) => [category, (1 - weight) * prior[category] + weight * (learned?.[category] ?? 0)]),
  ) as CategoryDistribution;
  // Ties go to the keyword classifier's choice, so without a model the category is exactly its.
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
 * hand-written knowledge into the learned model (":strong" when right after "must"). Prefixed, so no feature can be named like an
 * Object property once the counts come back from JSON.
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

type Classifier = ReturnType<typeof createClassifier>;
/** One classifier per model object: importing the counts is the expensive part of a prediction. */
const classifiers = new WeakMap<CategoryModelData, Classifier | null>();

function classifierFor(model: CategoryModelData): Classifier | null {
  if (classifiers.has(model)) return classifiers.get(model) ?? null;
  const { config, samples, count: counts, words, vocabulary } = model.classifier;
  let classifier: Classifier | null = null;
  if (Object.keys(samples).length >= MIN_LABELS && vocabulary.length >= MIN_VOCABULARY) {
    classifier = createClassifier();
    classifier.importJSON(JSON.stringify([config, samples, counts, words, vocabulary]));
    classifier.consolidate();
  }
  classifiers.set(model, classifier);
  return classifier;
}

/**
 * The learned posterior: wink gives each label's log2 odds against the rest, turned into a
 * distribution by a damped softmax. Null when the model cannot classify or knows none of the
 * statement's features, so the keywords decide alone.
 */
function learnedDistribution(model: CategoryModelData, text: string): CategoryDistribution | null {
  return learnedDistributionOf(model, categoryFeatures(text));
}

function learnedDistributionOf(model: CategoryModelData, features: string[]): CategoryDistribution | null {
  const classifier = classifierFor(model);
  if (!classifier) return null;
  const odds = classifier.computeOdds(features);
  const known = odds.filter(([label]) => (requirementCategories as readonly string[]).includes(label));
  if (known.length === 0) return null;
  const top = Math.max(...known.map(([, logOdds]) => logOdds));
  const weights = new Map(known.map(([label, logOdds]) => [label, 2 ** (ODDS_TEMPERATURE * (logOdds - top))]));
  const total = [...weights.values()].reduce((sum, value) => sum + value, 0);
  return Object.fromEntries(requirementCategories.map((category) => [category, (weights.get(category) ?? 0) / total])) as CategoryDistribution;
}
