import { checkRequirementDraft, type RequirementDraftForCheck } from "@/lib/requirements/quality";
import type { CategoryOpinion, QualityFlag } from "@/lib/requirements/schema";
import { outOfFoldDistributions, predictCategory, trainCategoryModel, type CategoryExample, type CategoryModelData, type FoldedStatement } from "./category-model";
import { writeDraft, type OfflineOptions } from "./tasks";

/** What a drafting thread can be asked to do (see threads.ts); inputs and outputs cross threads by structured clone. */
export const threadTasks = {
  /** The offline model's answer to one call: the draft as JSON text. */
  draft: ({ taskName, options }: { taskName: string; options: OfflineOptions }): string => writeDraft(taskName, options),
  /** The quality checks of a run's drafted requirements, by requirement id. */
  checkRequirements: ({ drafts, sourceTexts }: { drafts: (RequirementDraftForCheck & { id: string })[]; sourceTexts: ReadonlyMap<string, string> }): Record<string, QualityFlag[]> =>
    Object.fromEntries(drafts.map(({ id, ...draft }) => [id, checkRequirementDraft(draft, sourceTexts)])),
  /** The category classifier, trained on reviewers' labels: seconds of NLP at a few thousand labels. */
  trainCategoryModel: ({ examples }: { examples: CategoryExample[] }): CategoryModelData => trainCategoryModel(examples),
  /** The classifier's opinion of each drafted requirement's category, by requirement id. */
  categoryOpinions: ({ model, drafts }: { model: CategoryModelData | null; drafts: { id: string; statement: string; category: string }[] }): Record<string, CategoryOpinion> =>
    Object.fromEntries(
      drafts.map(({ id, statement, category }) => {
        const { distribution } = predictCategory(model, statement);
        return [id, { probability: distribution[category as keyof typeof distribution] ?? 0 }];
      }),
    ),
  /** Labelled statements scored by classifiers that did not learn from them (see outOfFoldDistributions). */
  outOfFoldCategories: ({ statements }: { statements: FoldedStatement[] }) => outOfFoldDistributions(statements),
};

export type ThreadTaskName = keyof typeof threadTasks;
export type ThreadTaskInput<Name extends ThreadTaskName> = Parameters<(typeof threadTasks)[Name]>[0];
export type ThreadTaskOutput<Name extends ThreadTaskName> = ReturnType<(typeof threadTasks)[Name]>;
