import type { UpstreamRequirement, UpstreamStory } from "@/lib/kinds/draft-parts";
import { testCasesInputSchema, type DraftedTestCase, type TestCasesDraft, type TestCasesInput, type TestPriority, type TestType } from "@/lib/kinds/test-case/schema";
import type { AcceptanceCriterion, RequirementCategory } from "@/lib/requirements/schema";
import { findPhrases } from "../cues";
import { VAGUE_WORDS } from "../lexicon";
import { upperFirst } from "../phrase";
import { confidenceOf, durationSeconds, figuresOf, plural, readGoal, requirementsOf, uniqueIds, type Figure } from "./reading";

export { testCasesInputSchema };

const TYPE_BY_CATEGORY: Record<RequirementCategory, TestType> = {
  functional: "functional",
  performance: "performance",
  scalability: "performance",
  security: "security",
  legal: "compliance",
  usability: "accessibility",
  look_and_feel: "accessibility",
  availability: "reliability",
  fault_tolerance: "reliability",
  operational: "reliability",
  maintainability: "reliability",
  portability: "compatibility",
};
const HIGH_PRIORITY = new Set<RequirementCategory>(["security", "legal", "availability", "fault_tolerance"]);
const MONEY_WORDS = ["refund", "payment", "charge", "price", "fee", "invoice", "euros", "dollars", "pounds"];
const PEOPLE = ["Ana", "Ben", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana"];

/**
 * draft-test-cases: one test case per acceptance criterion, with data a tester can set up: a named
 * person, a numbered thing, and for every figure the values on both sides of its boundary (a
 * refund of 20.01 and of exactly 20 euros for "above 20 euros"), so the test checks the
 * criterion instead of repeating it.
 */
export function draftTestCases(input: TestCasesInput): TestCasesDraft {
  let sequence = 0;
  const testCases = input.stories.flatMap((story) => {
    const requirements = requirementsOf(story, input.requirements);
    return story.acceptanceCriteria.map((criterion, criterionIndex): DraftedTestCase => {
      sequence += 1;
      return { id: `TC${sequence}`, ...testFor(story, criterion, criterionIndex, requirements, sequence) };
    });
  });
  return { testCases, openQuestions: [] };
}

function testFor(story: UpstreamStory, criterion: AcceptanceCriterion, criterionIndex: number, requirements: UpstreamRequirement[], sequence: number): Omit<DraftedTestCase, "id"> {
  const action = readGoal(story.goal);
  const category = requirements[0]?.category ?? "functional";
  const person = `${roleNoun(story.role)} ${PEOPLE[sequence % PEOPLE.length]}`;
  const thing = action.entity ? `${action.entity} ${action.entity.charAt(0).toUpperCase()}-${1000 + sequence}` : null;
  // a story of one criterion is its requirement; with more, only the criterion's own figures are its
  const figure = figuresOf(story.acceptanceCriteria.length === 1 ? `${criterion.then} ${requirements.map((requirement) => requirement.statement).join(" ")}` : criterion.then)[0];
  const vague = figure ? [] : findPhrases(criterion.then, VAGUE_WORDS);
  const example = exampleSteps(criterion, person, thing, action, roleNoun(story.role));
  const steps = figure ? boundarySteps(figure, example, person, thing, action.entity) : example;
  const money = findPhrases(`${story.goal} ${criterion.then}`, MONEY_WORDS).length > 0;
  const priority: TestPriority = HIGH_PRIORITY.has(category) || money || /\b(?:cannot|never)\b/.test(criterion.then) ? "high" : vague.length > 0 ? "low" : "medium";
  const reasons = vague.length > 0 ? [`the criterion says '${vague.join("', '")}' with no figure: the expected value is the tester's judgement until one is set`] : [];
  return {
    title: `${story.ref} criterion ${criterionIndex + 1}: ${figure ? `boundary of '${figure.text}'` : upperFirst(action.phrase)}`,
    storyId: story.id,
    criterionIndex,
    criterion,
    ...steps,
    type: TYPE_BY_CATEGORY[category],
    priority,
    derivedFrom: uniqueIds([story.id, ...requirements.map((requirement) => requirement.id)]),
    ...confidenceOf(reasons),
  };
}

/** "rider who is blind" -> "rider who is blind"; "bike-share administrator" stays; used as "rider Ana". */
const roleNoun = (role: string) => role.replace(/^(?:a|an|the)\s+/i, "");

type Steps = { given: string; when: string; then: string };

/** Values on both sides of the figure, so the test fails if the boundary is off by one. */
function boundarySteps(figure: Figure, example: Steps, person: string, thing: string | null, entity: string | null): Steps {
  const seconds = durationSeconds(figure);
  const unit = figure.unit || "";
  const amount = (value: number) => `${value}${unit ? ` ${unit}` : ""}`;
  if (figure.unit === "%") {
    const hours = (((100 - figure.value) / 100) * 30 * 24).toFixed(1);
    return { given: "a 30-day window of health-probe results, one probe a minute", when: "availability is computed from the probes that failed", then: `the service was down for at most ${hours} hours (${figure.value}% of 43,200 probes passed)` };
  }
  if (figure.bound === "at_least") {
    return { given: `${figure.value.toLocaleString("en")} simulated users with test accounts`, when: "they all act at once for 15 minutes", then: "fewer than 1% of their requests fail and response times stay within the targets the requirements set" };
  }
  if (seconds !== null && seconds <= 600) {
    return { given: `${example.given}, on a mid-range phone over a 4G connection`, when: `${example.when}, 20 times in a row`, then: `all 20 pass and the slowest takes at most ${amount(figure.value)} (each duration recorded)` };
  }
  const subject = thing ?? "a record";
  if (seconds !== null) {
    const exactly = amount(figure.value);
    return figure.bound === "above"
      ? { given: `${subject} aged ${exactly} and 1 day, and another aged exactly ${exactly}`, when: "the rule is applied to both", then: `the one aged ${exactly} and 1 day is deleted; the one aged exactly ${exactly} is kept` }
      : { given: `${subject} made exactly ${exactly} ago, and another made ${exactly} and 1 day ago`, when: `${person} acts on both`, then: `the first is accepted; the second is refused with a message naming the ${exactly} limit` };
  }
  if (figure.bound === "below" && entity) {
    const limit = figure.value - 1;
    return { given: `${person} already has ${limit} ${plural(entity)} in the current period`, when: `one more ${entity} is due for ${person}`, then: `it is held back: ${person} still has ${limit}, and it goes out in the next period` };
  }
  const inside = figure.bound === "above" ? figure.value + (Number.isInteger(figure.value) && /euro|dollar|pound|€|\$|£/.test(unit) ? 0.01 : 1) : figure.value;
  const outside = figure.bound === "above" ? figure.value : figure.value + 1;
  return {
    given: `${subject} at ${amount(inside)}, and another at ${amount(outside)}`,
    when: `${example.when}, for each`,
    then: `at ${amount(inside)}: ${example.then}; at ${amount(outside)} the rule does not apply, and ${person} sees which one was treated how`,
  };
}

const NOTIFY_VERBS = new Set(["send", "notify", "warn", "alert", "remind", "email", "message", "inform"]);
const READ_VERBS = new Set(["show", "display", "list", "see", "view", "find", "search", "browse", "count", "track"]);

/**
 * No figure: the criterion as a worked example. The role becomes a named person, the thing a
 * numbered record, and the Then gains the read-back a tester does to see it happened.
 */
function exampleSteps(criterion: AcceptanceCriterion, person: string, thing: string | null, action: ReturnType<typeof readGoal>, role: string): Steps {
  const concrete = (text: string) => {
    let result = text.replace(new RegExp(`\\b(?:a|an|the)\\s+${escape(role)}\\b`, "gi"), person);
    if (thing && action.entity) result = result.replace(new RegExp(`\\b(?:a|an|the|every|each|any)\\s+(?:[\\w-]+\\s+)?${escape(action.entity)}s?\\b`, "i"), thing);
    return result;
  };
  const generic = / using /.test(criterion.given);
  const given = generic ? `${person} is signed in${thing ? `, and ${thing} exists` : ""}` : `${concrete(criterion.given)}${thing && !concrete(criterion.given).includes(thing) ? `; ${thing} exists` : ""}`;
  const then = concrete(criterion.then);
  const refused = /\b(?:cannot|never|not|stopped|refused)\b/.test(then);
  const target = thing ?? "the record";
  const readBack = refused
    ? `${target} is unchanged when read back`
    : NOTIFY_VERBS.has(action.verb)
      ? `the outbox holds exactly one message for ${person}`
      : READ_VERBS.has(action.verb)
        ? `${target} appears with its current values`
        : `reading ${target} back through the API shows the change`;
  return { given, when: concrete(criterion.when), then: `${then}; ${readBack}` };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
