import { describe, expect, it } from "vitest";
import { draftRequirements } from "./requirements";
import { tableLines } from "./tables";
import { inputOf, readTestNote, TEST_NOTES } from "./test-notes";

/**
 * A requirements document of our own: one statement per numbered line or bullet, in the
 * styles such documents use ("shall", "should be able to", "Only managers may", passive,
 * section numbers "3.2.1"). Each line is one requirement the author already wrote: it must
 * become exactly one draft, quoted from inside that line.
 */
const project = { name: "Library loans", brief: "The loans and catalogue system of a city library." };
const text = readTestNote(TEST_NOTES.requirementsDocument);
const draft = draftRequirements(inputOf(TEST_NOTES.requirementsDocument, project));
const ITEM = /^(?:\d+(?:\.\d+)*\.?|[-*])\s+/;
const items = text.split("\n").filter((line) => ITEM.test(line));

describe("a requirements document", () => {
  it("has the lines the test is about", () => {
    expect(items.length).toBeGreaterThanOrEqual(30);
  });

  it("yields exactly one draft per line, each quoting only its own line", () => {
    const perLine = items.map((line) => draft.requirements.filter((requirement) => requirement.sources.some((source) => line.includes(source.quote))));
    const counts = items.map((line, index) => `${perLine[index].length}  ${line}`);
    expect(perLine.every((found) => found.length === 1), counts.join("\n")).toBe(true);
    expect(draft.requirements).toHaveLength(items.length);
    for (const requirement of draft.requirements) {
      expect(requirement.sources).toHaveLength(1);
      expect(items.filter((line) => line.includes(requirement.sources[0].quote))).toHaveLength(1);
    }
  });

  it("quotes each line verbatim without its number or bullet", () => {
    for (const line of items) {
      const requirement = draft.requirements.find((candidate) => line.includes(candidate.sources[0].quote))!;
      expect(requirement.sources[0].quote).toBe(line.replace(ITEM, ""));
    }
  });

  it("keeps each author's statement, with 'shall', 'should' and 'may' read as 'must'", () => {
    const statements = draft.requirements.map((requirement) => requirement.statement);
    expect(statements).toContain("Only librarians must be able to waive a late fee.");
    expect(statements).toContain("All data must be backed up nightly.");
    expect(statements).toContain("The system must lock an account after five failed login attempts.");
    expect(statements).toContain("Members must be able to reset their password by email.");
    for (const statement of statements) expect(statement).not.toMatch(/^\d|\bshall\b|\bmay\b/);
  });

  it("finds no conflicts or open questions in a consistent document", () => {
    expect(draft.conflicts).toEqual([]);
    expect(draft.openQuestions).toEqual([]);
  });
});

describe("requirement statements written one after another", () => {
  it("reads one statement per line without bullets or full stops", () => {
    const lines = ["The system shall log every access to a record", "Users should be able to export reports", "Only managers may approve refunds"];
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: lines.join("\n") }] });
    expect(requirements.map((requirement) => requirement.sources.map((source) => source.quote))).toEqual(lines.map((line) => [line]));
  });

  it("keeps a listed statement whole after a comma: its object, a list, a consequence, an aside that ends the subject", () => {
    const list = [
      "- The production sheet for each kitchen shall list, for the next day, the number of portions per dish based on pre-orders plus a margin the kitchen manager sets.",
      "- Orders for a given day must close at 09:30 that morning; after that, the child gets the default meal unless they bring lunch.",
      "- Every change to a permit, including its cancellation, shall be recorded with the person, the time and the tablet used.",
      "- Teachers shall never see what other families pay, that's a privacy thing.",
    ].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: list }] });
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "The production sheet for each kitchen must list, for the next day, the number of portions per dish based on pre-orders plus a margin the kitchen manager sets.",
      "Orders for a given day must close at 09:30 that morning; after that, the child gets the default meal unless they bring lunch.",
      "Every change to a permit, including its cancellation, must be recorded with the person, the time and the tablet used.",
      "Teachers must never see what other families pay.",
    ]);
  });

  it("reads a specification's 'may' as what people must be able to do, and a described past participle as no report", () => {
    const list = [
      "The system shall show a map.",
      "- Customers may start, stop or transfer service online, choosing a date at least two working days ahead.",
      "- Clients may complete questionnaires on their own phone, through a link sent by text.",
      "- Appointments are booked against a named clinician and a duration.",
      "- The fee may change next year.",
      "- The centre reviewed sections 2 and 3 on 14 February.",
    ].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: list }] });
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "The system must show a map.",
      "Customers must be able to start, stop or transfer service online, choosing a date at least two working days ahead.",
      "Clients must be able to complete questionnaires on their own phone, through a link sent by text.",
      "Appointments must be booked against a named clinician and a duration.",
    ]);
  });

  it("leaves a requirement's identifier out of its statement and quote, but not a word like 'A4'", () => {
    const list = ["F.24 Searching for a client by name must return within two seconds.", "NFR-3: The system shall encrypt backups.", "R13 Users shall log in.", "A4 printouts must show the logo."].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: list }] });
    expect(requirements.map((requirement) => [requirement.statement, requirement.sources[0].quote])).toEqual([
      ["Searching for a client by name must return within two seconds.", "Searching for a client by name must return within two seconds."],
      ["The system must encrypt backups.", "The system shall encrypt backups."],
      ["Users must log in.", "Users shall log in."],
      ["A4 printouts must show the logo.", "A4 printouts must show the logo."],
    ]);
  });

  it("reads what a specification says people do as what they must do, though the tagger reads its first word as an order", () => {
    const list = ["- Staff check items out by scanning the member's card.", "- Room attendants mark a room as started and finished from their phone.", "- The clerk marked the file as closed last week."].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: list }] });
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "Staff must check items out by scanning the member's card.",
      "Room attendants must mark a room as started and finished from their phone.",
    ]);
    expect(requirements.every((requirement) => /stated as a fact/i.test(requirement.unsure ?? ""))).toBe(true);
  });

  it("reads the subject of a stated rule whole: a noun after a preposition and a hyphenated compound are no verbs", () => {
    const spec = ["The deadline for orders is 8:00 the day before.", "", "The cut-off for bookings is two working days before the trip."].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: spec }] });
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "The deadline for orders must be 8:00 the day before.",
      "The cut-off for bookings must be two working days before the trip.",
    ]);
  });

  it("reads a specification's subject narrowed by a relative clause, and a participle that says what state an object is in", () => {
    const spec = [
      "Requests that make a room unsellable take it out of order automatically.",
      "",
      "The duty manager gets an end-of-day summary: rooms cleaned, rooms dirty.",
      "",
      "Users who sign up get a welcome email.",
      "",
      "The clerk marked the file as closed last week, and the judge signed it.",
      "",
      "Guest complaints logged at the front desk become maintenance requests.",
      "",
      "Clients moving to another team within the trust keep their record.",
      "",
      "Duty and import VAT are calculated from the customs value.",
      "",
      "The team met in March and agrees with the plan.",
      "",
      "Minibar posts made after the guest has left go to a late-charges list.",
    ].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: spec }] });
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "Requests that make a room unsellable must take it out of order automatically.",
      "The duty manager must get an end-of-day summary: rooms cleaned, rooms dirty.",
      "Users who sign up must get a welcome email.",
      "Guest complaints logged at the front desk must become maintenance requests.",
      "Clients moving to another team within the trust must keep their record.",
      "Duty and import VAT must be calculated from the customs value.",
    ]);
  });

  it("reads a specification whose tagger misreads its subject's nouns or its passive, or puts an adverb after its modal", () => {
    const spec = [
      "Refund requests are checked against the order and paid back to the original card.",
      "",
      "Parcels scanned at the Leeds and Bristol depots are weighed on arrival, with damaged items (torn, wet, crushed) photographed at the bay.",
      "",
      "Fees from couriers, printers and banks are matched to the invoice they belong to.",
      "",
      "Tariffs, codes, delivery zones and price bands are edited by the office manager.",
      "",
      "Registered drivers receive their first job each morning.",
      "",
      "Photos taken on open days may only be shared where a parent has agreed.",
      "",
      "Declared when they book, so nothing else is needed.",
    ].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: spec }] });
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "Refund requests must be checked against the order and paid back to the original card.",
      "Parcels scanned at the Leeds and Bristol depots must be weighed on arrival, with damaged items (torn, wet, crushed) photographed at the bay.",
      "Fees from couriers, printers and banks must be matched to the invoice they belong to.",
      "Tariffs, codes, delivery zones and price bands must be edited by the office manager.",
      "Registered drivers must receive their first job each morning.",
      "Photos taken on open days may only be shared where a parent has agreed.",
    ]);
  });

  it("reads a state to be shown as it is at that moment as wanted, and today's practice still as context", () => {
    const text = [
      "Dispatchers can open the map and see which ambulances are free right now.",
      "",
      "The duty manager would like to know, at a glance, who is on site at the moment.",
      "",
      "At the moment we ring round to see which crews are free.",
      "",
      "Right now the supervisors check which bays are empty by walking the yard.",
    ].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text }] });
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "Dispatchers must be able to open the map and see which ambulances are free right now.",
      "The duty manager must be able to know, at a glance, who is on site at the moment.",
    ]);
  });

  it("does not merge two similar lines of one list into one requirement", () => {
    const list = ["- Users shall be able to export reports as PDF.", "- Users shall be able to export reports as CSV."].join("\n");
    const { requirements } = draftRequirements({ project, sources: [{ id: "d", title: "Spec", kind: "document", text: list }] });
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "Users must be able to export reports as PDF.",
      "Users must be able to export reports as CSV.",
    ]);
  });
});

describe("things listed under a line that asks for them", () => {
  const draftOf = (text: string) => draftRequirements({ project, sources: [{ id: "e", title: "E-mail", kind: "email", text }] });
  const statements = (text: string) => draftOf(text).requirements.map((requirement) => requirement.statement);

  it("drafts each item without a verb as a thing the system must provide, quoting the item", () => {
    const text = [
      "After the workshop, here is what the front desk asked for:",
      "- online booking for all rooms",
      "- a waiting list when a room is taken",
      "- reminders by e-mail the day before a loan ends",
      "",
      "Thanks, Maria",
    ].join("\n");
    const { requirements } = draftOf(text);
    expect(requirements.map((requirement) => requirement.statement)).toEqual([
      "The system must provide online booking for all rooms.",
      "The system must provide a waiting list when a room is taken.",
      "The system must provide reminders by e-mail the day before a loan ends.",
    ]);
    expect(requirements.map((requirement) => requirement.sources[0].quote)).toEqual([
      "online booking for all rooms",
      "a waiting list when a room is taken",
      "reminders by e-mail the day before a loan ends",
    ]);
    // A thing named without a verb leaves what the system does with it to the reviewer.
    for (const requirement of requirements) expect(requirement.unsure).toMatch(/asked for:" without a verb/);
  });

  it("keeps the list's opening line across an item that wraps onto a second line", () => {
    const text = ["What we need:", "- a printed receipt for every loan,", "  with the due date in bold", "- a self-service kiosk near the door"].join("\n");
    expect(statements(text)).toEqual([
      "The system must provide a printed receipt for every loan, with the due date in bold.",
      "The system must provide a self-service kiosk near the door.",
    ]);
  });

  it("keeps items of one list apart however alike their words, and drafts nothing from the line that opens the list", () => {
    const text = [
      "The circulation team want a few things for their side:",
      "1. online booking of study rooms",
      "2. a printable list of who booked each room",
      "3. their own schedule on their phones",
      "4. reminders by text message the day before",
    ].join("\n");
    expect(statements(text)).toEqual([
      "The system must provide online booking of study rooms.",
      "The system must provide a printable list of who booked each room.",
      "The system must provide their own schedule on their phones.",
      "The system must provide reminders by text message the day before.",
    ]);
  });

  it("drafts nothing from lists that ask for nothing: an agenda, action items, attendees", () => {
    const text = ["Agenda:", "- budget review", "- the new catalogue", "", "Action items from last week:", "- Tom to send the slides", "- a quote from the printer", "", "Attendees:", "- Maria", "- Tom"].join("\n");
    expect(statements(text)).toEqual([]);
  });

  it("reads an item that says what must not happen, or one with a verb of its own, as any sentence", () => {
    expect(statements(["The librarians asked for:", "- no more double bookings of the same room"].join("\n"))).toEqual([]);
    expect(statements(["The librarians asked for:", "- members should be able to renew online"].join("\n"))).toEqual(["Members must be able to renew online."]);
  });

  it("does not carry the opening line past a paragraph that ends its list", () => {
    const text = ["Here is what the members asked for:", "- online renewals", "", "Other news from the branch.", "- a new coffee machine in the staff room"].join("\n");
    expect(statements(text)).toEqual(["The system must provide online renewals."]);
  });
});

/**
 * Requirements kept in a table, as teams paste them from a spreadsheet or a tracker: each row's
 * requirement cell is one requirement, quoted from inside that cell; ids, types, priorities and the
 * header are nobody's words. Written for this test.
 */
describe("requirements in a table", () => {
  const draftOf = (text: string, kind: "document" | "email" = "document") => draftRequirements({ project, sources: [{ id: "t", title: "Backlog export", kind, text }] }).requirements;

  const markdown = `Exported from the backlog on Monday.

| ID | Requirement | Priority |
| --- | :--- | --- |
| LIB-1 | Members shall be able to renew a loan from the app. | Must |
| LIB-2 | The catalogue search shall answer within two seconds. | Should |
| LIB-3 | Only librarians may waive a late fee. | Must |`;

  const csv = `id,requirement,type
1,"The system shall send a reminder two days before a loan is due, by text or e-mail.",F
2,The system shall keep working when the card reader is unplugged.,FT
3,"Fines shall be shown in pounds, with two decimals.",LF`;

  const tsv = ["Key\tSummary\tDescription\tStatus", "LIB-7\tHolds\tA member shall be able to place a hold on a book that is on loan.\tOpen", "LIB-8\tExport\tStaff shall be able to export the loans of a month as a spreadsheet.\tDone"].join("\n");

  it("drafts each row's requirement cell once, quoting it verbatim, and nothing of the header, ids or priorities", () => {
    for (const [text, cells] of [
      [markdown, ["Members shall be able to renew a loan from the app.", "The catalogue search shall answer within two seconds.", "Only librarians may waive a late fee."]],
      [csv, ["The system shall send a reminder two days before a loan is due, by text or e-mail.", "The system shall keep working when the card reader is unplugged.", "Fines shall be shown in pounds, with two decimals."]],
      [tsv, ["A member shall be able to place a hold on a book that is on loan.", "Staff shall be able to export the loans of a month as a spreadsheet."]],
    ] as const) {
      const drafts = draftOf(text);
      expect(drafts.map((requirement) => requirement.sources.map((source) => source.quote.replace(/^"|"$/g, "")).join(" | "))).toEqual(cells);
      for (const requirement of drafts) {
        expect(text).toContain(requirement.sources[0].quote);
        expect(requirement.statement).not.toMatch(/LIB-|\bMust\b|\bShould\b|Priority|\bFT\b|\bLF\b|Open|Done|"/);
      }
    }
  });

  it("reads the column its header names, not the widest or the first", () => {
    // "Summary" names titles; "Description" holds the requirement (tsv above), and a header of "Need" too.
    const needs = `Who;Need;Notes
Desk staff;The system shall print a receipt for every payment.;asked twice at the workshop, and again by e-mail afterwards
Members;The app shall show when a book is due back.;`;
    expect(draftOf(needs).map((requirement) => requirement.statement)).toEqual(["The system must print a receipt for every payment.", "The app must show when a book is due back."]);
  });

  it("is read in any kind of source, and prose with commas is no table", () => {
    expect(draftOf(csv, "email")).toHaveLength(3);
    const prose = `Members borrow books, films and games.
The system must send reminders, by text or e-mail.
Fines, if any, must be paid at the desk or online.`;
    // Read as a table, its cells would be drafted apart ("films and games.", "if any").
    expect(draftOf(prose).map((requirement) => requirement.sources[0].quote)).toEqual(prose.split("\n"));
    // Lines with as many commas as the line above them: a chat, and a heading over numbered statements.
    const chat = "[10:19] tobi: a whole session, so 3 hours\n[10:22] mercy: volunteers sign up on their phones, and I need a text\n[10:23] mercy: sorry, morning of";
    const sections = "Part D. Risk, safeguarding and crisis\n5.5 D.1 Concerns shall be raised from the record, and sent to the lead.\n5.6 D.2 A flagged client shall show a banner, with the plan one click away.";
    for (const text of [prose, chat, sections]) expect(tableLines(text.split("\n")).size, text).toBe(0);
  });

  it("leaves an identifier such as 'REQ 5' out of the statement, and a standard's name in", () => {
    const [withId, standard] = draftOf("REQ 5 The product shall be usable by a new librarian after one hour of training.\nISO 9001 certification of the supplier shall be checked every year.");
    expect(withId.statement).toBe("The product must be usable by a new librarian after one hour of training.");
    expect(standard.statement).toMatch(/^ISO 9001 certification/);
  });
});

describe("a specification's 'will'", () => {
  const statementsOf = (text: string) => draftRequirements({ project, sources: [{ id: "w", title: "Specification", kind: "document", text }] }).requirements.map((requirement) => requirement.statement);

  it("is its 'shall' before a verb, a 'not' or 'be able to', and the quote keeps the word as written", () => {
    const text = "1. The product will display the due date in large type.\n2. The system will not store card numbers.\n3. The catalogue will be able to list e-books beside print.";
    expect(statementsOf(text)).toEqual(["The product must display the due date in large type.", "The system must not store card numbers.", "The catalogue must be able to list e-books beside print."]);
    const [first] = draftRequirements({ project, sources: [{ id: "w", title: "Specification", kind: "document", text }] }).requirements;
    expect(first.sources[0].quote).toBe("The product will display the due date in large type.");
  });

  it("is still a plan in 'will be', and a prediction beside another modal or after a comma, semicolon or bracket", () => {
    expect(statementsOf("1. The tariff screens will be aligned with the new city fares.")).toEqual([]);
    const statements = statementsOf(
      "1. Reminders will rise to 20,000 a month once every branch uses them, and the messaging must keep up.\n2. The library serves six branches; this document describes the app that members will use.",
    );
    expect(statements.join(" ")).not.toMatch(/must rise|must use/);
  });
});
