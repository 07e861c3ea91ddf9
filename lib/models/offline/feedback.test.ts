import { describe, expect, it } from "vitest";
import { correctFigure, figureCorrection, namedCategory, redraftFeedbackOf, reviseWithFeedback, splitStatement } from "./feedback";
import { writeDraft } from "./tasks";

const requirement = (statement: string, extra: Record<string, unknown> = {}) => ({
  id: "R1",
  statement,
  category: "functional",
  sources: [{ sourceId: "s1", quote: statement }],
  confidence: 0.8,
  unsure: null,
  ...extra,
});

const feedbackOn = (comment: string, rejected: Record<string, unknown>) => ({ comment, rejectedBy: "Rita", ref: "REQ-3", version: 1, listKey: "requirements", rejected });

describe("reading a rejection's comment", () => {
  it("finds the figure it corrects, whichever way round it is said", () => {
    expect(figureCorrection("Should be 5 minutes, not 10 minutes")).toEqual({ to: "5", from: "10", unit: "minutes" });
    expect(figureCorrection("not 10 but 5 days")).toEqual({ from: "10", to: "5", unit: "days" });
    expect(figureCorrection("change it from 3 to 2 renewals")).toEqual({ from: "3", to: "2", unit: "renewals" });
    expect(figureCorrection("the limit is two, not three")).toEqual({ to: "two", from: "three", unit: null });
    expect(figureCorrection("must answer within 2 seconds")).toEqual({ from: null, to: "2", unit: "seconds" });
    expect(figureCorrection("wrong, and 3 or 4 are both wrong")).toBeNull();
    expect(figureCorrection("too vague")).toBeNull();
  });

  it("corrects the named figure, or the only one, keeping or replacing its unit", () => {
    expect(correctFigure("Renewals must be limited to three per item.", { from: "three", to: "2", unit: null })).toBe("Renewals must be limited to 2 per item.");
    expect(correctFigure("Notices must be sent 1 day before the due date.", { from: null, to: "2", unit: "days" })).toBe("Notices must be sent 2 days before the due date.");
    expect(correctFigure("Search must answer within 10 seconds.", { from: "10", to: "500", unit: "ms" })).toBe("Search must answer within 500 ms.");
    expect(correctFigure("Search must be fast.", { from: null, to: "2", unit: "seconds" })).toBeNull();
    expect(correctFigure("Between 7 and 22 hours.", { from: null, to: "5", unit: null })).toBeNull();
  });

  it("takes the one category the comment names and does not negate", () => {
    expect(namedCategory("This is security, not functional")).toBe("security");
    expect(namedCategory("look and feel is wrong here, it is about look-and-feel")).toBe("look_and_feel");
    expect(namedCategory("should be fault tolerance")).toBe("fault_tolerance");
    expect(namedCategory("either legal or security")).toBeNull();
    expect(namedCategory("too vague")).toBeNull();
  });

  it("splits a compound statement into one per part, keeping its subject", () => {
    expect(splitStatement("The system must log every access and keep member data in the country.")).toEqual([
      "The system must log every access.",
      "The system must keep member data in the country.",
    ]);
    expect(splitStatement("The system must be fast and user-friendly.")).toEqual(["The system must be fast.", "The system must be user-friendly."]);
    expect(splitStatement("Members must be able to renew a loan online.")).toBeNull();
  });
});

describe("re-drafting with feedback", () => {
  const drafted = {
    requirements: [requirement("The catalogue search must be fast."), requirement("Renewals must be limited to three per item.", { id: "R2" })],
    conflicts: [{ description: "x", requirementIds: ["R1", "R2"], sources: [] }],
    openQuestions: [],
  };

  it("keeps only the item that stands for the rejected one, and acts on a figure and a category", () => {
    const revised = reviseWithFeedback(drafted, feedbackOn("The limit is 2, not three. And this is operational.", requirement("Renewals must be limited to three per item."))) as typeof drafted;
    expect(revised.requirements).toHaveLength(1);
    expect(revised.requirements[0]).toMatchObject({ id: "R2", statement: "Renewals must be limited to 2 per item.", category: "operational" });
    expect(revised.requirements[0].unsure).toMatch(/Re-drafted after REQ-3 version 1 was rejected\. Changed: category set to operational.*three corrected to 2/);
    // The conflict named an item that is no longer in the answer.
    expect(revised.conflicts).toEqual([]);
  });

  it("says what it could not act on, so the reviewer sees it", () => {
    const vague = reviseWithFeedback(drafted, feedbackOn("Too vague.", requirement("The catalogue search must be fast."))) as typeof drafted;
    expect(vague.requirements[0].statement).toBe("The catalogue search must be fast.");
    expect(vague.requirements[0].unsure).toMatch(/Not changed: the feedback calls it vague, but the quoted passages give no figure/);
    const unknown = reviseWithFeedback(drafted, feedbackOn("I do not like it", requirement("The catalogue search must be fast."))) as typeof drafted;
    expect(unknown.requirements[0].unsure).toMatch(/could not act on the feedback/);
  });

  it("splits into parts when asked", () => {
    const compound = { requirements: [requirement("The system must log every access and keep member data in the country.")], conflicts: [], openQuestions: [] };
    const revised = reviseWithFeedback(compound, feedbackOn("Please split this into two requirements", compound.requirements[0])) as typeof drafted;
    expect(revised.requirements.map((item) => [item.id, item.statement])).toEqual([
      ["R1-1", "The system must log every access."],
      ["R1-2", "The system must keep member data in the country."],
    ]);
  });

  it("corrects a figure in another kind's text fields, leaving its references and category alone", () => {
    const story = { id: "S1", role: "member", goal: "renew a loan up to 5 days before it is due", benefit: "I keep the book", requirementRefs: ["REQ-2"], confidence: 0.7, unsure: null };
    const rejected = { ...story };
    const revised = reviseWithFeedback({ stories: [story] }, { ...feedbackOn("3 days, not 5. This is security.", rejected), listKey: "stories" }) as { stories: (typeof story & { category?: string })[] };
    expect(revised.stories[0]).toMatchObject({ goal: "renew a loan up to 3 days before it is due", requirementRefs: ["REQ-2"] });
    expect(revised.stories[0].category).toBeUndefined();
  });

  it("is what the offline drafter answers when the step input carries feedback, read as data", () => {
    const input = {
      project: { name: "Library", brief: "Loans" },
      sources: [{ id: "s1", title: "Notes", kind: "interview", text: "Renewals should be limited to three per item." }],
    };
    const plain = JSON.parse(writeDraft("requirements_draft", { input })) as typeof drafted;
    const rejected = plain.requirements[0];
    const feedback = feedbackOn("two, not three", rejected);
    expect(redraftFeedbackOf({ ...input, feedback })).toEqual(feedback);
    expect(redraftFeedbackOf({ ...input, feedback: { comment: "" } })).toBeNull();
    const redrafted = JSON.parse(writeDraft("requirements_draft", { input: { ...input, feedback } })) as typeof drafted;
    expect(redrafted.requirements).toHaveLength(1);
    expect(rejected.statement).toBe("Renewals must be limited to three per item.");
    expect(redrafted.requirements[0].statement).toBe("Renewals must be limited to two per item.");
    expect(redrafted.requirements[0].sources).toEqual(rejected.sources);
  });
});
