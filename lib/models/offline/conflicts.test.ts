import { describe, expect, it } from "vitest";
import { draftRequirements } from "./requirements";

/** Contradictions inside one source are found like those between sources, each side quoted. */
const project = { name: "Clinic booking", brief: "Patients book appointments at the clinic online." };
const draftOf = (text: string, kind: "email" | "interview" | "meeting_notes" = "email") =>
  draftRequirements({ project, sources: [{ id: "s1", title: "Notes", kind, text }] });

describe("contradictions within one source", () => {
  it("finds opposite obligations in two passages", () => {
    const draft = draftOf("Patients must be able to cancel an appointment online.\n\nLater on: patients must not be able to cancel an appointment online, they have to call.");
    expect(draft.conflicts).toHaveLength(1);
    const [conflict] = draft.conflicts;
    expect(conflict.description).toMatch(/^"Notes" contradicts itself on whether patients may cancel/);
    expect(conflict.requirementIds).toHaveLength(2);
    expect(conflict.sources.map((source) => source.quote)).toEqual([
      "Patients must be able to cancel an appointment online.",
      "patients must not be able to cancel an appointment online",
    ]);
  });

  it("finds different deadlines for the same thing", () => {
    const draft = draftOf("A: Reminders must be sent by 18:00 the day before.\n\nA: Oh, and reminders must be sent by 9am the day before.", "interview");
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].description).toMatch(/"18:00".*"9am"/);
    expect(draft.conflicts[0].sources).toHaveLength(2);
  });

  it("reads the same time written two ways as one figure", () => {
    expect(draftOf("Reminders must be sent by 5 pm.\n\nIn short, reminders must be sent by 17:00.").conflicts).toEqual([]);
  });

  it("does not set a passage against itself", () => {
    expect(draftOf("Refunds must be paid within 7 days, and members must be refunded within 14 days.").conflicts).toEqual([]);
  });
});

describe("a figure challenged by a later passage", () => {
  it("reports the requirement and the passage that gives another figure", () => {
    const draft = draftOf(
      ["Priya: Tank readings must be kept for at least two years, for the audit.", "Tom: Right.", "Dana: The auditor said five years last time, Priya."].join("\n"),
      "meeting_notes",
    );
    expect(draft.conflicts).toHaveLength(1);
    const [conflict] = draft.conflicts;
    expect(conflict.description).toMatch(/"two years".*"five years"/);
    expect(conflict.requirementIds).toEqual([draft.requirements[0].id]);
    expect(conflict.sources.map((source) => source.quote)).toContain("The auditor said five years last time, Priya.");
  });

  it("leaves a later figure about something else alone", () => {
    const draft = draftOf(["Priya: Tank readings must be kept for at least two years.", "Tom: We brewed five batches last week."].join("\n"), "meeting_notes");
    expect(draft.conflicts).toEqual([]);
  });
});
