import type { UpstreamRequirement, UpstreamStory, StageOpenQuestion } from "@/lib/kinds/draft-parts";
import { milestonesInputSchema, type DraftedMilestone, type MilestonesDraft, type MilestonesInput } from "@/lib/kinds/milestone/schema";
import { findPhrases } from "../cues";
import { VAGUE_WORDS } from "../lexicon";
import { upperFirst } from "../phrase";
import { confidenceOf, entityKeys, figuresOf, plural, readGoal, requirementsOf, uniqueIds, type StoryAction } from "./reading";

export { milestonesInputSchema };

/**
 * draft-milestones: a release plan. Stories about the same thing ship together; a milestone
 * whose stories act on something another milestone's stories create comes after it; among
 * milestones free to go next, the one carrying the most risk goes first, so the plan learns
 * early what could sink it. Quality stories join the milestone whose things they constrain.
 */
const MAX_MILESTONES = 5;
/** A milestone a team can finish in a few weeks holds about this many stories. */
const STORIES_PER_MILESTONE = 5;
/** Verbs whose story brings a thing into being that other stories then act on. */
const CREATING_VERBS = new Set(["create", "add", "book", "register", "request", "report", "submit", "upload", "place", "enter", "record", "open", "flag", "scan", "sign", "order", "log", "post", "publish", "import", "raise", "file"]);
const CONSTRAINT_CATEGORIES = new Set(["security", "legal"]);
const TARGET_CATEGORIES = new Set(["performance", "scalability", "availability"]);

type StoryFacts = { story: UpstreamStory; action: StoryAction; requirements: UpstreamRequirement[]; functional: boolean; keys: Set<string>; vague: string[]; risks: string[] };
type Group = { stories: StoryFacts[]; entities: string[]; first: number };

export function draftMilestones(input: MilestonesInput): MilestonesDraft {
  const projectWords = entityKeys(`${input.project.name}`);
  const facts = input.stories.map((story) => factsOf(story, input.requirements, projectWords));
  const groups = groupByEntity(facts);
  const { order, cyclic } = orderByDependencies(groups);
  const merged = mergeToLimit(order, Math.min(MAX_MILESTONES, Math.max(2, Math.ceil(facts.length / STORIES_PER_MILESTONE))));
  const positionOf = new Map(merged.flatMap((milestone, index) => milestone.map((group) => [group, index + 1] as const)));
  const meanPoints = facts.reduce((sum, fact) => sum + pointsOf(fact), 0) / Math.max(1, merged.length);
  const milestones = merged.map((members, index): DraftedMilestone => {
    const stories = members.flatMap((group) => group.stories);
    const needed = [...new Set(members.flatMap((group) => dependenciesOf(group, groups)).map((group) => positionOf.get(group)!))].sort((a, b) => a - b);
    // A cycle was broken to make the order: the need on a later milestone is a choice recorded as doubt, not a dependency.
    const dependsOn = needed.filter((position) => position < index + 1);
    const points = stories.reduce((sum, fact) => sum + pointsOf(fact), 0);
    const reasons = [
      ...(needed.some((position) => position > index + 1) || members.some((group) => cyclic.has(group))
        ? [`its stories and milestone ${needed.filter((position) => position !== index + 1).join(", ")}'s need each other's things: the order between them is a choice`]
        : []),
      ...stories.filter((fact) => fact.vague.length > 0).map((fact) => `${fact.story.ref} has no measurable target yet`),
    ];
    return {
      id: `MS${index + 1}`,
      position: index + 1,
      title: titleOf(members),
      goal: goalOf(stories),
      storyIds: stories.map((fact) => fact.story.id),
      dependsOn,
      size: points <= meanPoints * 0.75 ? "small" : points >= meanPoints * 1.4 ? "large" : "medium",
      risks: stories.flatMap((fact) => fact.risks),
      derivedFrom: uniqueIds(stories.flatMap((fact) => [fact.story.id, ...fact.requirements.map((requirement) => requirement.id)])),
      ...confidenceOf(reasons.slice(0, 3)),
    };
  });
  return { milestones, openQuestions: openQuestionsOf(facts) };
}

function factsOf(story: UpstreamStory, requirements: readonly UpstreamRequirement[], projectWords: ReadonlySet<string>): StoryFacts {
  const own = requirementsOf(story, requirements);
  const vague = own.flatMap((requirement) => (figuresOf(requirement.statement).length > 0 ? [] : findPhrases(requirement.statement, VAGUE_WORDS)));
  // The goal and the requirements say what a story is about; its criteria repeat the setting (the product's name).
  const keys = new Set(entityKeys([story.goal, ...own.map((requirement) => requirement.statement)].join(". ")));
  for (const word of projectWords) keys.delete(word);
  const risks = own.flatMap((requirement) => {
    const figure = figuresOf(requirement.statement)[0];
    if (CONSTRAINT_CATEGORIES.has(requirement.category)) return [`${requirement.ref} is a ${requirement.category} constraint: costly to retrofit once data is flowing`];
    if (TARGET_CATEGORIES.has(requirement.category) && figure) return [`${requirement.ref} fixes a target (${figure.text}) only a working build can show is met`];
    if (requirement.category === "fault_tolerance") return [`${requirement.ref} is about behaviour under failure, which is hard to add late`];
    return [];
  });
  return {
    story,
    action: readGoal(story.goal),
    requirements: own,
    functional: own.length === 0 || own.some((requirement) => requirement.category === "functional"),
    keys,
    vague,
    risks: vague.length > 0 ? [...risks, `${story.ref} has no figure behind '${vague.join("', '")}': its scope may grow once someone sets one`] : risks,
  };
}

/** Functional stories group by the thing they act on; quality stories join the group they constrain most. */
function groupByEntity(facts: StoryFacts[]): Group[] {
  const byEntity = new Map<string, Group>();
  const crossCutting: Group = { stories: [], entities: [], first: Number.MAX_SAFE_INTEGER };
  facts.forEach((fact, index) => {
    if (!fact.functional) return;
    const entity = fact.action.entity ?? "general";
    const group = byEntity.get(entity) ?? { stories: [], entities: [entity], first: index };
    group.stories.push(fact);
    byEntity.set(entity, group);
  });
  facts.forEach((fact, index) => {
    if (fact.functional) return;
    const overlap = (group: Group) => group.stories.reduce((sum, member) => sum + [...fact.keys].filter((key) => member.keys.has(key)).length, 0);
    const best = [...byEntity.values()].reduce<Group | null>((found, group) => (overlap(group) > (found ? overlap(found) : 0) ? group : found), null);
    const target = best ?? crossCutting;
    target.stories.push(fact);
    target.first = Math.min(target.first, index);
  });
  return [...byEntity.values(), ...(crossCutting.stories.length > 0 ? [crossCutting] : [])];
}

/** The groups whose stories create something this group's stories act on. */
function dependenciesOf(group: Group, groups: readonly Group[]): Group[] {
  // quality targets are measured on the features they constrain
  if (group.entities.length === 0) return groups.filter((other) => other !== group);
  const uses = new Set(group.stories.flatMap((fact) => [...fact.keys]));
  return groups.filter(
    (other) =>
      other !== group &&
      other.stories.some((fact) => fact.action.entity && CREATING_VERBS.has(fact.action.verb) && uses.has(fact.action.entity) && !group.entities.includes(fact.action.entity)),
  );
}

/** Most risk first: the plan learns early what could sink it. */
const riskOf = (group: Group) => group.stories.reduce((sum, fact) => sum + fact.risks.length, 0);

/** Kahn's order; among the groups free to go next, the riskiest first. A cycle is broken at the group with fewest unmet needs. */
function orderByDependencies(groups: Group[]): { order: Group[]; cyclic: Set<Group> } {
  const needs = new Map(groups.map((group) => [group, new Set(dependenciesOf(group, groups))]));
  const order: Group[] = [];
  const cyclic = new Set<Group>();
  const byPriority = (a: Group, b: Group) => riskOf(b) - riskOf(a) || a.first - b.first;
  while (order.length < groups.length) {
    const left = groups.filter((group) => !order.includes(group));
    const unmet = (group: Group) => [...needs.get(group)!].filter((need) => !order.includes(need)).length;
    const ready = left.filter((group) => unmet(group) === 0).sort(byPriority);
    const next = ready[0] ?? [...left].sort((a, b) => unmet(a) - unmet(b) || byPriority(a, b))[0];
    if (ready.length === 0) cyclic.add(next);
    order.push(next);
  }
  return { order, cyclic };
}

/** Neighbours in the order merge, smallest pair first, until the plan has at most `limit`: the order stays valid. */
function mergeToLimit(order: Group[], limit: number): Group[][] {
  const milestones = order.map((group) => [group]);
  const size = (milestone: Group[]) => milestone.reduce((sum, group) => sum + group.stories.length, 0);
  while (milestones.length > limit) {
    let best = 0;
    for (let index = 1; index < milestones.length - 1; index++) {
      if (size(milestones[index]) + size(milestones[index + 1]) < size(milestones[best]) + size(milestones[best + 1])) best = index;
    }
    milestones.splice(best, 2, [...milestones[best], ...milestones[best + 1]]);
  }
  return milestones;
}

const pointsOf = (fact: StoryFacts) => 1 + fact.story.acceptanceCriteria.length + (fact.risks.length > 0 ? 1 : 0);

function titleOf(members: Group[]): string {
  const entities = members.flatMap((group) => group.entities).filter((entity) => entity !== "general");
  if (entities.length === 0) return "Quality targets across the product";
  return upperFirst(listOf(entities.map(plural)));
}

/** What is true for users once it ships: each role with what it can now do, the rest as what the product now guarantees. */
function goalOf(stories: StoryFacts[]): string {
  const byRole = new Map<string, string[]>();
  const guarantees: string[] = [];
  for (const fact of stories) {
    if (fact.action.subject === null) byRole.set(fact.story.role, [...(byRole.get(fact.story.role) ?? []), fact.action.phrase]);
    else guarantees.push(fact.story.acceptanceCriteria[0].then);
  }
  const sentences = [
    ...[...byRole].map(([role, phrases]) => `${role.includes(" ") ? `The ${role}` : upperFirst(plural(role))} can ${listOf(phrases)}`),
    ...(guarantees.length > 0 ? [listOf(guarantees)] : []),
  ];
  return `${upperFirst(sentences.join("; "))}.`;
}

function listOf(items: string[]): string {
  const shown = [...new Set(items)].slice(0, 3);
  const more = items.length > shown.length ? ` (and ${items.length - shown.length} more)` : "";
  return shown.length === 1 ? `${shown[0]}${more}` : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}${more}`;
}

function openQuestionsOf(facts: StoryFacts[]): StageOpenQuestion[] {
  return facts.flatMap((fact) =>
    fact.requirements.flatMap((requirement) => {
      const vague = findPhrases(requirement.statement, VAGUE_WORDS);
      if (vague.length === 0 || figuresOf(requirement.statement).length > 0) return [];
      return [{ question: `${requirement.ref} says '${vague.join("', '")}' without a figure: what must ${fact.story.ref} achieve before its milestone can ship?`, derivedFrom: [requirement.id, fact.story.id] }];
    }),
  );
}
