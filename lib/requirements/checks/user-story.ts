import type { QualityFlag } from "../schema";
import { isWord, keysOf, matchesOf, phrasePattern, quoteList, stem, tokenize, unique, type Token } from "./text";
import { defectsToFlag, findTextDefects, type Defect } from "./well-formed";
import { storyWords as lexicon } from "./words";

/**
 * Checks of a drafted user story. Its three parts must each say something: who (a role, not a
 * pronoun), what (a goal that acts on something named), why (a benefit that is not the goal
 * again). Each acceptance criterion must be a check someone can run and observe.
 */
export type StoryDraft = {
  role: string;
  goal: string;
  benefit: string;
  acceptanceCriteria: { given: string; when: string; then: string }[];
};

const pronounRoles = new Set(lexicon.pronounRoles);
const objectPronouns = new Set(lexicon.objectPronouns);
const placeholders = new Set(lexicon.placeholders);
const emptyBenefits = new Set(lexicon.emptyBenefits);
const scaffolding = new Set(lexicon.storyScaffolding.map(stem));
const vaguePattern = phrasePattern(lexicon.vagueOutcomes);
const abilityWords = new Set(lexicon.abilityWords);
const vagueKeys = new Set(lexicon.vagueOutcomes.filter((word) => !word.includes(" ")).map(stem));

const normalise = (text: string) => text.toLowerCase().replace(/[.!,;:]+$/, "").replace(/\s+/g, " ").trim();
const ARTICLES = /^(?:a|an|the|some)\s+/;

const NON_CONTENT_TAGS = ["Determiner", "Preposition", "Conjunction", "Modal", "Auxiliary", "Copula", "Pronoun"];

/** Lemma keys of the words that carry meaning, so "book" and "booking" are one. */
function contentKeys(text: string): Set<string> {
  const tokens = tokenize(text).flat();
  return new Set(
    tokens
      .filter((token) => isWord(token) && !NON_CONTENT_TAGS.some((tag) => token.tags.has(tag)))
      .map((token) => keysOf(token)[0])
      .filter((key) => key.length > 0 && !scaffolding.has(key)),
  );
}

const isSubset = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].every((key) => b.has(key));

const SKIP_TO_ACTION = new Set(["to", "be", "able", "can", "could", "i", "want", "quickly", "easily"]);

/** "switch between me in one tap": the goal's action applies to a bare pronoun, so it says nothing about what. */
function pronounObject(goal: string): Defect[] {
  const tokens = tokenize(goal).flat();
  let index = 0;
  while (index < tokens.length && (SKIP_TO_ACTION.has(tokens[index].lower) || !tokens[index].tags.has("Verb"))) index++;
  let next = index + 1;
  while (next < tokens.length && (tokens[next].tags.has("Preposition") || tokens[next].tags.has("Determiner") || ["up", "out", "off", "back"].includes(tokens[next].lower))) next++;
  const object: Token | undefined = tokens[next];
  if (index >= tokens.length || !object || !objectPronouns.has(object.lower)) return [];
  const phrase = goal.slice(tokens[index].start, object.end);
  return [{ words: [phrase], reason: `'${phrase}' acts on '${object.text}' without saying what that is` }];
}

function partDefects(part: string, text: string): Defect[] {
  return findTextDefects(text, { allowFirstPerson: true }).map((defect) => ({ ...defect, reason: `${part}: ${defect.reason}` }));
}

function malformed(story: StoryDraft): QualityFlag | null {
  const defects = [
    ...partDefects("role", story.role),
    ...partDefects("goal", story.goal),
    ...pronounObject(story.goal).map((defect) => ({ ...defect, reason: `goal: ${defect.reason}` })),
    ...partDefects("benefit", story.benefit),
    ...story.acceptanceCriteria.flatMap((criterion, i) =>
      (["given", "when", "then"] as const).flatMap((key) => (isPlaceholder(criterion[key]) ? [] : partDefects(`criterion ${i + 1} '${key}'`, criterion[key]))),
    ),
  ];
  return defectsToFlag(defects, "Rewrite it as 'As a <role>, I want <something named>, so that <a different reason>'.");
}

function tautological(story: StoryDraft): QualityFlag | null {
  const reasons: string[] = [];
  const words: string[] = [];
  const role = normalise(story.role).replace(ARTICLES, "");
  if (role === "" || pronounRoles.has(role)) {
    words.push(story.role);
    reasons.push(role === "" ? "the role is empty" : `the role '${story.role.trim()}' names nobody: say which kind of user`);
  }
  const goal = contentKeys(story.goal);
  const benefit = contentKeys(story.benefit);
  const roleKeys = contentKeys(story.role);
  const benefitOnly = new Set([...benefit].filter((key) => !roleKeys.has(key)));
  if (emptyBenefits.has(normalise(story.benefit).replace(/^so that\s+/, "")) || benefitOnly.size === 0) {
    words.push(story.benefit);
    reasons.push(`the benefit '${story.benefit.trim()}' gives no reason`);
  } else if (isSubset(benefitOnly, goal)) {
    words.push(story.benefit);
    reasons.push(`the benefit '${story.benefit.trim()}' only restates the goal '${story.goal.trim()}'`);
  }
  if (role !== "" && normalise(story.goal) === role) {
    words.push(story.goal);
    reasons.push("the goal repeats the role");
  }
  if (reasons.length === 0) return null;
  return {
    code: "tautological_story",
    words: unique(words.map((word) => word.trim())),
    message: `The story's parts do not say different things: ${reasons.join("; ")}. A story needs who, what, and a why that the what does not already say.`,
  };
}

function isPlaceholder(text: string): boolean {
  const value = normalise(text);
  return value === "" || placeholders.has(value) || /^[<[{(].*[>\]})]$/.test(value) || /^[\s.…?_-]*$/.test(value);
}

/** "then it works correctly": a vague outcome and no verb, number or quoted text a tester could observe. */
function isUnobservable(then: string): boolean {
  if (/\d|["“']/.test(then)) return false;
  if (matchesOf(then, vaguePattern).length === 0) return false;
  const tokens = tokenize(then).flat();
  return !tokens.some(
    (token) => token.tags.has("Verb") && !token.tags.has("Copula") && !token.tags.has("Modal") && !token.tags.has("Auxiliary") && !keysOf(token).some((key) => vagueKeys.has(key)),
  );
}

function untestable(story: StoryDraft): QualityFlag | null {
  const goal = contentKeys(story.goal);
  const goalAndRole = new Set([...goal, ...contentKeys(story.role)]);
  const problems = story.acceptanceCriteria.flatMap((criterion, i) => {
    const label = `criterion ${i + 1}`;
    const empty = (["given", "when", "then"] as const).filter((key) => isPlaceholder(criterion[key]));
    if (empty.length > 0) {
      return [{ words: empty.map((key) => criterion[key].trim() || key), reason: `${label} has no real ${quoteList(empty)}` }];
    }
    if (isUnobservable(criterion.then)) {
      return [{ words: [criterion.then.trim()], reason: `${label}'s outcome '${criterion.then.trim()}' cannot be observed: say what the user sees or what is recorded` }];
    }
    // "then the rider can unlock a bike" is the goal again: an ability, not something a tester observes. "then the lock opens within 5 seconds" is observed.
    const then = contentKeys(criterion.then);
    const ability = tokenize(criterion.then).flat().some((token) => abilityWords.has(token.lower));
    if (ability && goal.size > 0 && isSubset(goal, then) && isSubset(then, goalAndRole)) {
      return [{ words: [criterion.then.trim()], reason: `${label} only restates the goal ('${criterion.then.trim()}'): say what observable result shows it was met` }];
    }
    return [];
  });
  if (problems.length === 0) return null;
  return {
    code: "untestable_criterion",
    words: unique(problems.flatMap((problem) => problem.words)),
    message: `Not a testable Given/When/Then: ${problems.map((problem) => problem.reason).join("; ")}.`,
  };
}

/** malformed, tautological_story and untestable_criterion flags of a drafted user story. */
export function checkUserStory(story: StoryDraft): QualityFlag[] {
  return [malformed(story), tautological(story), untestable(story)].filter((flag): flag is QualityFlag => flag !== null);
}
