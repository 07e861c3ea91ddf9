import type { AcceptanceCriterion, DraftedUserStory, RequirementCategory, StoriesInput, UserStoriesDraft } from "@/lib/requirements/schema";
import { findModal, findPhrases, type ModalCue } from "./cues";
import { HEDGES, VAGUE_WORDS } from "./lexicon";
import benefits from "./lexicon/story-benefits.json";
import { commaBetween, pluralNoun, tokenizeSentences, verbForms, type Token } from "./nlp";
import { isPersonWord, isPluralHead, lowerFirst, namesPeople, renderWords, upperFirst } from "./phrase";
import { organisationOf, servedRoleOf, type Project } from "./project";
import { readGoal } from "./stages/reading";

/**
 * The user_stories_draft task: one story per approved requirement. The role is the
 * requirement's subject when it names people, the goal its verb phrase, the benefit its
 * "so that" clause, else one that follows from what the goal does (lexicon/story-benefits.json)
 * or from its category. Each part of the statement becomes a Given/When/Then: an action's Then is
 * the state it leaves behind, a trigger ("when the bike is docked") becomes the When, and a
 * Then keeps the statement's figures and constraints.
 */
type Requirement = StoriesInput["requirements"][number];

/** One "<subject> must ..." part of a statement, as parsed. */
type Part = {
  text: string;
  subject: Token[];
  /** "a doctor is sick" from "When a doctor is sick, ..." */
  condition: string;
  /** "after that" from "after that, patients must call": it qualifies the part before */
  qualifier: string;
  modal: ModalCue;
  /** "must not", "cannot" — "must never" keeps its "never" in the predicate instead */
  negative: boolean;
  /** the words after "must (not) (be able to)", without a "so that" clause */
  predicate: Token[];
  /** "so clinic staff can offer the slot to the waiting list" -> "clinic staff can offer the slot to the waiting list" */
  purpose: string | null;
};

type Role = { name: string; assumed: boolean };

const CATEGORY_BENEFITS: Record<RequirementCategory, (organisation: string) => string> = {
  functional: (organisation) => fill(benefits.noThing, { organisation }),
  availability: () => "I can rely on the service whenever I need it",
  fault_tolerance: () => "a failure does not cost me my work",
  legal: (organisation) => `the ${organisation} stays within the law and its contracts`,
  look_and_feel: () => "the product looks familiar and trustworthy",
  maintainability: () => "changes can be made quickly and safely",
  operational: (organisation) => `the ${organisation} stays within its operating limits and budget`,
  performance: () => "I do not lose time waiting",
  portability: () => "I can use it on the devices I already have",
  scalability: () => "it keeps working when many people use it at once",
  security: () => "personal data is only seen by the people who need it",
  usability: () => "I can use it without help or mistakes",
};

/** Reports and budgets serve whoever manages the organisation. */
const MANAGEMENT_WORDS = ["report", "reports", "export", "statistics", "dashboard", "budget", "invoice", "invoices"];
/** "let two patients take", "bookable only by patients": a person the requirement is for, not about. */
const BENEFICIARY_MARKERS = new Set(["let", "lets", "allow", "allows", "by", "for", "to"]);
/** Requirements about the organisation's own duties are an administrator's stories. */
const ADMINISTRATOR_CATEGORIES = new Set<RequirementCategory>(["security", "legal", "operational", "maintainability", "availability"]);
const PURPOSE_WORDS = new Set(["so", "because"]);
const CONDITIONS = new Set(["when", "if", "whenever", "once", "after", "before"]);
const QUALIFIERS = ["after that", "after this", "then", "otherwise", "in that case"];
/** "an administrator", "a user" */
const withArticle = (role: string) => `${/^(?:[aeio]|u(?!s|ni))/i.test(role) ? "an" : "a"} ${role}`;
const BENEFIT_BY_VERB = new Map(benefits.classes.flatMap((entry) => entry.verbs.map((verb) => [verb, entry.benefit] as const)));
const fill = (template: string, slots: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => slots[key] ?? key);

export function draftUserStories(input: StoriesInput): UserStoriesDraft {
  return { stories: input.requirements.map((requirement, index) => storyFor(requirement, `S${index + 1}`, input.project)) };
}

function storyFor(requirement: Requirement, id: string, project: Project): DraftedUserStory {
  const parts = requirement.statement
    .split(/;\s+/)
    .map(parsePart)
    .filter((part): part is Part => part !== null);
  const organisation = organisationOf(project);
  const [main] = parts;
  if (!main) return restatedStory(requirement, id, project, organisation);

  const role = roleFor(main, requirement.category, project, organisation);
  const acceptanceCriteria = parts.map((part) => criterionFor(part, role, project));
  const goal = goalOf(main, role);
  const reasons = [
    role.assumed ? `the requirement names no role; '${role.name}' is assumed` : null,
    parts.length > 1 ? `the requirement has ${parts.length} parts; consider splitting the story` : null,
    ...wordingConcerns(requirement.statement),
  ].filter((reason): reason is string => reason !== null);

  return {
    id,
    role: role.name,
    goal,
    benefit: main.purpose ?? (requirement.category === "functional" ? functionalBenefit(goal, main.negative, organisation) : CATEGORY_BENEFITS[requirement.category](organisation)),
    acceptanceCriteria,
    requirementRefs: [requirement.ref],
    ...confidenceOf(reasons, requirement.statement),
  };
}

/** What the goal does decides who gains: a prohibition protects the rules, a notification spares the chasing, ... */
function functionalBenefit(goal: string, negative: boolean, organisation: string): string {
  const action = readGoal(goal);
  if (!action.entity) return CATEGORY_BENEFITS.functional(organisation);
  const head = action.entity.split(" ").at(-1) ?? action.entity;
  const slots = { thing: action.entity, things: /data$/.test(head) ? action.entity : action.entity.split(" ").slice(0, -1).concat(pluralNoun(head)).join(" "), organisation, done: verbForms(action.verb).pastTense };
  return fill((negative ? benefits.prohibition : BENEFIT_BY_VERB.get(action.verb)) ?? benefits.withThing, slots);
}

function parsePart(text: string): Part | null {
  const tokens = tokenizeSentences(text).flat();
  const modal = findModal(tokens);
  if (!modal || modal.index === 0) return null;
  let subject = tokens.slice(0, modal.index);
  const qualifierPhrase = QUALIFIERS.find((phrase) => phrase.split(" ").every((word, index) => subject[index]?.lower === word));
  const qualifierLength = qualifierPhrase?.split(" ").length ?? 0;
  const qualifier = qualifierLength > 0 ? renderWords(text, subject.slice(0, qualifierLength)) : "";
  subject = subject.slice(qualifierLength);
  let condition = "";
  // "When a doctor is sick, the system must ..."
  const comma = subject.findIndex((token, index) => index < subject.length - 1 && commaBetween(text, token, subject[index + 1]));
  if (comma >= 0 && CONDITIONS.has(subject[0].lower)) {
    condition = renderWords(text, subject.slice(1, comma + 1));
    subject = subject.slice(comma + 1);
  }
  const rest = tokens.slice(modal.verbIndex);
  const purposeAt = rest.findIndex((token, index) => index > 0 && PURPOSE_WORDS.has(token.lower));
  const predicate = purposeAt < 0 ? rest : rest.slice(0, purposeAt);
  if (predicate.length === 0) return null;
  const purposeWords = purposeAt < 0 ? [] : rest.slice(purposeAt + 1).filter((token, index) => index > 0 || token.lower !== "that");
  return {
    text,
    subject,
    condition,
    qualifier: lowerFirst(qualifier),
    modal,
    negative: modal.negative && predicate[0].lower !== "never",
    predicate,
    purpose: purposeWords.length > 0 && rest[purposeAt].lower === "so" ? trimEnd(renderWords(text, purposeWords)) : null,
  };
}

function roleFor(part: Part, category: RequirementCategory, project: Project, organisation: string): Role {
  const people = namesPeople(part.subject);
  if (people && !part.negative) return { name: singularPhrase(part.text, part.subject), assumed: false };
  // "Patients must not be able to cancel online" is what the organisation wants of them.
  if (people) return { name: `${organisation} staff member`, assumed: true };
  if (findPhrases(part.text, MANAGEMENT_WORDS).length > 0) return { name: `${organisation} manager`, assumed: true };
  const beneficiary = part.predicate.find(
    (token, index) => isPersonWord(token) && part.predicate.slice(Math.max(0, index - 2), index).some((before) => BENEFICIARY_MARKERS.has(before.lower)),
  );
  if (beneficiary && !ADMINISTRATOR_CATEGORIES.has(category)) return { name: beneficiary.root.replace(/s$/, ""), assumed: true };
  if (ADMINISTRATOR_CATEGORIES.has(category)) return { name: `${organisation} administrator`, assumed: true };
  return { name: servedRoleOf(project) ?? `${organisation} user`, assumed: true };
}

/** "New patients" -> "new patient", "A patient who is deaf" -> "patient who is deaf" */
function singularPhrase(text: string, subject: Token[]): string {
  const words = subject[0].tags.has("Determiner") ? subject.slice(1) : subject;
  const head = words.find(isPersonWord);
  const substitutions = new Map(head ? [[head, head.tags.has("Plural") || head.lower.endsWith("s") ? head.root.replace(/s$/, "") : head.lower]] : []);
  return lowerFirst(renderWords(text, words, substitutions));
}

function goalOf(part: Part, role: Role): string {
  const predicate = trimEnd(renderWords(part.text, part.predicate));
  const { negative } = part;
  const { ability } = part.modal;
  // the role speaks: "to see their own day" -> "to see my own day"
  if (!role.assumed) return `to ${predicate.replace(/\btheir\b/g, "my").replace(/\bthem\b/g, "me")}`;
  const subject = lowerFirst(trimEnd(renderWords(part.text, part.subject)));
  return `${subject}${negative ? " not" : ""} to ${ability ? "be able to " : ""}${predicate}`;
}

function criterionFor(part: Part, role: Role, project: Project): AcceptanceCriterion {
  const person = namesPeople(part.subject) ? singularPhrase(part.text, part.subject) : null;
  const actor = person ?? role.name;
  const trigger = triggerOf(part);
  const given = part.condition ? trimEnd(part.condition) : `${withArticle(actor)} using ${project.name}`;
  const qualified = (then: string) => (part.qualifier ? `${part.qualifier}, ${then}` : then);
  if (person && part.modal.ability) {
    const outcome = outcomeOf(part, person);
    if (outcome) return { given, when: outcome.when, then: qualified(outcome.then) };
  }
  if (trigger) return { given, when: trigger.when, then: qualified(thenClause({ ...part, predicate: trigger.action }, person && `the ${person}`)) };
  return { given, when: whenInUse(part, actor, project), then: qualified(thenClause(part, person && `the ${person}`)) };
}

const TRIGGERS = new Set(["when", "whenever", "once", "after"]);

/** "send a receipt when the bike is docked": the event is the When, the action the Then. */
function triggerOf(part: Part): { when: string; action: Token[] } | null {
  // "after 12 months" is a period, not an event
  const at = part.predicate.findIndex((token, index) => index > 1 && TRIGGERS.has(token.lower) && !part.predicate[index + 1]?.tags.has("Value"));
  const event = at < 0 ? [] : part.predicate.slice(at + 1);
  if (at < 0 || !event.some((token) => token.tags.has("Verb"))) return null;
  return { when: trimEnd(renderWords(part.text, event)), action: part.predicate.slice(0, at) };
}

/**
 * What a person's action leaves behind, which a tester observes: "unlock a bike by scanning ..."
 * -> when "the rider unlocks a bike by scanning ...", then "the bike is unlocked and the rider
 * gets a confirmation"; a prohibition -> the attempt is stopped and nothing changes.
 */
function outcomeOf(part: Part, person: string): { when: string; then: string } | null {
  const action = readGoal(`to ${renderWords(part.text, part.predicate)}`);
  const predicate = trimEnd(renderWords(part.text, part.predicate));
  const [verb, ...rest] = predicate.split(" ");
  const acts = `the ${person} ${verbForms(verb.toLowerCase()).presentTense} ${rest.join(" ")}`;
  if (action.verb === "handle" || verb.toLowerCase() === "be") return null;
  const done = verbForms(action.verb).participle;
  // "see who hasn't paid": nothing named to inspect afterwards, so the record of the action is what a tester checks
  if (!action.object) return part.negative ? null : { when: acts, then: `the ${person}'s ${verbForms(action.verb).gerund} is recorded and the ${person} gets a confirmation` };
  const thing = `the ${action.object.replace(/^(?:a|an|the|every|any|each|some|all|my|their|his|her|its|our|your)\s+/i, "")}`;
  const is = /[^s]s$/.test(action.object) ? "are" : "is";
  if (part.negative) return { when: `the ${person} tries to ${predicate}`, then: `the ${person} is stopped with a reason, and ${thing} ${is} not ${done}` };
  // A limit the story names ("within 5 minutes") belongs in what the tester checks; a lone figure does not.
  const limitAt = /\d/.test(predicate) ? predicate.search(/\b(?:for|within|up to|after|before|under|above)\b/) : -1;
  const figures = limitAt >= 0 ? `, ${predicate.slice(limitAt).trim()}` : "";
  return { when: acts, then: `${thing} ${is} ${done}${figures} and the ${person} gets a confirmation` };
}

const PRODUCT_NOUNS = new Set(["app", "system", "application", "service", "platform", "portal", "site", "website", "tool"]);

/** "the lock is in use", "the rider starts loading the map": the situation in which a quality requirement is observed. */
function whenInUse(part: Part, actor: string, project: Project): string {
  const subject = lowerFirst(trimEnd(renderWords(part.text, part.subject)));
  if (part.subject[0]?.tags.has("Gerund")) return `the ${actor} starts ${subject}`;
  if (subject === "" || namesPeople(part.subject)) return `the ${actor} uses ${project.name}`;
  if (PRODUCT_NOUNS.has(part.subject.at(-1)?.root ?? "")) return `${subject} is in use`;
  return `${subject} ${isPluralHead(part.subject) && !/^(?:every|each)\b/i.test(subject) ? "are" : "is"} checked`;
}

/** The requirement as something a tester observes: "must be able to cancel" -> "can cancel", "must be logged" -> "is logged". */
function thenClause(part: Part, person: string | null): string {
  const { negative } = part;
  const { ability } = part.modal;
  const predicate = trimEnd(renderWords(part.text, part.predicate));
  const subject = person ?? lowerFirst(trimEnd(renderWords(part.text, part.subject)));
  const plural = person === null && isPluralHead(part.subject) && !/^(?:every|each)\b/i.test(subject);
  if (ability) return `${subject} ${negative ? "cannot" : "can"} ${predicate}`;
  const verbAt = part.predicate.findIndex((token) => token.tags.has("Verb") || token.lower === "be");
  if (verbAt < 0) return `${subject} ${negative ? "does not " : ""}${predicate}`;
  const verb = part.predicate[verbAt];
  const before = renderWords(part.text, part.predicate.slice(0, verbAt));
  const after = trimEnd(renderWords(part.text, part.predicate.slice(verbAt + 1)));
  const infinitive = verb.root === "is" ? "be" : verb.root;
  const conjugated = conjugate(infinitive, plural, negative);
  // "must never be counted" -> "are never counted", but "must only see" -> "only sees"
  const words = infinitive === "be" ? [subject, conjugated, before, after] : [subject, before, conjugated, after];
  return words.filter(Boolean).join(" ");
}

function conjugate(infinitive: string, plural: boolean, negative: boolean): string {
  if (infinitive === "be") return `${plural ? "are" : "is"}${negative ? " not" : ""}`;
  if (negative) return `${plural ? "do" : "does"} not ${infinitive}`;
  return plural ? infinitive : verbForms(infinitive).presentTense;
}

/** A statement the parser cannot read as "<subject> must ...": the story restates it, with low confidence. */
function restatedStory(requirement: Requirement, id: string, project: Project, organisation: string): DraftedUserStory {
  const role = ADMINISTRATOR_CATEGORIES.has(requirement.category) ? `${organisation} administrator` : (servedRoleOf(project) ?? `${organisation} user`);
  const statement = trimEnd(requirement.statement) || `what ${requirement.ref} describes`;
  const reasons = [`the statement is not phrased as '... must ...'; the story restates it and '${role}' is assumed`, ...wordingConcerns(requirement.statement)];
  return {
    id,
    role,
    goal: lowerFirst(statement),
    benefit: CATEGORY_BENEFITS[requirement.category](organisation),
    acceptanceCriteria: [{ given: `${withArticle(role)} using ${project.name}`, when: `the ${role} uses ${project.name}`, then: lowerFirst(statement) }],
    requirementRefs: [requirement.ref],
    ...confidenceOf(reasons, requirement.statement),
  };
}

function wordingConcerns(statement: string): string[] {
  const hedges = findPhrases(statement, HEDGES);
  const vague = findPhrases(statement, VAGUE_WORDS).filter((word) => !hedges.includes(word));
  return [
    hedges.length > 0 ? `hedged wording: ${hedges.map((word) => `'${word}'`).join(", ")}` : null,
    vague.length > 0 ? `vague wording a tester cannot check: ${vague.map((word) => `'${word}'`).join(", ")}` : null,
  ].filter((reason): reason is string => reason !== null);
}

const BASE_CONFIDENCE = 0.85;
const PENALTY_PER_CONCERN = 0.15;
const MEASURABLE_BONUS = 0.05;

function confidenceOf(reasons: string[], statement: string): { confidence: number; unsure: string | null } {
  const measurable = /\d/.test(statement) ? MEASURABLE_BONUS : 0;
  const confidence = Math.min(0.95, Math.max(0.05, BASE_CONFIDENCE - PENALTY_PER_CONCERN * reasons.length + measurable));
  return { confidence: Math.round(confidence * 100) / 100, unsure: reasons.length > 0 ? upperFirst(reasons.join("; ")) : null };
}

const trimEnd = (text: string) => text.replace(/[\s.;,]+$/, "");
