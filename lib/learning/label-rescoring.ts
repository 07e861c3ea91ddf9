import { db } from "@/lib/db";
import { OFFLINE_MODEL_ID } from "@/lib/models/model-id";
import { predictionOf, type CategoryDistribution } from "@/lib/models/offline/category-model";
import { withCategoryProbability } from "@/lib/models/offline/confidence";
import { runDraftingTask } from "@/lib/models/offline/threads";
import { seededRandom } from "@/lib/routing/rules";
import { CLASSIFIED_STEP, isCategory } from "./category-model";
import type { DraftFeatures } from "./features";

/**
 * Labels as the category classifier of today would have drafted them.
 *
 * A label keeps the evidence its draft was routed with, but the classifier learns from every
 * decision: the drafts routed next are categorised by a classifier that knows far more than the
 * one that wrote the labelled drafts. Calibrating on the old evidence would judge today's drafts
 * by yesterday's classifier (in practice: no threshold ever opens, because the first labels were
 * drafted by the keywords alone). So, before calibration is fitted, each labelled draft of the
 * requirements step gets the opinion of a classifier trained without it (out of fold, like the
 * calibration's own scores), and a draft the offline drafter wrote is judged as the drafter would
 * write it now: its category is the classifier's choice, its confidence carries that choice's
 * probability instead of the one it was drafted with, and it is right when people kept the
 * statement and settled on that category. Anything else people changed keeps it wrong; a
 * rejected draft stays wrong. Drafts of other models keep their category and outcome and only
 * gain the opinion.
 */
/**
 * Ten: the classifier that drafts learns from every label, and one that scores a label out of fold
 * from nine tenths of them is nearly as sure, so calibration learns from opinions on the scale of
 * the ones it will judge. With five (four fifths), new drafts came out over-confident on one half
 * of npm run eval (ECE 0.054 swapped); with ten, 0.037-0.041 both ways. A refit of 3,000
 * labels takes 2.4 s instead of 1.1 s, off the event loop.
 */
export const FOLDS = 10;

/**
 * The fold of a label, fixed by what it says (its id when it says nothing): the same label always
 * falls in the same fold, and so do two drafts of the same statement, so none is scored by a model
 * that learned its twin.
 */
export const foldOf = (label: { id: string; statement?: string | null }) => Math.floor(seededRandom(`fold:${label.statement ?? label.id}`)() * FOLDS);

export type CalibrationLabel = {
  id: string;
  artifactId: string;
  features: DraftFeatures;
  correct: boolean;
  outcome: string;
  category: string | null;
  correctedCategory: string | null;
  statement: string | null;
};

/** Fields a reviewer may change while the requirement itself stays as drafted: the category, and the drafter's note of doubt. */
const CATEGORY_ONLY_FIELDS = new Set(["category", "unsure"]);

export async function withCurrentCategoryOpinions(stepKey: string, labels: readonly CalibrationLabel[]): Promise<CalibrationLabel[]> {
  if (stepKey !== CLASSIFIED_STEP || labels.length === 0) return [...labels];
  const settled = (label: CalibrationLabel) => (label.outcome === "rejected" ? null : label.correctedCategory ?? label.category);
  const scorable = labels.filter((label) => label.statement !== null);
  const statements = scorable.map((label) => {
    const category = settled(label);
    return { text: label.statement!, category: isCategory(category) ? category : null, fold: foldOf(label) };
  });
  const size = statements.reduce((total, statement) => total + statement.text.length, 0);
  const distributions = await runDraftingTask("outOfFoldCategories", { statements }, size);
  const opinionOf = new Map(scorable.map((label, index) => [label.id, distributions[index]]));
  const categoryOnly = await categoryOnlyEdits(labels.filter((label) => label.outcome === "edited").map((label) => label.artifactId));

  return labels.map((label) => {
    const distribution = opinionOf.get(label.id);
    if (!distribution) return label;
    if (label.features.modelId !== OFFLINE_MODEL_ID) {
      return { ...label, features: { ...label.features, categoryOpinion: probabilityOf(distribution, label.features.category) } };
    }
    const redrafted = predictionOf(distribution, label.statement!);
    const keptAsDrafted = label.outcome === "approved_unchanged" || (label.outcome === "edited" && categoryOnly.has(label.artifactId));
    // The offline drafter's confidence carries its category's probability: redrafted, it carries today's.
    const drafted = label.features.categoryOpinion;
    const rawConfidence = label.features.rawConfidence !== null && drafted ? withCategoryProbability(label.features.rawConfidence, drafted, redrafted.probability) : label.features.rawConfidence;
    return {
      ...label,
      correct: keptAsDrafted && settled(label) === redrafted.category,
      features: { ...label.features, rawConfidence, category: redrafted.category, categoryOpinion: redrafted.probability },
    };
  });
}

const probabilityOf = (distribution: CategoryDistribution, category: string | null) => (isCategory(category) ? distribution[category] : null);

/** Artifacts whose first version people edited in the category (or the note of doubt) only. */
async function categoryOnlyEdits(artifactIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const CHUNK = 500;
  for (let start = 0; start < artifactIds.length; start += CHUNK) {
    const decisions = await db().reviewDecision.findMany({
      where: { artifactId: { in: artifactIds.slice(start, start + CHUNK) }, version: 1, label: "edited" },
      select: { artifactId: true, changedFields: true },
    });
    for (const decision of decisions) {
      const fields = Array.isArray(decision.changedFields) ? decision.changedFields : [];
      if (decision.artifactId && fields.length > 0 && fields.every((field) => typeof field === "string" && CATEGORY_ONLY_FIELDS.has(field))) found.add(decision.artifactId);
    }
  }
  return found;
}
