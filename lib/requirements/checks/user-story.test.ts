import { describe, expect, it } from "vitest";
import { checkUserStory, type StoryDraft } from "./user-story";

const good: StoryDraft = {
  role: "borrower",
  goal: "to renew a loan online",
  benefit: "I avoid a late fee without visiting the library",
  acceptanceCriteria: [{ given: "a loan due tomorrow", when: "the borrower renews it", then: "the due date moves 21 days later" }],
};

const story = (changes: Partial<StoryDraft>): StoryDraft => ({ ...good, ...changes });
const codesOf = (draft: StoryDraft) => checkUserStory(draft).map((flag) => flag.code);
const flagOf = (draft: StoryDraft, code: string) => checkUserStory(draft).find((flag) => flag.code === code);

describe("checkUserStory", () => {
  it("passes a story whose parts each say something", () => {
    expect(checkUserStory(good)).toEqual([]);
    expect(checkUserStory(story({ goal: "to be notified when my bike is docked", benefit: "I know the ride has ended" }))).toEqual([]);
  });

  describe("malformed", () => {
    it("catches the issue's pronoun-only goal", () => {
      const flag = flagOf(story({ goal: "switch between me in one tap" }), "malformed");
      expect(flag?.words).toEqual(["switch between me"]);
      expect(flag?.message).toContain("acts on 'me' without saying what that is");
    });

    it.each([
      [{ goal: "to see it" }, ["see it"]],
      [{ goal: "to, um, correct a payslip" }, ["um"]],
      [{ goal: "to scan parcels at pickup and at" }, ["at"]],
      [{ benefit: "I avoid a <i>late</i> fee" }, ["<i>", "</i>"]],
      [{ role: "**borrower**" }, ["**"]],
    ])("catches fragments, fillers and markup: %o", (changes, words) => {
      expect(flagOf(story(changes), "malformed")?.words).toEqual(words);
    });
  });

  describe("tautological_story", () => {
    it("catches a benefit that restates the goal", () => {
      const flag = flagOf(story({ goal: "to book an appointment", benefit: "so that I can book" }), "tautological_story");
      expect(flag?.message).toContain("only restates the goal");
    });

    it.each([[{ role: "I" }], [{ role: "" }], [{ role: "a user" }], [{ benefit: "it works" }], [{ benefit: "so that I can renew a loan" }]])(
      "catches a role that names nobody or a benefit that gives no reason: %o",
      (changes) => {
        expect(codesOf(story(changes))).toContain("tautological_story");
      },
    );
  });

  describe("untestable_criterion", () => {
    it.each([
      [{ given: "TBD", when: "the borrower renews it", then: "the due date moves" }, "no real 'given'"],
      [{ given: "a loan", when: "...", then: "" }, "no real 'when', 'then'"],
      [{ given: "a loan", when: "the borrower renews it", then: "it works correctly" }, "cannot be observed"],
      [{ given: "a loan", when: "the borrower renews it", then: "the renewal is handled properly" }, "cannot be observed"],
      [{ given: "a loan", when: "the borrower opens it", then: "the borrower can renew a loan online" }, "only restates the goal"],
    ])("catches %o", (criterion, reason) => {
      expect(flagOf(story({ acceptanceCriteria: [criterion] }), "untestable_criterion")?.message).toContain(reason);
    });

    it("accepts an observed outcome, even one that repeats the goal's words", () => {
      const criterion = { given: "a loan due tomorrow", when: "the borrower renews it online", then: "the loan is renewed online and the new due date is shown" };
      expect(checkUserStory(story({ acceptanceCriteria: [criterion] }))).toEqual([]);
      const vagueButObserved = { given: "a loan", when: "the borrower renews it", then: "the new due date is shown correctly" };
      expect(checkUserStory(story({ acceptanceCriteria: [vagueButObserved] }))).toEqual([]);
    });
  });
});
