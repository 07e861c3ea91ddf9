import { escapeRegExp } from "@/lib/requirements/checks/text";
import type { DraftedRequirement, RequirementsDraft, SynthesizeInput } from "@/lib/requirements/schema";
import { predictCategory, type CategoryModelData } from "./category-model";
import { assess } from "./confidence";
import { findConflicts, uniqueQuotes, type FoundConflict } from "./conflicts";
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

  const requirements: DraftedRequirement[] = groups.map((group): DraftedRequirement => {
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
  // A figure challenged by a passage that is no requirement: that passage is drafted as the other side.
  for (const found of conflicts) {
    const countered = found.counter && found.sides.length === 1 ? counterRequirement(found, requirements, `R${requirements.length + 1}`) : null;
    if (!countered) continue;
    requirements.push(countered);
    found.conflict.requirementIds.push(countered.id);
  }
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

/** The attribution a reported rule ends with (lib/models/offline/extract.ts readReportedRule). */
const REPORTED_BY = /, as [^,]+ (?:says|say|said|requires|require|required|agreed|decided)\.$/;
/** A requirement drafted from a passage that challenges a figure, below the requirement's own confidence. */
const COUNTER_CONFIDENCE_SHARE = 0.5;

/**
 * "They've got fourteen days to say yes" ... "Sorry, I thought we said seven days?": the passage
 * that gives another figure is the other side of the conflict, drafted as the same requirement with
 * its figure, so that people choose between two drafts (or keep both with a reason) and whichever
 * they keep is a requirement. Null when the statement does not carry the challenged figure as written.
 */
function counterRequirement(found: FoundConflict, requirements: readonly DraftedRequirement[], id: string): DraftedRequirement | null {
  const { from, to, quote } = found.counter!;
  const challenged = requirements.find((requirement) => requirement.id === found.conflict.requirementIds[0]);
  const at = challenged ? challenged.statement.toLowerCase().indexOf(from.text.toLowerCase()) : -1;
  if (!challenged || at < 0) return null;
  // "I thought we agreed four": a figure said alone keeps the unit it challenges.
  const unitAsWritten = from.text.includes(" ") ? from.text.slice(from.text.indexOf(" ") + 1) : "";
  // "Three, I thought.": a figure that opened its sentence is written in lower case inside the statement.
  const figure = at > 0 ? to.text.replace(/^[A-Z](?=[a-z])/, (letter) => letter.toLowerCase()) : to.text;
  const replacement = to.unit === "" && unitAsWritten !== "" ? `${figure} ${unitAsWritten}` : figure;
  // "..., as the law says": who set the figure challenged did not set the other one.
  const replaced = (challenged.statement.slice(0, at) + replacement + challenged.statement.slice(at + from.text.length)).replace(REPORTED_BY, ".");
  // "twenty-four hours, not forty-eight" challenged by "forty-eight": the figure set aside is now the challenged one.
  const challengedFigure = unitAsWritten === "" ? from.text : from.text.slice(0, -unitAsWritten.length).trim();
  const statement = replaced.replace(new RegExp(`\\bnot ${escapeRegExp(to.text)}\\b`, "i"), `not ${challengedFigure}`);
  return {
    id,
    statement,
    category: challenged.category,
    sources: [quote],
    confidence: Math.round(challenged.confidence * COUNTER_CONFIDENCE_SHARE * 100) / 100,
    unsure: `Contradicts ${challenged.id}: a later passage gives "${to.text}" where ${challenged.id} says "${from.text}", and the conversation leaves it open`,
  };
}

/** "we" in the notes is the organisation the project is for. */
function voiceOf(project: SynthesizeInput["project"]): Voice {
  const organisation = organisationOf(project);
  return { organisation, staff: `${organisation} staff` };
}
