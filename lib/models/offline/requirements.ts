import type { DraftedRequirement, RequirementsDraft, SynthesizeInput } from "@/lib/requirements/schema";
import { predictCategory, type CategoryModelData } from "./category-model";
import { assess } from "./confidence";
import { findConflicts, uniqueQuotes } from "./conflicts";
import { extractCandidates } from "./extract";
import { groupCandidates, type Group } from "./group";
import { organisationOf } from "./project";
import { findOpenQuestions } from "./questions";
import { quoteRestorer, segmentSource } from "./segment";
import type { Voice } from "./subjects";

export type DraftRequirementsOptions = {
  /** learned from this deployment's reviewers; without it the keyword classifier decides */
  categoryModel?: CategoryModelData | null;
};

/** The requirements_draft task: sources in, requirements with quotes, conflicts and open questions out. */
export function draftRequirements(input: SynthesizeInput, options: DraftRequirementsOptions = {}): RequirementsDraft {
  const voice = voiceOf(input.project);
  const blocks = input.sources.flatMap((source) => segmentSource(source));
  const groups = groupCandidates(extractCandidates(blocks, voice));
  const ids = new Map(groups.map((group, index) => [group, `R${index + 1}`]));
  const idOf = (group: Group) => ids.get(group)!;

  const { questions, discussionPoints } = findOpenQuestions(blocks);
  const conflicts = findConflicts(groups, idOf, discussionPoints, blocks);
  const contradictionsOf = (group: Group) =>
    conflicts.flatMap(({ sides }) => {
      if (!sides.some((side) => side.includes(group))) return [];
      const others = sides.filter((side) => !side.includes(group)).flat();
      return others.map((other) => `contradicted by ${idOf(other)} ("${other.lead.source.title}")`);
    });

  const requirements = groups.map((group): DraftedRequirement => {
    const category = predictCategory(options.categoryModel, group.statement);
    return {
      id: idOf(group),
      statement: group.statement,
      category: category.category,
      // An answer read with its question quotes the question too, after the answer.
      sources: uniqueQuotes(group.evidence.flatMap((evidence) => (evidence.context ? [evidence.quote, evidence.context] : [evidence.quote]))),
      ...assess(group, category, contradictionsOf(group)),
    };
  });
  const discussedInConflicts = new Set(conflicts.flatMap(({ conflict }) => conflict.sources.map((quote) => quote.quote)));
  const undiscussed = discussionPoints
    .filter((point) => !discussedInConflicts.has(point.quote.quote))
    .map((point) => ({ question: `What was decided about this: "${point.text}"?`, sources: [point.quote] }));

  const verbatim = quoteRestorer(input.sources, blocks);
  return {
    requirements: requirements.map((requirement) => ({ ...requirement, sources: requirement.sources.map(verbatim) })),
    conflicts: conflicts.map(({ conflict }) => ({ ...conflict, sources: conflict.sources.map(verbatim) })),
    openQuestions: [...questions, ...undiscussed].map((question) => ({ ...question, sources: question.sources.map(verbatim) })),
  };
}

/** "we" in the notes is the organisation the project is for. */
function voiceOf(project: SynthesizeInput["project"]): Voice {
  const organisation = organisationOf(project);
  return { organisation, staff: `${organisation} staff` };
}
