import { describe, expect, it } from "vitest";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import { requirementsDraftSchema, type SourceKind, type SynthesizeInput } from "@/lib/requirements/schema";
import { draftRequirements } from "./index";

const project = {
  name: "Bike-share rider app",
  brief: "A rider app for the city bike-share: find, unlock and return bikes, pay, and report problems.",
};

function demoInput(): SynthesizeInput {
  return { project, sources: loadDemoNotes().map((note, index) => ({ id: `source-${index + 1}`, ...note })) };
}

function draftOf(...notes: { text: string; kind?: SourceKind; title?: string }[]) {
  const sources = notes.map((note, index) => ({ id: `s${index + 1}`, title: note.title ?? `Note ${index + 1}`, kind: note.kind ?? "email", text: note.text }));
  return draftRequirements({ project, sources });
}

describe("draftRequirements on the demo notes", () => {
  const input = demoInput();
  const draft = draftRequirements(input);
  const sourceIdOf = (kind: SourceKind) => input.sources.find((source) => source.kind === kind)!.id;
  const requirement = (fragment: string) => {
    const found = draft.requirements.find((candidate) => candidate.statement.includes(fragment));
    if (!found) throw new Error(`no requirement mentions "${fragment}":\n${draft.requirements.map((r) => r.statement).join("\n")}`);
    return found;
  };
  const allQuotes = [
    ...draft.requirements.flatMap((item) => item.sources),
    ...draft.conflicts.flatMap((item) => item.sources),
    ...draft.openQuestions.flatMap((item) => item.sources),
  ];

  it("satisfies the output contract", () => {
    expect(requirementsDraftSchema.safeParse(draft).success).toBe(true);
  });

  it("finds a credible number of requirements", () => {
    expect(draft.requirements.length).toBeGreaterThanOrEqual(15);
    expect(draft.requirements.length).toBeLessThanOrEqual(35);
  });

  it("quotes every source verbatim, for requirements, conflicts and open questions", () => {
    expect(allQuotes.length).toBeGreaterThan(draft.requirements.length);
    for (const quote of allQuotes) {
      const text = input.sources.find((source) => source.id === quote.sourceId)?.text;
      expect(text, `unknown source ${quote.sourceId}`).toBeDefined();
      expect(text).toContain(quote.quote);
    }
  });

  it("does not turn interviewer questions, metadata or action items into requirements", () => {
    const quoted = draft.requirements.flatMap((item) => item.sources.map((source) => source.quote)).join("\n");
    for (const line of ["Q:", "Subject:", "Date:", "Kind:", "From:", "analyst to draft"]) {
      expect(quoted).not.toContain(line);
    }
    // A question is quoted only beside the answer it gives a requirement with.
    for (const item of draft.requirements) expect(item.sources.some((source) => !source.quote.trim().endsWith("?")), item.statement).toBe(true);
    const map = draft.requirements.find((item) => item.sources.some((source) => source.quote === "What must the app show on the map?"));
    expect(map?.sources.map((source) => source.quote)).toEqual(["Every station, the number of free bikes and the number of free docks.", "What must the app show on the map?"]);
    expect(draft.requirements.some((item) => /rate bikes/i.test(item.statement))).toBe(false);
  });

  it("phrases every statement as a requirement", () => {
    for (const { statement } of draft.requirements) {
      expect(statement).toMatch(/\bmust\b/);
      expect(statement).not.toMatch(/^(?:A|Q|All|Mechanic \w+|\d+ tickets?):/);
      expect(statement).toMatch(/^[A-Z].*\.$/);
    }
    expect(requirement("flag a bike as broken").statement).toMatch(/^Mechanics must be able to flag a bike as broken from the app/);
    expect(requirement("end the ride next to it").statement).toMatch(/riders must be able to end/);
  });

  it("splits a compound sentence into its two requirements", () => {
    const unlock = requirement("unlock a bike by scanning the QR code");
    const lock = requirement("The lock must open within 5 seconds");
    expect(unlock.id).not.toBe(lock.id);
    expect(lock.category).toBe("performance");
  });

  it("merges the same request from several sources into one requirement citing them all", () => {
    const unlock = requirement("unlock a bike by scanning the QR code");
    expect(new Set(unlock.sources.map((source) => source.sourceId))).toEqual(new Set([sourceIdOf("interview"), sourceIdOf("ticket_digest")]));
    const report = requirement("report a broken bike with a photo");
    expect(new Set(report.sources.map((source) => source.sourceId)).size).toBe(2);
  });

  it("finds the contradiction about ending a ride outside a dock", () => {
    const conflict = draft.conflicts.find((item) => item.description.includes("end a ride"));
    expect(conflict).toBeDefined();
    const allowing = requirement("end the ride next to it");
    const refusing = requirement("must not be able to end a ride outside a dock");
    expect(conflict!.requirementIds).toEqual(expect.arrayContaining([allowing.id, refusing.id]));
    expect(new Set(conflict!.sources.map((source) => source.sourceId))).toEqual(new Set([sourceIdOf("interview"), sourceIdOf("email")]));
    for (const involved of [allowing, refusing]) expect(involved.unsure).toMatch(/contradicted by/i);
  });

  it("finds the different refund windows", () => {
    const conflict = draft.conflicts.find((item) => item.description.includes("7 days") && item.description.includes("14 days"));
    expect(conflict).toBeDefined();
  });

  it("collects the open questions", () => {
    const questions = draft.openQuestions.map((item) => item.question);
    expect(questions).toContain("Do riders under 16 need a parent's consent to sign up?");
    expect(questions).toContain("Should riders be able to rate bikes?");
  });

  it("gives firm, corroborated requirements more confidence than hedged or vague ones", () => {
    const firm = requirement("report a broken bike with a photo");
    expect(firm.unsure).toBeNull();
    for (const fragment of ["somehow", "fast and user-friendly", "appropriately"]) {
      const weak = requirement(fragment);
      expect(weak.confidence, fragment).toBeLessThan(firm.confidence);
      expect(weak.confidence, fragment).toBeLessThanOrEqual(0.5);
      expect(weak.unsure, fragment).not.toBeNull();
    }
    expect(requirement("somehow").unsure).toMatch(/hedged/i);
    expect(requirement("fast and user-friendly").unsure).toMatch(/vague.*'fast', 'user-friendly'/i);
  });

  it("raises confidence for a measurable non-functional requirement", () => {
    expect(requirement("within 5 seconds").confidence).toBeGreaterThan(requirement("fast and user-friendly").confidence);
  });

  it("reads complaints as requirements, unsure about the missing target", () => {
    const loading = requirement("Loading the map must be fast");
    expect(loading.category).toBe("performance");
    expect(loading.unsure).toMatch(/complaint/);
    expect(requirement("must not crash when the phone loses signal").category).toBe("fault_tolerance");
  });

  it("flags the ambiguous pronoun it had to interpret", () => {
    expect(requirement("fast and user-friendly").unsure).toMatch(/'It' in the source/);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(draftRequirements(structuredClone(input)))).toBe(JSON.stringify(draft));
  });
});

describe("draftRequirements on single statements", () => {
  it.each([
    ["The app must be available 99.5% of the time.", "availability"],
    ["Every access to a rider's account must be logged.", "security"],
    ["The app must run on iOS 16 and Android 11 or newer.", "portability"],
    ["The app must handle 5,000 concurrent riders on a Saturday afternoon.", "scalability"],
    ["Ride data must be deleted after 12 months, as the city contract requires.", "legal"],
    ["The map must load within 2 seconds.", "performance"],
    ["The app must not lose a ride when the network drops.", "fault_tolerance"],
    ["Riders must be able to report a broken bike.", "functional"],
  ])("classifies %j as %s", (text, category) => {
    const [first] = draftOf({ text }).requirements;
    expect(first?.category).toBe(category);
  });

  it("strips a speaker prefix and normalises 'should' to 'must'", () => {
    const draft = draftOf({ text: "- Dr. B: follow-ups should be bookable only by patients the doctor has already seen.", kind: "meeting_notes" });
    expect(draft.requirements.map((item) => item.statement)).toEqual(["Follow-ups must be bookable only by patients the doctor has already seen."]);
  });

  it("turns a first-person complaint into a requirement about the thing complained of", () => {
    const draft = draftOf({ text: "A: It is slow. Searching a rider by name takes forever.", kind: "interview" });
    const search = draft.requirements.find((item) => item.statement === "Searching a rider by name must be fast.");
    expect(search?.category).toBe("performance");
  });

  it("reads 'we need' as what the system must provide, keeping a hedged afterthought out of the statement", () => {
    const [reminder] = draftOf({ text: "We need a reminder SMS the day before, and maybe an email too, whatever is easier." }).requirements;
    expect(reminder.statement).toBe("The system must send a reminder SMS the day before.");
    expect(reminder.unsure).toMatch(/hedged option.*maybe an email too/);
  });

  it("keeps a phrase put before 'I'd like' as the requirement's frame, never 'I'd' before its 'must'", () => {
    const [report] = draftOf({ text: "Mia: For damaged bikes I'd like a photo with every report.", kind: "meeting_notes" }).requirements;
    expect(report.statement).toBe("For damaged bikes, the system must provide a photo with every report.");
  });

  it("finds a contradiction between two sources: one asks for an action, the other rules it out", () => {
    const draft = draftOf(
      { text: "Q: Cancellations?\nA: Riders must be able to cancel a reservation up to 1 hour before.", kind: "interview" },
      { text: "I do NOT want riders to cancel reservations in the app at all." },
    );
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].requirementIds).toHaveLength(2);
    expect(new Set(draft.conflicts[0].sources.map((source) => source.sourceId))).toEqual(new Set(["s1", "s2"]));
  });

  it("finds nothing to require in a note without requirements", () => {
    const draft = draftOf({ text: "From: operations\nSubject: Hello\nDate: 2026-09-01\n\nHello all,\n\nThe workshop is on Friday.\n\nThanks,\nOperations" });
    expect(draft).toEqual({ requirements: [], conflicts: [], openQuestions: [] });
  });
});

describe("draftRequirements on a written specification in the present tense", () => {
  const specification = [
    "# Bike-share operations platform",
    "",
    "## Section 1",
    "",
    "1.1 Riders can reserve a bike for ten minutes from the map.",
    "1.2 Mechanics enter every repair against the bike's frame number.",
    "1.3 Docking station screens are to show the nearest station with free docks when this one is full.",
    "1.4 The tariff screens will be aligned with the new city fares, which are expected in spring.",
    "1.5 Electric cargo bikes are out of scope until the pilot ends.",
    "1.6 Bike types, tariffs, zones and station names are set in the admin screens by the operations lead.",
    "1.7 Operators can copy last week's rota for a station and change only what differs.",
    "1.8 A closed repair can be reopened only by the workshop lead.",
    "1.9 The rider app may be down for updates only between 02:00 and 04:00.",
    "1.10 Up to 40 mechanics, drivers and dispatchers will be logged in at once on race days.",
    "1.11 Spare parts (tyres, chains, brake pads) are counted weekly per depot and reordered when below their minimum.",
    "1.12 Riders are told by text when a reserved bike is ready, if they left a mobile number.",
    "1.13 Tariff message formats change when the city publishes new fares.",
    "1.14 The depot manager reviewed the spare parts list on 3 March.",
    "1.15 Bike record per frame: frame number, model, size (small, medium, large), service lines with dates and parts.",
    "1.16 Riders under 16 are registered by a parent, whose account pays for their rides.",
    "1.17 Riders can choose to be told about planned station closures by e-mail or by text.",
    "1.18 Bikes out of service for a week are listed each Monday, so they can be collected first.",
    "1.19 Refunds are worked out from the minutes charged during the ride.",
    "1.20 About 300 bikes are moved between stations each night.",
    "",
    "Part C. Station record.",
  ].join("\n");
  const statements = draftOf({ text: specification, kind: "document", title: "Operations specification" }).requirements.map((r) => r.statement);

  it("reads what the product does as a requirement, abilities and instructions included", () => {
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Riders must be able to reserve a bike/),
        expect.stringMatching(/^Mechanics must enter every repair against the bike's frame number/),
        expect.stringMatching(/^Docking station screens must show the nearest station/),
        expect.stringMatching(/^Bike types, tariffs, zones and station names must be set in the admin screens/),
        expect.stringMatching(/^Operators must be able to copy last week's rota/),
        expect.stringMatching(/^A closed repair must be able to be reopened only by the workshop lead/),
        // A past tense in brackets, in a condition or joined to a passive does not make a sentence a report.
        expect.stringMatching(/^Spare parts \(tyres, chains, brake pads\) must be counted weekly per depot and reordered/),
        expect.stringMatching(/^Riders must be told by text when a reserved bike is ready, if they left a mobile number/),
        // A subject narrowed by a phrase ("under 16"), "about" before no figure, a passive after "can be", a participle inside a phrase.
        expect.stringMatching(/^Riders under 16 must be registered by a parent/),
        expect.stringMatching(/^Riders must be able to choose to be told about planned station closures/),
        expect.stringMatching(/^Bikes out of service for a week must be listed each Monday, so they can be collected first/),
        expect.stringMatching(/^Refunds must be worked out from the minutes charged during the ride/),
      ]),
    );
  });

  it("leaves out an estimate ('about 300 bikes')", () => {
    expect(statements.filter((statement) => statement.includes("300 bikes"))).toEqual([]);
  });

  it("leaves out a report of what happened, a noun compound misread as a verb ('message formats change') and a list after a colon", () => {
    for (const fragment of ["reviewed the spare parts", "message formats", "Bike record per frame"]) expect(statements.filter((statement) => statement.includes(fragment)), fragment).toEqual([]);
  });

  it("never puts its 'must' before a modal of the source ('must can', 'must may') or inside the actor ('drivers and must dispatcher')", () => {
    for (const statement of statements) expect(statement).not.toMatch(/\bmust (?:can|may|will|would|could)\b|\b(?:and|or) must\b/);
  });

  it("leaves out plans, scope notes and headings", () => {
    for (const fragment of ["tariff screens", "cargo bikes", "Station record"]) {
      expect(statements.filter((statement) => statement.includes(fragment)), fragment).toEqual([]);
    }
  });

  it("reads the same sentence in a meeting's notes as how things are, not as a requirement", () => {
    const notes = draftOf({ text: "Mechanics enter every repair against the bike's frame number.", kind: "meeting_notes" });
    expect(notes.requirements).toEqual([]);
  });
});

describe("draftRequirements with several requirements on each side of a disagreement", () => {
  it("gathers them into one conflict and marks every one of them", () => {
    const draft = draftOf(
      { text: "Q: Returns?\nA: Riders must be able to end a ride at any street corner in the old town.", kind: "interview", title: "Interview" },
      { text: "- Riders must not be able to end a ride outside a dock.", title: "Email" },
      { text: "- All: riders must be able to end a ride by pressing a button when the docking station is broken or offline.", kind: "meeting_notes", title: "Workshop" },
    );
    expect(draft.conflicts).toHaveLength(1);
    expect(draft.conflicts[0].requirementIds).toHaveLength(3);
    for (const requirement of draft.requirements) expect(requirement.unsure).toMatch(/contradicted by/i);
  });
});
