import { describe, expect, it } from "vitest";
import { draftRequirements } from "./requirements";
import { inputOf, readTestNote, TEST_NOTES } from "./test-notes";
import { tokenizeSentences } from "./nlp";
import { withoutFillers } from "./clauses";

/**
 * A rambling interview of our own: fillers, self-corrections, a speaker who breaks off
 * ("after... actually") and two deadlines for the same numbers. Fillers must not reach a
 * statement, a broken-off clause must not be drafted, and the two deadlines must be a conflict.
 */
const project = { name: "School lunch ordering", brief: "Parents order and pay for school lunches online; the school kitchen gets the numbers." };
const input = inputOf(TEST_NOTES.schoolLunch, project);
const text = readTestNote(TEST_NOTES.schoolLunch);
const draft = draftRequirements(input);
const statements = draft.requirements.map((requirement) => requirement.statement);

const FILLERS = /\b(?:actually|to be honest|honestly|I think|I guess|you know|I mean|basically|um|uh|okay so)\b|^(?:Like|Well|So|Right|Okay),/i;
// actor, "must", then a verb phrase that ends where a sentence can end
const COMPLETE = /^[A-Z][\w'’ -]*? must (?:not |never |also |only |be able to )*[a-z]+\b.*\.$/;
const DANGLING_END = /\b(?:after|before the|by|to|the|a|an|and|or|of|with)\.$/i;

describe("an interview full of fillers and a broken-off sentence", () => {
  it("keeps fillers out of every statement, while quotes stay verbatim", () => {
    for (const statement of statements) expect(statement, statement).not.toMatch(FILLERS);
    for (const requirement of draft.requirements) for (const source of requirement.sources) expect(text).toContain(source.quote);
  });

  it("drafts no fragment: every statement has an actor, 'must' and a verb phrase", () => {
    for (const statement of statements) {
      expect(statement, statement).toMatch(COMPLETE);
      expect(statement, statement).not.toMatch(DANGLING_END);
    }
    expect(statements.some((statement) => /change after\b/i.test(statement))).toBe(false);
  });

  it("drafts the requirement the speaker went on to say after breaking off", () => {
    expect(statements).toContain("School staff must have the final numbers by 8:00 the day before, otherwise the supplier won't deliver.");
  });

  it("reads the spoken forms of a requirement", () => {
    expect(statements).toContain("Parents must be able to order lunch for the whole week on their phone.");
    expect(statements).toContain("The system must not allow a child going without lunch because the balance is empty.");
    expect(statements).toContain("The menu must be printable for the noticeboard.");
  });

  it("reports the two deadlines for the final numbers as a conflict, quoting both passages", () => {
    const conflict = draft.conflicts.find((item) => item.description.includes("14:00") && item.description.includes("8:00"));
    expect(conflict, JSON.stringify(draft.conflicts, null, 2)).toBeDefined();
    const quotes = conflict!.sources.map((source) => source.quote).join("\n");
    expect(quotes).toContain("The kitchen needs the final numbers by 14:00 on the day before.");
    expect(quotes).toContain("school staff must have the final numbers by 8:00 the day before");
    for (const id of conflict!.requirementIds) {
      expect(draft.requirements.find((requirement) => requirement.id === id)?.unsure).toMatch(/contradicted by/i);
    }
  });

  it("updates a requirement the speaker corrects right after, quoting both and telling the reviewer", () => {
    const cancel = draft.requirements.find((requirement) => requirement.statement.includes("cancel a meal"));
    expect(cancel?.statement).toBe("A parent must be able to cancel a meal until 8:30 on the day itself.");
    expect(cancel?.unsure).toMatch(/corrected "9:00" to "8:30" right after: "No wait, sorry, until 8:30/);
    expect(cancel?.sources.map((source) => source.quote)).toEqual([
      "Right, so, a parent should be able to cancel a meal until 9:00 on the day itself.",
      "No wait, sorry, until 8:30, the cook said 8:30.",
    ]);
    // One speaker putting their own figure right is an update, not a contradiction.
    expect(draft.conflicts.some((conflict) => conflict.requirementIds.includes(cancel!.id))).toBe(false);
  });
});

describe("withoutFillers", () => {
  const strip = (sentence: string) =>
    withoutFillers(sentence, tokenizeSentences(sentence).flat())
      .map((token) => token.text)
      .join(" ");

  it.each([
    ["Well, basically, parents need to order.", "parents need to order"],
    ["Um, so, the app must, you know, show the menu.", "the app must show the menu"],
    ["I think they should see the menu.", "they should see the menu"],
    ["And I guess it should integrate with payroll.", "And it should integrate with payroll"],
    ["Actually, to be honest, staff must have the numbers.", "staff must have the numbers"],
    ["Okay so, the menu has to be printable.", "the menu has to be printable"],
  ])("%j -> %j", (sentence, expected) => {
    expect(strip(sentence)).toBe(expected);
  });

  it("keeps words that only look like fillers", () => {
    expect(strip("Users must upload a document, like a photo of the registration.")).toBe("Users must upload a document like a photo of the registration");
    expect(strip("Right now the kitchen uses paper.")).toBe("Right now the kitchen uses paper");
  });
});
