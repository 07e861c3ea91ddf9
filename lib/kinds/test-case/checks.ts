import type { AcceptanceCriterion } from "@/lib/requirements/schema";
import { stem } from "@/lib/requirements/checks/text";
import { compactFlags, hasFigure, missingFromTrace, untraced, vagueWordsIn, type KindFlag, type KindCheckContext } from "../draft-parts";
import type { TestCaseContent } from "./schema";

export const testCaseFlagCodes = ["untraced", "story_not_traced", "restates_criterion", "untestable_outcome"] as const;
export type TestCaseFlag = KindFlag<(typeof testCaseFlagCodes)[number]>;

const words = (text: string) => new Set(text.toLowerCase().split(/[^\p{L}\p{N}%.-]+/u).filter((word) => word.length > 2).map(stem));

/** A test whose every step only repeats its criterion adds no data: no values, no setup a tester could reproduce. */
function restates(test: TestCaseContent, criterion: AcceptanceCriterion): boolean {
  const criterionWords = words(`${criterion.given} ${criterion.when} ${criterion.then}`);
  const testWords = words(`${test.given} ${test.when} ${test.then}`);
  const added = [...testWords].filter((word) => !criterionWords.has(word));
  return added.length < 3 && !/\d/.test(`${test.given} ${test.when}`.replace(/\d/g, (digit) => (`${criterion.given} ${criterion.when}`.includes(digit) ? "" : digit)));
}

/** Checks of one test case: it tests its criterion with concrete data, and ends in something a tester can observe. */
export function checkTestCase(test: TestCaseContent, context: KindCheckContext): TestCaseFlag[] {
  const vague = vagueWordsIn(test.then);
  return compactFlags<TestCaseFlag>([
    untraced(test.derivedFrom, context.upstreamIds),
    missingFromTrace("story_not_traced", [test.storyId], test.derivedFrom, "The test case tests the story"),
    restates(test, test.criterion)
      ? {
          code: "restates_criterion",
          words: [test.then],
          message: "The steps repeat the acceptance criterion without data: name the person, the record and the values (both sides of any limit) so two testers run the same test.",
        }
      : null,
    vague.length > 0 && !hasFigure(test.then)
      ? { code: "untestable_outcome", words: vague, message: `The expected result says ${vague.map((word) => `'${word}'`).join(", ")} with no value: a tester cannot tell pass from fail. Give the expected value.` }
      : null,
  ]);
}
