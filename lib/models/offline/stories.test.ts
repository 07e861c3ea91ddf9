import { describe, expect, it } from "vitest";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import { checkUserStoryDraft } from "@/lib/requirements/quality";
import { userStoriesDraftSchema, type StoriesInput } from "@/lib/requirements/schema";
import { draftRequirements, draftUserStories } from "./index";
import { inputOf, TEST_NOTES } from "./test-notes";

const input: StoriesInput = {
  project: { name: "Bike-share rider app", brief: "A rider app for the city bike-share: find, unlock and return bikes, pay, and report problems." },
  requirements: [
    { ref: "REQ-1", statement: "Riders must be able to unlock a bike by scanning the QR code on the handlebar.", category: "functional" },
    { ref: "REQ-2", statement: "The lock must open within 5 seconds.", category: "performance" },
    { ref: "REQ-3", statement: "Mechanics must be able to flag a bike as broken from the app, so it disappears from the map until it is repaired.", category: "functional" },
    { ref: "REQ-4", statement: "The system must send a receipt when the bike is docked.", category: "functional" },
    { ref: "REQ-5", statement: "The app must be fast and user-friendly.", category: "usability" },
    { ref: "REQ-6", statement: "Riders must not be able to end a ride outside a dock, even when a station is full.", category: "functional" },
    { ref: "REQ-7", statement: "Every access to a rider's account must be logged.", category: "security" },
    { ref: "REQ-8", statement: "Payment data must never be stored on our servers.", category: "security" },
  ],
};

describe("draftUserStories", () => {
  const draft = draftUserStories(input);
  const storyFor = (ref: string) => draft.stories.find((story) => story.requirementRefs.includes(ref))!;

  it("satisfies the output contract with one story per requirement", () => {
    expect(userStoriesDraftSchema.safeParse(draft).success).toBe(true);
    expect(draft.stories.map((story) => story.requirementRefs)).toEqual(input.requirements.map(({ ref }) => [ref]));
  });

  it("takes the role from the requirement's subject and the goal from its verb phrase", () => {
    expect(storyFor("REQ-1")).toMatchObject({ role: "rider", goal: "to unlock a bike by scanning the QR code on the handlebar", unsure: null });
    expect(storyFor("REQ-3").role).toBe("mechanic");
  });

  it("assumes a role when the requirement names none, and says so", () => {
    expect(storyFor("REQ-4")).toMatchObject({ role: "rider", goal: "the system to send a receipt when the bike is docked" });
    expect(storyFor("REQ-4").unsure).toMatch(/'rider' is assumed/);
    expect(storyFor("REQ-7").role).toBe("bike-share administrator");
  });

  it("takes the benefit from a 'so' clause, else from what the goal does, else from the category", () => {
    expect(storyFor("REQ-3").benefit).toBe("it disappears from the map until it is repaired");
    expect(storyFor("REQ-2").benefit).toBe("I do not lose time waiting");
    expect(storyFor("REQ-1").benefit).toBe("I am not kept waiting for staff to do it for me");
    expect(storyFor("REQ-4").benefit).toBe("nobody has to chase the receipt");
    expect(storyFor("REQ-6").benefit).toBe("the bike-share's rules on rides hold even when someone tries to get round them");
  });

  it("gives functional stories benefits that differ with what they do, and that the story checks accept", () => {
    const functional = input.requirements.filter((requirement) => requirement.category === "functional").map(({ ref }) => storyFor(ref));
    expect(new Set(functional.map((story) => story.benefit)).size).toBe(functional.length);
    expect(functional.flatMap((story) => checkUserStoryDraft(story)).filter((flag) => flag.code === "tautological_story")).toEqual([]);
  });

  it("keeps the statement's figures and constraints in the Then clause", () => {
    const [criterion] = storyFor("REQ-2").acceptanceCriteria;
    expect(criterion.then).toBe("the lock opens within 5 seconds");
  });

  it("writes a person's action as the action in When and the state it leaves in Then, not the goal again", () => {
    expect(storyFor("REQ-1").acceptanceCriteria[0]).toEqual({
      given: "a rider using Bike-share rider app",
      when: "the rider unlocks a bike by scanning the QR code on the handlebar",
      then: "the bike is unlocked and the rider gets a confirmation",
    });
    expect(checkUserStoryDraft(storyFor("REQ-1"))).toEqual([]);
  });

  it("makes the event a system reacts to the When", () => {
    expect(storyFor("REQ-4").acceptanceCriteria[0]).toMatchObject({ when: "the bike is docked", then: "the system sends a receipt" });
  });

  it("writes a prohibition as what the person cannot do, wanted by the organisation", () => {
    const story = storyFor("REQ-6");
    expect(story.role).toBe("bike-share staff member");
    expect(story.acceptanceCriteria[0]).toMatchObject({
      when: "the rider tries to end a ride outside a dock, even when a station is full",
      then: "the rider is stopped with a reason, and the ride is not ended",
    });
  });

  it("keeps 'never' without adding a second negation", () => {
    expect(storyFor("REQ-8").goal).toBe("payment data to never be stored on our servers");
    expect(storyFor("REQ-8").acceptanceCriteria[0].then).toBe("payment data is never stored on our servers");
  });

  it("gives vague requirements lower confidence and says why", () => {
    expect(storyFor("REQ-5").confidence).toBeLessThan(storyFor("REQ-1").confidence);
    expect(storyFor("REQ-5").unsure).toMatch(/vague wording.*'fast', 'user-friendly'/);
  });

  it("restates a statement it cannot parse, with low confidence", () => {
    const [story] = draftUserStories({ ...input, requirements: [{ ref: "REQ-9", statement: "Dark mode.", category: "look_and_feel" }] }).stories;
    expect(userStoriesDraftSchema.safeParse({ stories: [story] }).success).toBe(true);
    expect(story.unsure).toMatch(/not phrased as/);
    expect(story.confidence).toBeLessThan(0.75);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(draftUserStories(structuredClone(input)))).toBe(JSON.stringify(draft));
  });
});

describe("stories drafted from real notes", () => {
  const operations = { name: "Operations tools", brief: "Tools for our staff and customers." };
  const inputs = [
    { project: input.project, sources: loadDemoNotes().map((note, index) => ({ id: `source-${index + 1}`, ...note })) },
    ...[TEST_NOTES.schoolLunch, TEST_NOTES.requirementsDocument, TEST_NOTES.warehouseReturns, TEST_NOTES.gymApp].map((note) => inputOf(note, operations)),
  ];
  const drafted = inputs.map((sources) => {
    const requirements = draftRequirements(sources).requirements.map(({ statement, category }, index) => ({ ref: `REQ-${index + 1}`, statement, category }));
    return { requirements, stories: draftUserStories({ project: sources.project, requirements }).stories };
  });
  const stories = drafted.flatMap((domain) => domain.stories);

  // Before this drafter read the goal, 80 of 106 functional stories on these notes ended "so that it does not depend on someone doing it by hand".
  it("give functional stories benefits that follow from what they do, no single one dominating", () => {
    const functional = drafted.flatMap(({ requirements, stories: drafts }) => drafts.filter((story) => requirements.find((requirement) => requirement.ref === story.requirementRefs[0])?.category === "functional"));
    const counts = new Map<string, number>();
    for (const story of functional) counts.set(story.benefit, (counts.get(story.benefit) ?? 0) + 1);
    expect(Math.max(...counts.values()) / functional.length).toBeLessThan(0.15);
    expect(functional.some((story) => story.benefit === "it does not depend on someone doing it by hand")).toBe(false);
  });

  it("observe most criteria in a situation of their own, not 'the <role> uses <product>'", () => {
    const criteria = stories.flatMap((story) => story.acceptanceCriteria);
    expect(criteria.filter((criterion) => / uses (?:Bike-share rider app|Operations tools)$/.test(criterion.when)).length / criteria.length).toBeLessThan(0.15);
  });
});
