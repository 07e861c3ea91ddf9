import { systemActor } from "@/lib/actors";
import { recordAudit } from "@/lib/audit/service";
import { db, type Prisma } from "@/lib/db";
import { categoryBase, categoryModelDataSchema, type CategoryModelData } from "@/lib/models/offline/category-model";
import { runDraftingTask } from "@/lib/models/offline/threads";
import { requirementCategories, type CategoryOpinion, type RequirementCategory } from "@/lib/requirements/schema";
import { transact } from "@/lib/transaction";

/**
 * The offline drafter's category classifier, trained on this deployment's own decisions: what
 * reviewers approved unchanged keeps its category, what they edited teaches the category they
 * chose. Rejected drafts teach nothing about categories. Retrained when decisions arrive.
 */
const NAME = "category-classifier";
/** The step whose drafts the classifier categorises and learns from. */
export const CLASSIFIED_STEP = "synthesize-requirements";

export type StoredCategoryModel = { version: number; examples: number; data: CategoryModelData };

export const isCategory = (value: string | null): value is RequirementCategory => value !== null && (requirementCategories as readonly string[]).includes(value);

async function trainingExamples() {
  const labels = await db().draftLabel.findMany({
    where: { stepKey: CLASSIFIED_STEP, outcome: { in: ["approved_unchanged", "edited"] }, statement: { not: null } },
    // A total order: the same labels train the same model.
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { statement: true, category: true, correctedCategory: true },
  });
  return labels.flatMap((label) => {
    const category = label.correctedCategory ?? label.category;
    return label.statement && isCategory(category) ? [{ text: label.statement, category }] : [];
  });
}

/**
 * The latest stored version, and its classifier unless it was stored in an older format or learned
 * on top of another base than this release's (then it is retrained).
 */
async function loadStored(): Promise<{ version: number; model: StoredCategoryModel | null }> {
  const row = await db().learnedModel.findFirst({ where: { name: NAME }, orderBy: { version: "desc" } });
  if (!row) return { version: 0, model: null };
  const data = categoryModelDataSchema.safeParse(row.data);
  const current = data.success && data.data.base === categoryBase().id;
  return { version: row.version, model: current ? { version: row.version, examples: row.labelCount, data: data.data } : null };
}

/** The classifier to draft with, retrained first when new decisions arrived; null before any. */
export async function freshCategoryModel(): Promise<StoredCategoryModel | null> {
  const examples = await trainingExamples();
  const { version: latest, model: stored } = await loadStored();
  if (examples.length === 0 || stored?.examples === examples.length) return stored;
  // Training reads every example with the NLP library: off the server's event loop once there are many.
  const data = await runDraftingTask("trainCategoryModel", { examples }, examples.reduce((total, example) => total + example.text.length, 0));
  return transact(async (tx) => {
    const version = latest + 1;
    await tx.learnedModel.create({
      data: {
        name: NAME,
        version,
        data: data as unknown as Prisma.InputJsonValue,
        summary: { examples: examples.length, perCategory: countBy(examples.map((e) => e.category)) },
        labelCount: examples.length,
        reason:
          !stored && latest > 0 ? `learned again from ${examples.length} reviewed drafts: version ${latest} was learned on another base or format` : `${examples.length - (stored?.examples ?? 0)} new reviewed drafts`,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: systemActor("learning"),
      action: "classifier.trained",
      subjectType: "model",
      subjectId: NAME,
      after: { version, examples: examples.length },
    });
    return { version, examples: examples.length, data };
  });
}

/**
 * The classifier's second opinion on each drafted requirement's category (by draft id), whichever
 * model drafted it: calibration learns how far to trust a draft from how sure the classifier
 * trained on this deployment's decisions is of the category it carries.
 */
export async function categoryOpinions(drafts: readonly { id: string; statement: string; category: string }[]): Promise<Record<string, CategoryOpinion>> {
  if (drafts.length === 0) return {};
  const model = await freshCategoryModel();
  const input = drafts.map(({ id, statement, category }) => ({ id, statement, category }));
  return runDraftingTask("categoryOpinions", { model: model?.data ?? null, drafts: input }, drafts.reduce((total, draft) => total + draft.statement.length, 0));
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
