import { db } from "@/lib/db";
import type { PromptExample } from "@/lib/requirements/prompts";

/**
 * Few-shot examples for hosted models: requirements this deployment's reviewers approved (with
 * the category they settled on), the ones sharing most words with the sources at hand first.
 */
const MAX_EXAMPLES = 8;
const CANDIDATES = 500;

const wordsOf = (text: string) => new Set(text.toLowerCase().match(/[a-z][a-z-]{3,}/g) ?? []);

export async function fewShotExamples(sourceTexts: readonly string[]): Promise<PromptExample[]> {
  const labels = await db().draftLabel.findMany({
    where: { stepKey: "synthesize-requirements", outcome: { in: ["approved_unchanged", "edited"] }, statement: { not: null } },
    orderBy: { createdAt: "desc" },
    take: CANDIDATES,
    select: { statement: true, category: true, correctedCategory: true },
  });
  if (labels.length === 0) return [];
  const sourceWords = wordsOf(sourceTexts.join(" "));
  const scored = labels.flatMap((label) => {
    const category = label.correctedCategory ?? label.category;
    if (!label.statement || !category) return [];
    const shared = [...wordsOf(label.statement)].filter((word) => sourceWords.has(word)).length;
    return [{ example: { statement: label.statement, category }, shared }];
  });
  return scored
    .sort((a, b) => b.shared - a.shared)
    .slice(0, MAX_EXAMPLES)
    .map((entry) => entry.example);
}
