import { adrsInputSchema, type AdrsDraft, type AdrsInput, type DraftedAdr } from "@/lib/kinds/adr/schema";
import type { StageOpenQuestion, UpstreamRequirement } from "@/lib/kinds/draft-parts";
import { interfacesInputSchema, type DraftedInterface, type InterfacesDraft, type InterfacesInput, type Operation } from "@/lib/kinds/interface/schema";
import { findPhrases } from "../cues";
import { isPersonWord, upperFirst } from "../phrase";
import { tokenizeSentences } from "../nlp";
import tactics from "./design-tactics.json";
import { camel, confidenceOf, figuresOf, type Figure, isPercent, plural, readGoal, refList, requirementsOf, storyIdsByRequirement, uniqueIds } from "./reading";

export { adrsInputSchema, interfacesInputSchema };

export type Tactic = (typeof tactics.tactics)[number];
export const TACTICS: readonly Tactic[] = tactics.tactics;

const NON_FUNCTIONAL = new Set(["availability", "fault_tolerance", "legal", "look_and_feel", "maintainability", "operational", "performance", "portability", "scalability", "security", "usability"]);

/** The approved requirements a tactic answers: its categories, and one of its trigger words when it lists any. */
export function requirementsForTactic(tactic: Tactic, requirements: readonly UpstreamRequirement[]): UpstreamRequirement[] {
  return requirements.filter(
    (requirement) => tactic.categories.includes(requirement.category) && (tactic.triggers.length === 0 || findPhrases(requirement.statement, tactic.triggers).length > 0),
  );
}

/** The first figure the requirements state, for a tactic's {figure} and {value}; null when none does. */
export function figureFor(requirements: readonly UpstreamRequirement[]): Figure | null {
  return requirements.flatMap((requirement) => figuresOf(requirement.statement))[0] ?? null;
}

export const fillFigure = (text: string, figure: Figure | null) =>
  text
    .replace(/\{figure\}/g, figure?.text ?? "the target the requirements set")
    .replace(/\{value\}/g, figure ? `${figure.value.toLocaleString("en")}${figure.unit === "%" ? "%" : figure.unit ? ` ${figure.unit}` : ""}` : "the target the requirements set");

/**
 * draft-adrs: one decision per constraint the non-functional requirements set. The tactic comes
 * from data (design-tactics.json) with the alternatives an architect weighs; the context quotes
 * the requirements and works out what their figures mean (a 99.5% target is a downtime budget).
 */
export function draftAdrs(input: AdrsInput): AdrsDraft {
  const storiesOf = storyIdsByRequirement(input.stories, input.requirements);
  const covered = new Set<string>();
  const adrs = TACTICS.flatMap((tactic): DraftedAdr[] => {
    const matched = requirementsForTactic(tactic, input.requirements);
    if (matched.length === 0) return [];
    matched.forEach((requirement) => covered.add(requirement.id));
    const figure = figureFor(matched);
    const needsFigure = /\{(?:figure|value)\}/.test(tactic.decision);
    const reasons = [
      ...(needsFigure && !figure ? [`${refList(matched)} state no figure: the decision's target is a placeholder until someone sets it`] : []),
      ...(matched.every((requirement) => requirement.category === "functional") ? ["drawn from functional requirements only: no quality target asks for it"] : []),
    ];
    const milestone = input.milestones.find((item) => matched.some((requirement) => item.derivedFrom.includes(requirement.id)));
    return [
      {
        id: "",
        title: tactic.title,
        context: contextOf(matched, milestone?.ref ?? null),
        decision: fillFigure(tactic.decision, figure),
        alternatives: tactic.alternatives,
        consequences: tactic.consequences,
        derivedFrom: uniqueIds([...matched.flatMap((requirement) => [requirement.id, ...(storiesOf.get(requirement.id) ?? [])]), ...(milestone ? [milestone.id] : [])]),
        ...confidenceOf(reasons),
      },
    ];
  }).map((adr, index) => ({ ...adr, id: `ADR${index + 1}` }));
  const openQuestions: StageOpenQuestion[] = input.requirements
    .filter((requirement) => NON_FUNCTIONAL.has(requirement.category) && !covered.has(requirement.id))
    .map((requirement) => ({
      question: `No design decision answers ${requirement.ref} ('${requirement.statement}'): what does this ${requirement.category.replace(/_/g, " ")} requirement demand of the architecture?`,
      derivedFrom: [requirement.id],
    }));
  return { adrs, openQuestions };
}

function contextOf(requirements: readonly UpstreamRequirement[], milestoneRef: string | null): string {
  const quoted = requirements.map((requirement) => `${requirement.ref}: "${requirement.statement}"`).join(" ");
  const budgets = requirements.flatMap((requirement) =>
    figuresOf(requirement.statement)
      .filter((figure) => isPercent(figure) && requirement.category === "availability" && figure.value < 100 && figure.value > 90)
      .map((figure) => `${figure.text} availability allows about ${(((100 - figure.value) / 100) * 30 * 24).toFixed(1)} hours of downtime in a 30-day month, planned work included.`),
  );
  const first = milestoneRef ? ` It must hold from ${milestoneRef}, the first milestone that ships these stories.` : "";
  return [quoted, ...budgets].join(" ") + first;
}

// ---------------------------------------------------------------------------------------------
// draft-interfaces

const READ_VERBS: Record<string, string> = { show: "list", display: "list", list: "list", see: "get", view: "get", browse: "list", find: "find", search: "find", check: "get" };

/**
 * draft-interfaces: the entities the stories act on, each with the operations the stories need
 * (verb + entity), who calls them, what they take (the "with"/"by" phrases) and what the caller
 * then observes (the story's first Then). Quality stories add no operation; ADRs carry them.
 */
export function draftInterfaces(input: InterfacesInput): InterfacesDraft {
  const byEntity = new Map<string, { operations: Operation[]; attributes: Set<string>; derivedFrom: string[]; doubts: string[] }>();
  const openQuestions: StageOpenQuestion[] = [];
  for (const story of input.stories) {
    const requirements = requirementsOf(story, input.requirements);
    if (requirements.length > 0 && requirements.every((requirement) => NON_FUNCTIONAL.has(requirement.category))) continue;
    const action = readGoal(story.goal);
    const calledBy = actorOf(action.subject, action.phrase, story.role);
    // "broken bikes to never be counted as free", "fees not to exceed the cost": rules about an entity, not operations anyone calls
    const rule = action.object === null || /\b(?:never|not)\b/.test(story.goal) || (action.passive && !/\bby\b/.test(action.phrase));
    if (action.entity && rule) continue;
    if (!action.entity) {
      openQuestions.push({ question: `${story.ref} ('${story.goal}') names nothing it acts on: which entity does it read or change?`, derivedFrom: [story.id] });
      continue;
    }
    const entry = byEntity.get(action.entity) ?? { operations: [], attributes: new Set<string>(), derivedFrom: [], doubts: [] };
    const verb = READ_VERBS[action.verb] ?? action.verb;
    const name = camel(`${verb} ${verb === "list" ? plural(action.entity) : action.entity}`);
    const existing = entry.operations.find((operation) => operation.name === name);
    if (existing) existing.storyIds.push(story.id);
    else {
      entry.operations.push({
        name,
        actor: calledBy,
        input: inputsOf(action.inputs, action.entity, verb, story.goal),
        output: story.acceptanceCriteria[0].then,
        storyIds: [story.id],
      });
    }
    for (const attribute of attributesOf(action.object, action.inputs, story.goal)) entry.attributes.add(attribute);
    if (action.verb === "handle") entry.doubts.push(`${story.ref} says 'handle', which names no operation`);
    entry.derivedFrom.push(story.id, ...requirements.map((requirement) => requirement.id));
    byEntity.set(action.entity, entry);
  }
  const interfaces = [...byEntity].map(([entity, entry], index): DraftedInterface => ({
    id: `IF${index + 1}`,
    name: `${upperFirst(plural(entity))} API`,
    entities: [{ name: upperFirst(entity), attributes: ["id", ...entry.attributes] }],
    operations: entry.operations,
    derivedFrom: uniqueIds(entry.derivedFrom),
    ...confidenceOf(entry.doubts),
  }));
  return { interfaces, openQuestions };
}

/** "approved by a supervisor" -> supervisor; "the app to show" -> the app; otherwise the story's role. */
function actorOf(subject: string | null, phrase: string, role: string): string {
  const by = /\bby (?:a |an |the )?([a-z-]+)/i.exec(phrase)?.[1];
  if (by && tokenizeSentences(by).flat().some(isPersonWord)) return by;
  if (subject && !tokenizeSentences(subject).flat().some(isPersonWord)) return subject.replace(/^(?:the|a|an)\s+/, "");
  return role;
}

const TIME_UNITS = /^(?:day|week|month|year|hour|minute|second|min|ms)s?$/;

function inputsOf(inputs: readonly string[], entity: string, verb: string, goal: string): string[] {
  const creates = !["list", "find", "get"].includes(verb);
  const figures = figuresOf(goal).filter((figure) => figure.unit && !TIME_UNITS.test(figure.unit)).map((figure) => `${figure.unit.replace(/s$/, "")} amount`);
  return uniqueIds([...(creates && !["request", "report", "book", "create", "add", "submit"].includes(verb) ? [`${camel(entity)}Id`] : []), ...inputs.map(camel), ...figures.map(camel)]);
}

/** "a broken bike" -> status; "with a photo" -> photo; "above 20 euros" -> amount. */
function attributesOf(object: string | null, inputs: readonly string[], goal: string): string[] {
  const adjectives = object ? tokenizeSentences(object).flat().filter((token) => token.tags.has("Adjective")) : [];
  const units = figuresOf(goal).filter((figure) => figure.unit && !TIME_UNITS.test(figure.unit)).map((figure) => `amount (${figure.unit})`);
  return [...(adjectives.length > 0 ? [`status (e.g. ${adjectives.map((token) => token.lower).join(", ")})`] : []), ...inputs.map((input) => input.toLowerCase()), ...units];
}
