import { describe, expect, it } from "vitest";
import { userStoriesDraftSchema, type StoriesInput } from "@/lib/requirements/schema";
import { draftUserStories } from "./index";

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

  it("takes the benefit from a 'so' clause, else from the category", () => {
    expect(storyFor("REQ-3").benefit).toBe("it disappears from the map until it is repaired");
    expect(storyFor("REQ-2").benefit).toBe("I do not lose time waiting");
  });

  it("keeps the statement's figures and constraints in the Then clause", () => {
    const [criterion] = storyFor("REQ-2").acceptanceCriteria;
    expect(criterion.then).toBe("the lock opens within 5 seconds");
    expect(storyFor("REQ-1").acceptanceCriteria[0]).toEqual({
      given: "a rider using Bike-share rider app",
      when: "the rider tries to unlock a bike",
      then: "the rider can unlock a bike by scanning the QR code on the handlebar",
    });
  });

  it("writes a prohibition as what the person cannot do, wanted by the organisation", () => {
    const story = storyFor("REQ-6");
    expect(story.role).toBe("bike-share staff member");
    expect(story.acceptanceCriteria[0].then).toBe("the rider cannot end a ride outside a dock, even when a station is full");
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
