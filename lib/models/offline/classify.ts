import { requirementCategories, type RequirementCategory } from "@/lib/requirements/schema";
import { findPhrases, withoutPhrases } from "./cues";
import categorySignals from "./lexicon/categories.json";

/**
 * The category of a requirement from keyword signals in its statement. Words right after the
 * obligation ("must", "shall", "needs to": what is required) weigh more than the subject or
 * trailing qualifiers, so "must load quickly on the tablets" is performance, not portability.
 * Words that name a quality ("encrypted", "uptime") weigh more than words that merely go with it
 * ("access", "hours"). Functional when nothing stands out. The word lists are data:
 * lexicon/categories.json.
 */
export type NonFunctional = Exclude<RequirementCategory, "functional">;

/** `not`: phrases that hold a signal word without naming the quality ("look up" a record), taken out before counting. */
type Signals = { strong: readonly string[]; weak: readonly string[]; not?: readonly string[] };
const SIGNALS: Record<NonFunctional, Signals> = {
  security: categorySignals.security,
  legal: categorySignals.legal,
  availability: categorySignals.availability,
  fault_tolerance: categorySignals.fault_tolerance,
  performance: categorySignals.performance,
  scalability: categorySignals.scalability,
  portability: categorySignals.portability,
  usability: categorySignals.usability,
  look_and_feel: categorySignals.look_and_feel,
  maintainability: categorySignals.maintainability,
  operational: categorySignals.operational,
};

/** Ties go to the category listed first. */
const PRIORITY = Object.keys(SIGNALS) as NonFunctional[];

const STRONG_WEIGHT = 2;
const ACCESS_VERBS = ["see", "view", "read", "access", "open", "change", "edit", "approve", "release", "delete"];
const SCOPE_WORDS = ["only", "own", "everything", "never", "other", "nobody", "no one", "anyone"];
/** What a signal right after the obligation counts for, against 1 elsewhere. */
export const HEAD_WEIGHT = 3;

/** The obligation that splits a statement into who (before) and what is required (after). */
const OBLIGATION = /\b(?:must|shall|should|will|needs? to|has to|have to|is required to|are required to|may only|can only|cannot|can't|may not)\b/;
/** "Only the registrar may ...": a statement about who may act is access control. */
const RESTRICTED_SUBJECT = /^(?:only|nobody|no one|no user|no member)\b/;
/** A limit on the system's own time: "within 2 seconds", "under 500 ms". */
const OWN_ENVIRONMENT = /\b(?:already|existing|managed|issued)\b/;
const SEVERAL_ENVIRONMENTS = /\b(?:any|all|every|both|several|other|different)\b|\band on\b|\bor on\b/;
/** A person doing the task the time limit is for: "be able to ... in under a minute", "take the clinician under a minute". */
const PERSON_TIME = /\bbe able to\b|\btakes? (?:the |a |an |our |their |each )?(?:\w+ )?(?:clinician|parent|user|customer|member|operator|staff|person|people|someone|officer|clerk|nurse|driver|receptionist|volunteer|agent|me|us|them|him|her)s?\b/;
/** A window on the clock ("between 01:00 and 05:00"): with a word of upkeep or hours, availability. */
const CLOCK_WINDOW = /\bbetween\s+\d{1,2}[:.]\d{2}\s+and\s+\d{1,2}[:.]\d{2}\b/;
const TIME_LIMIT = /\b(?:within|under|inside|in under|in less than|less than|no more than|at most|not exceed)\s+(?:\d+(?:[.,]\d+)?|a|one|two|three|five|ten)\s*(?:ms|milliseconds?|seconds?|secs?|minutes?|mins?)\b/;

function score(text: string, signals: Signals): number {
  const meant = signals.not ? withoutPhrases(text, signals.not) : text;
  return STRONG_WEIGHT * findPhrases(meant, signals.strong).length + findPhrases(meant, signals.weak).length;
}


/** Keyword score of each non-functional category that has any signal in the statement. */
export function keywordScores(statement: string): Map<NonFunctional, number> {
  const lower = statement.toLowerCase().trim();
  const obligation = OBLIGATION.exec(lower);
  const subject = obligation ? lower.slice(0, obligation.index) : "";
  const afterObligation = (obligation ? lower.slice(obligation.index + obligation[0].length) : lower).trim();
  const predicate = afterObligation.replace(/^(?:not |only |never |always |also |be able to |be )+/, "");
  const head = predicate.split(/\s+/).slice(0, 3).join(" ");

  const scores = new Map<NonFunctional, number>();
  const add = (category: NonFunctional, points: number) => scores.set(category, (scores.get(category) ?? 0) + points);
  for (const category of PRIORITY) {
    const signals = SIGNALS[category];
    // The whole predicate counts once (so phrases across the head's end still count), the head HEAD_WEIGHT times in all.
    const points = score(subject, signals) + score(predicate, signals) + (HEAD_WEIGHT - 1) * score(head, signals);
    if (points > 0) add(category, points);
  }
  // "Patients must only see free slots", "only the registrar may approve": who may do what is access control.
  const scoped = findPhrases(predicate, SCOPE_WORDS).length > 0 || RESTRICTED_SUBJECT.test(subject);
  // "Nobody else must be able to move a trader": who alone is able to act is access control, whatever the act.
  const restrictedAbility = RESTRICTED_SUBJECT.test(subject) && obligation !== null && /^(?:not )?be able to\b/.test(afterObligation);
  if ((findPhrases(predicate, ACCESS_VERBS).length > 0 && scoped) || restrictedAbility) add("security", HEAD_WEIGHT);
  // "A declarant must be able to classify an invoice in under ten minutes", "should take a parent less than two minutes":
  // a time a person needs for a task is how usable the product is; a time the system needs is its performance.
  if (TIME_LIMIT.test(predicate)) add(PERSON_TIME.test(lower) ? "usability" : "performance", HEAD_WEIGHT);
  if (CLOCK_WINDOW.test(lower)) add("availability", 1);
  // "must run on the trust's managed Windows laptops": one environment the organisation already has is where it is operated;
  // running across several ("on the handhelds couriers already carry and on ordinary phones") stays portability.
  const portable = scores.get("portability");
  if (portable !== undefined && OWN_ENVIRONMENT.test(lower) && !SEVERAL_ENVIRONMENTS.test(lower)) {
    scores.delete("portability");
    add("operational", portable);
  }
  return scores;
}

/** Functional stands as high as a little less than one strong word (or two weak ones): one passing weak word does not make a quality. */
const FUNCTIONAL_SCORE = 1.9;

export function classify(statement: string): RequirementCategory {
  const scores = keywordScores(statement);
  let best: RequirementCategory = "functional";
  let bestScore = FUNCTIONAL_SCORE;
  for (const category of PRIORITY) {
    const score = scores.get(category) ?? 0;
    if (score > bestScore) [best, bestScore] = [category, score];
  }
  return best;
}

/**
 * How sure the keywords are, as a distribution over every category: one strong word right after
 * the obligation is fairly sure, a lone trailing word is a coin toss against functional, two equal
 * signals split the mass, and no signal at all means functional by default, not certainly.
 * A score is worth EVIDENCE_BASE^score, functional FUNCTIONAL_SCORE as in classify(); a category
 * with no signal keeps a little mass, since keywords miss things.
 */
const EVIDENCE_BASE = 2.5;
const UNSIGNALLED_WEIGHT = 0.06;

export function keywordDistribution(statement: string): Record<RequirementCategory, number> {
  const scores = keywordScores(statement);
  const weights = requirementCategories.map((category) => {
    if (category === "functional") return EVIDENCE_BASE ** FUNCTIONAL_SCORE;
    const score = scores.get(category);
    return score === undefined ? UNSIGNALLED_WEIGHT : EVIDENCE_BASE ** score;
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return Object.fromEntries(requirementCategories.map((category, index) => [category, weights[index] / total])) as Record<
    RequirementCategory,
    number
  >;
}
