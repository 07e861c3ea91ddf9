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

  it("leaves different figures for different things alone, though they share a deadline's words", () => {
    // Booking closes an hour before departure; refunds close a day before: two rules, not one rule twice.
    const text = "Passengers must be able to book a crossing online up to one hour before departure.\nA booking must be refundable until 24 hours before departure.";
    expect(draftOf(text, "interview").conflicts).toEqual([]);
  });

  it("does not set a passage against itself", () => {
    expect(draftOf("Refunds must be paid within 7 days, and members must be refunded within 14 days.").conflicts).toEqual([]);
  });
});

describe("a figure challenged by a later passage", () => {
  it("reports the requirement and the passage that gives another figure, drafted as the other side", () => {
    const draft = draftOf(
      ["Priya: Tank readings must be kept for at least two years, for the audit.", "Tom: Right.", "Dana: The auditor said five years last time, Priya."].join("\n"),
      "meeting_notes",
    );
    expect(draft.conflicts).toHaveLength(1);
    const [conflict] = draft.conflicts;
    expect(conflict.description).toMatch(/"two years".*"five years"/);
    expect(conflict.sources.map((source) => source.quote)).toContain("The auditor said five years last time, Priya.");
    // People choose between two drafts: the requirement as said, and with the other figure, quoting the passage.
    const [said, other] = draft.requirements;
    expect(conflict.requirementIds).toEqual([said.id, other.id]);
    expect(other.statement).toBe("Tank readings must be kept for at least five years, for the audit.");
    expect(other.sources.map((source) => source.quote)).toEqual(["The auditor said five years last time, Priya."]);
    expect(other.category).toBe(said.category);
    expect(other.unsure).toMatch(/contradicts R1/i);
  });

  it("gives a figure said alone the unit of the one it challenges", () => {
    const draft = draftOf(["Kat: Households can collect three parcels a month.", "Sam: Okay.", "Lee: I thought we agreed four at the last trustees meeting?"].join("\n"), "meeting_notes");
    expect(draft.requirements.map((requirement) => requirement.statement)).toContain("Households must be able to collect four parcels a month.");
  });

  it("leaves alone a reply that finds the figure easy before giving one of its own, and turns a set-aside figure round", () => {
    const easy = draftOf(["Jo: The system must handle forty trips a year.", "Sam: That's small for us, our biggest customer runs about three thousand trips a year."].join("\n"), "meeting_notes");
    expect(easy.conflicts).toEqual([]);
    const turned = draftOf(["Gary: Cancellations must be twenty-four hours, not forty-eight.", "Jo: I thought we changed it to forty-eight last year."].join("\n"), "meeting_notes");
    expect(turned.requirements.map((requirement) => requirement.statement)).toEqual([
      "Cancellations must be twenty-four hours, not forty-eight.",
      "Cancellations must be forty-eight hours, not twenty-four.",
    ]);
  });

  it("takes the one figure of an objection that also says when, against a figure it does not measure", () => {
    const draft = draftOf(["Lorraine: Wasp treatments must cost fifty-five pounds.", "Kevin: Fifty-five? I thought cabinet put it up to sixty from April.", "Lorraine: We'll check with finance."].join("\n"), "meeting_notes");
    expect(draft.requirements.map((requirement) => requirement.statement)).toEqual(["Wasp treatments must cost fifty-five pounds.", "Wasp treatments must cost sixty pounds."]);
    expect(draft.conflicts).toHaveLength(1);
  });

  it("leaves a later figure about something else alone", () => {
    const draft = draftOf(["Priya: Tank readings must be kept for at least two years.", "Tom: We brewed five batches last week."].join("\n"), "meeting_notes");
    expect(draft.conflicts).toEqual([]);
  });
});

describe("disagreements in a conversation", () => {
  const call = (...lines: string[]) => draftOf(lines.join("\n"), "meeting_notes");

  it("finds another speaker's reply that objects with a figure of its own, though the reply is a requirement too", () => {
    const draft = call(
      "Morag: Vehicle bookings must close twenty-four hours before the sailing.",
      "Aileen: That's not what we do, though. We take cars at the desk up to two hours before, if there's space.",
      "Morag: We'll need to square that with the board.",
    );
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].description).toMatch(/"twenty-four hours".*"two hours"/);
    expect(draft.conflicts[0].sources.map((source) => source.quote)).toEqual([
      "Vehicle bookings must close twenty-four hours before the sailing.",
      "We take cars at the desk up to two hours before, if there's space.",
    ]);
  });

  it("finds an objection that gives a bare number", () => {
    const draft = call("Joanne: A household must be able to get three parcels in any six months.", "Dev: I thought we agreed four at the last trustees meeting?", "Joanne: Hmm, I'll check the minutes.");
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].description).toMatch(/"three parcels".*"four"/);
  });

  it("finds another speaker's figure put first after 'it's' ('It's twenty-four for the trust'), and one after an objection that the figure is too late", () => {
    const trust = call("Maria: The trust must pay the full fee if they cancel inside forty-eight hours.", "Dev: It's twenty-four for the trust, Maria.", "Maria: I'm sure they changed it.");
    expect(trust.conflicts).toHaveLength(1);
    expect(trust.conflicts[0].description).toMatch(/"forty-eight hours".*"twenty-four"/);
    const late = call(
      "Sandra: If a priority one route hasn't left the depot forty-five minutes after the call-out, it should flash up at me.",
      "Kev: That's too late. They're meant to be out of the gate in thirty, so flag it at thirty.",
      "Sandra: Hmm. Let's park that one.",
    );
    expect(late.conflicts).toHaveLength(1);
    expect(late.conflicts[0].description).toMatch(/"forty-five minutes".*"thirty"/);
  });

  it("quotes the passage that says the challenged figure, not a later one quoted beside it", () => {
    const draft = call(
      "Ingrid: If a technician has not checked out thirty minutes after the planned time, the control room gets an alert.",
      "Ben: Thirty minutes.",
      "Ingrid: Thirty, yes.",
      "Gareth: Forty-five minutes.",
      "Ingrid: No.",
    );
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].sources.map((source) => source.quote)).toEqual(["Thirty minutes.", "Forty-five minutes."]);
  });

  it("finds another speaker's figure said alone in reply, a few turns on", () => {
    const draft = call(
      "Ingrid: If a technician has not checked out thirty minutes after the planned time, the control room gets an alert.",
      "Ben: Thirty minutes.",
      "Ingrid: Thirty, yes.",
      "Gareth: In winter a hub job overruns all the time.",
      "Ingrid: I'd rather have false alarms.",
      "Ben: Okay, I'll capture both views. Gareth, what would you want?",
      "Gareth: Forty-five minutes.",
      "Ingrid: No.",
    );
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].description).toMatch(/"thirty minutes".*"Forty-five minutes"/);
    const tooLate = call("Ingrid: The control room must get an alert thirty minutes after the planned time.", ...Array.from({ length: 7 }, (_, turn) => `${turn % 2 ? "Ben" : "Gareth"}: Okay.`), "Gareth: Forty-five minutes.");
    expect(tooLate.conflicts).toEqual([]);
  });

  it("finds a figure said as today's in reply, and a stated policy with another figure", () => {
    const now = call("Dolores: Customers must get a ten-day notice before any shut-off.", "Angela: It's fifteen days now. Council changed the ordinance.", "Dolores: My letters still say ten.");
    expect(now.conflicts).toHaveLength(1);
    expect(now.conflicts[0].description).toMatch(/"ten-day".*"fifteen days"/);
    const policy = draftOf("- Please keep entries and the supporting documents for four years.\n\nMarcus has asked me to add that our policy is six years for everything customs-related.");
    expect(policy.conflicts).toHaveLength(1);
    expect(policy.conflicts[0].description).toMatch(/"four years".*"six years"/);
  });

  it("finds a figure someone else gave, reported and left open in the same turn", () => {
    const draft = call("Lorraine: Growers expect their money within ten working days of delivery. Actually, the board said seven last season, so check with finance.", "Sam: Will do.");
    expect(draft.requirements.map((requirement) => requirement.statement)).toContain("Growers must receive their money within ten working days of delivery.");
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].description).toMatch(/"ten working days".*"seven"/);
  });

  it("takes a speaker putting their own figure right as settled, not as a conflict", () => {
    const draft = call(
      "Dana: If a fermenter drifts more than a degree for ten minutes, the system must send me a text.",
      "Marco: A degree is going to wake you up every night.",
      "Dana: Fine, a degree and a half. Fifteen minutes.",
      "Tom: Got it.",
    );
    expect(draft.conflicts).toEqual([]);
  });

  it("takes the first speaker taking up the other's figure as settled, unless somebody leaves it open", () => {
    const settled = call("Jess: Cans must get nine months.", "Dana: I thought we agreed six months for the hazy IPAs.", "Jess: Six for the hazies, nine for everything else.", "Dana: Okay, okay.");
    expect(settled.conflicts).toEqual([]);
    const open = call("Priya: Tank readings must be kept for at least two years.", "Dana: The auditor said five years last time.", "Priya: Then let's say five, but check.", "Tom: I'll check.");
    expect(open.conflicts).toHaveLength(1);
  });

  it("finds one role keeping an action and another speaker giving it to a second role", () => {
    const draft = call("Priti: Who can see the client list?", "Joanne: Coordinators only.", "Mercy: Team leads need it too though, for home deliveries.", "Priti: Okay.");
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].description).toMatch(/who may do it: R1 keeps it to coordinators/);
    expect(draft.conflicts[0].sources.map((source) => source.quote)).toEqual(["Coordinators only.", "Team leads need it too though, for home deliveries."]);
  });

  it("finds an action kept to one role in the second half of a sentence, and given to another in reply", () => {
    const draft = call(
      "Priti: And refunds over fifty pounds?",
      "Callum: They are logged on the day, and only the duty officer approves them.",
      "Aileen: The ticket desk has to be able to approve them too, Callum.",
      "Priti: Noted.",
    );
    expect(draft.requirements.map((requirement) => requirement.statement)).toEqual(
      expect.arrayContaining(["Only the duty officer must be able to approve them.", "The ticket desk must be able to approve them too."]),
    );
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].description).toMatch(/who may do it: R\d+ keeps it to officers/);
  });

  it("leaves a second role alone when it is given something else", () => {
    const draft = call("Priti: Who can see the client list?", "Joanne: Coordinators only.", "Mercy: Team leads also need a van key for home deliveries.", "Priti: Okay.");
    expect(draft.conflicts).toEqual([]);
  });
});
