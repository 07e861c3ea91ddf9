import type { AcceptanceCriterion, DraftedUserStory, RequirementCategory, StoriesInput, UserStoriesDraft } from "@/lib/requirements/schema";
import { findModal, findPhrases, type ModalCue } from "./cues";
import { HEDGES, VAGUE_WORDS } from "./lexicon";
import { tokenizeSentences, verbForms, type Token } from "./nlp";
import { isPersonWord, isPluralHead, lowerFirst, namesPeople, renderWords, upperFirst } from "./phrase";
import { organisationOf, servedRoleOf, type Project } from "./project";

/**
 * The user_stories_draft task: one story per approved requirement. The role is the
 * requirement's subject when it names people, the goal its verb phrase, the benefit its
 * "so that" clause or one that follows from its category, and each part of the statement
 * becomes a Given/When/Then whose Then keeps the statement's figures and constraints.
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
  functional: () => "it does not depend on someone doing it by hand",
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
/** When the people a requirement names do it themselves, the benefit is theirs. */
const SELF_SERVICE_BENEFIT = "I can do it myself, when it suits me";

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
  const selfService = requirement.category === "functional" && !role.assumed && main.modal.ability && !main.negative;
  const reasons = [
    role.assumed ? `the requirement names no role; '${role.name}' is assumed` : null,
    parts.length > 1 ? `the requirement has ${parts.length} parts; consider splitting the story` : null,
    ...wordingConcerns(requirement.statement),
  ].filter((reason): reason is string => reason !== null);

  return {
    id,
    role: role.name,
    goal: goalOf(main, role),
    benefit: main.purpose ?? (selfService ? SELF_SERVICE_BENEFIT : CATEGORY_BENEFITS[requirement.category](organisation)),
    acceptanceCriteria,
    requirementRefs: [requirement.ref],
    ...confidenceOf(reasons, requirement.statement),
  };
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
  const comma = subject.findIndex((token, index) => index < subject.length - 1 && text.slice(token.end, subject[index + 1].start).includes(","));
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
  const given = part.condition ? trimEnd(part.condition) : `${withArticle(actor)} using ${project.name}`;
  const when = person && part.modal.ability ? `the ${person} tries to ${corePhrase(part)}` : `the ${actor} uses ${project.name}`;
  const then = thenClause(part, person && `the ${person}`);
  return { given, when, then: part.qualifier ? `${part.qualifier}, ${then}` : then };
}

/** "book online, any time, without calling the clinic" -> "book online": the verb up to its first comma or preposition. */
function corePhrase(part: Part): string {
  const words: Token[] = [];
  for (const token of part.predicate) {
    if (words.length > 0 && (token.tags.has("Preposition") || part.text.slice(words.at(-1)!.end, token.start).includes(","))) break;
    words.push(token);
  }
  return renderWords(part.text, words);
}

/** The requirement as something a tester observes: "must be able to cancel" -> "can cancel", "must be logged" -> "is logged". */
function thenClause(part: Part, person: string | null): string {
  const { negative } = part;
  const { ability } = part.modal;
  const predicate = trimEnd(renderWords(part.text, part.predicate));
  const subject = person ?? lowerFirst(trimEnd(renderWords(part.text, part.subject)));
  const plural = person === null && isPluralHead(part.subject);
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
