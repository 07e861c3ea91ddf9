import { describe, expect, it } from "vitest";
import type { SourceKind } from "@/lib/requirements/schema";
import { draftRequirements } from "./requirements";
import { segmentSource } from "./segment";

/**
 * Questions and their answers in every kind of conversation: an elliptical answer ("Yes, by eight
 * the day before.") is drafted together with the question it answers, quoting both, and the
 * answer's pronouns are read as what the question asked about.
 */
const project = { name: "Island ferry", brief: "Bookings and boarding for the island ferry." };
const draftOf = (text: string, kind: SourceKind = "meeting_notes") => draftRequirements({ project, sources: [{ id: "s1", title: "Call", kind, text }] });
const statements = (text: string, kind?: SourceKind) => draftOf(text, kind).requirements.map((requirement) => requirement.statement);
/** A question and its answer by two speakers, with a few turns after so the source reads as a conversation. */
const turns = (question: string, answer: string) => [`Priti: ${question}`, `Morag: ${answer}`, "Priti: Okay.", "Morag: Fine."].join("\n");

describe("which turn answers which question", () => {
  const asked = (text: string, kind: SourceKind = "meeting_notes") =>
    segmentSource({ id: "s", title: "Call", kind, text }).map((block) => (block.asked ? text.slice(block.asked.start, block.asked.end) : null));

  it("links the next turn by another speaker to a question, in a transcript", () => {
    expect(asked(turns("When do vehicle bookings close?", "Twenty-four hours before the sailing."))).toEqual([null, "When do vehicle bookings close?", null, null]);
  });

  it("does not link a speaker's own next turn, nor a turn after the answer", () => {
    expect(asked(["Priti: When do bookings close?", "Priti: And the refunds?", "Morag: Tomorrow.", "Priti: Fine."].join("\n"))).toEqual([null, null, "And the refunds?", null]);
  });

  it("links an e-mail's inline answer to the quoted question above it", () => {
    const email = "Hi,\n\n> 3. How far ahead can patients book online?\n\nTwelve weeks.\n\nThanks";
    expect(asked(email, "email")).toEqual([null, null, "How far ahead can patients book online?", null]);
  });

  it("links a chat message to the question asked under the same number", () => {
    const chat = ["[09:03] kat: 1) do clients need a referral?", "[09:03] kat: 2) how many parcels can a household get?", "[09:20] joanne: 2) three in any six months", "[09:21] joanne: 1) yes, always"].join("\n");
    expect(asked(chat, "other")).toEqual([null, null, "how many parcels can a household get?", "do clients need a referral?"]);
  });
});

describe("an elliptical answer read with its question", () => {
  it.each([
    ["When do schools need final numbers?", "Yes, by eight the day before.", "Schools must have final numbers by eight the day before."],
    ["When do vehicle bookings close?", "Twenty-four hours before the sailing.", "Vehicle bookings must close twenty-four hours before the sailing."],
    ["When do orders close?", "Nine o'clock on the day.", "Orders must close at nine o'clock on the day."],
    ["Do islanders get priority on the last sailing?", "Yes, always.", "Islanders must always get priority on the last sailing."],
    ["Can patients cancel online?", "Yes, up to 24 hours before.", "Patients must be able to cancel online up to 24 hours before."],
    ["Does the app need to work offline?", "No.", "The app must not work offline."],
    ["And do you need the system to scale recipes?", "Yes, from a small pilot up to the full brew.", "The system must scale recipes from a small pilot up to the full brew."],
    ["Do you want the app to print boarding passes?", "Yes, at the kiosk.", "The app must print boarding passes at the kiosk."],
    ["How long can it be offline?", "A whole session, so 3 hours.", "The system must be able to be offline for a whole session, so 3 hours."],
    ["How far ahead can patients book online?", "Twelve weeks.", "Patients must be able to book online twelve weeks ahead."],
    ["How quick does the scan need to be?", "A second, tops.", "The scan must be quick: a second, tops."],
    ["Next: how early do parcels need to be packed?", "By 4pm the day before distribution.", "Parcels must be packed by 4pm the day before distribution."],
    ["How many parcels can a household get?", "Three in any six months.", "A household must be able to get three parcels in any six months."],
    ["Who can see the client list?", "Coordinators only.", "Only coordinators must be able to see the client list."],
    ["What should the receipt show?", "The date, the sailing and the vehicle length.", "The receipt must show the date, the sailing and the vehicle length."],
    ["Is the desk allowed to refund?", "Yes, up to fifty pounds.", "The desk must be allowed to refund up to fifty pounds."],
    ["How long do we keep the manifest?", "Three years.", "Organisation staff must keep the manifest for three years."],
  ])("%s / %s", (question, answer, statement) => {
    const draft = draftOf(turns(question, answer));
    expect(draft.requirements.map((requirement) => requirement.statement)).toEqual([statement]);
    // The answer is quoted verbatim, and the question beside it as its context.
    expect(draft.requirements[0].sources.map((source) => source.quote)).toEqual([answer, question]);
    expect(draft.requirements[0].unsure).toMatch(/^Read from the answer/);
  });

  it("reads an answer in an e-mail to a quoted question, which is then no open question", () => {
    const draft = draftOf("Hi Owen,\n\n> 3. How far ahead can patients book online?\n\nTwelve weeks.\n\n> 4. Can patients pay online?\n\nNot sure yet.\n\nFiona", "email");
    expect(draft.requirements.map((requirement) => requirement.statement)).toEqual(["Patients must be able to book online twelve weeks ahead."]);
    expect(draft.openQuestions.map((question) => question.question)).toEqual(["Can patients pay online?"]);
  });

  it("carries the question on into a follow-up without a verb", () => {
    const call = ["Priti: And how fast does the scan need to be?", "Callum: Like, instant.", "Priti: So under a second?", "Callum: Under a second, yeah.", "Priti: Okay."].join("\n");
    const draft = draftOf(call);
    expect(draft.requirements.flatMap((requirement) => requirement.sources.map((source) => source.quote))).toContain("Under a second, yeah.");
  });

  it("reads what a topic question asks about into the answer", () => {
    expect(statements(turns("Any rules on X-rays?", "They're kept for eleven years after the last visit."), "email")).toEqual(["X-rays must be kept for eleven years after the last visit."]);
    expect(statements(turns("Refunds for cancelled sailings?", "Full refund, automatically, to the card they paid with."))).toEqual([
      "For refunds for cancelled sailings, the system must provide full refund, automatically, to the card they paid with.",
    ]);
  });

  it.each([
    ["a question about the person asked", "Rosa, do you want to start?", "Sure."],
    ["a question about the meeting", "Can everyone hear me?", "Aye, loud and clear."],
    ["a question about what the people talking do next", "Shall we start with the invoices?", "Sure."],
    ["a question about how things are today", "How long does a cycle take to run today?", "About forty minutes."],
    ["an answer that leaves it open", "How long should results stay in the portal?", "At least ten years, I think. We'd have to check."],
    ["an answer that says something of its own", "What do you do with the tanks every morning?", "First thing, I walk the cellar with the clipboard."],
    ["a fragment that only heads what follows", "Anything on the money side?", "Insurance claims."],
  ])("drafts nothing from %s", (_, question, answer) => {
    expect(statements(turns(question, answer))).toEqual([]);
  });
});

describe("corrections and confirmations", () => {
  it("updates the figure a speaker corrects right after, quoting both", () => {
    const draft = draftOf("Dana: And we should stop at ten generations. Actually, no, make that eight for the house strain, ten for the lager strain.\nTom: Okay.\nDana: Good.");
    expect(draft.requirements.map((requirement) => requirement.statement)).toEqual(["Organisation staff must stop at eight generations for the house strain, ten for the lager strain."]);
    expect(draft.requirements[0].sources.map((source) => source.quote)).toEqual([
      "And we should stop at ten generations.",
      "Actually, no, make that eight for the house strain, ten for the lager strain.",
    ]);
    expect(draft.requirements[0].unsure).toMatch(/corrected "ten generations" to "eight"/);
    expect(draft.conflicts).toEqual([]);
  });

  it("takes a yes to a short question about a requirement as evidence for it", () => {
    const draft = draftOf(
      ["Helen: Locations of anything insured over fifty thousand shouldn't be visible to most staff.", "Nick: Including curators?", "Helen: Including curators, Nick, sorry.", "Nick: Marty?", "Marty: Sure."].join("\n"),
    );
    expect(draft.requirements).toHaveLength(1);
    expect(draft.requirements[0].sources.map((source) => source.quote)).toEqual([
      "Locations of anything insured over fifty thousand shouldn't be visible to most staff.",
      "Including curators, Nick, sorry.",
      "Including curators?",
    ]);
  });

  it("takes the thing asked about, said again and approved, as evidence for the requirement before the question", () => {
    const draft = draftOf(["Iona: I need to print the year's callouts as one report.", "Sam: PDF alright?", "Iona: PDF is perfect.", "Dougie: Okay."].join("\n"));
    expect(draft.requirements).toHaveLength(1);
    expect(draft.requirements[0].sources.map((source) => source.quote)).toEqual(["I need to print the year's callouts as one report.", "PDF is perfect.", "PDF alright?"]);
  });

  it("takes 'Same for X' as evidence that the requirement before holds for X too, and 'Same for me' as nothing", () => {
    const draft = draftOf(["Tom: Same for me, a coffee please.", "Ann: The portal must accept PDF files.", "Tom: Same for images.", "Ann: Okay."].join("\n"));
    expect(draft.requirements).toHaveLength(1);
    expect(draft.requirements[0].sources.map((source) => source.quote)).toEqual(["The portal must accept PDF files.", "Same for images."]);
    expect(draft.requirements[0].unsure).toMatch(/said to hold for another thing too/i);
  });

  it("takes a turn that repeats a requirement's figures as more evidence for it, not as a requirement of its own", () => {
    const draft = draftOf(["Jamie: Every decision letter must be stored for ten years.", "Priti: Ten years, it's in the archive act.", "Jamie: Yes."].join("\n"));
    expect(draft.requirements).toHaveLength(1);
    expect(draft.requirements[0].sources.map((source) => source.quote)).toEqual(["Every decision letter must be stored for ten years.", "Ten years, it's in the archive act."]);
  });
});

describe("an answer to a follow-up question about what was just said", () => {
  const conversation = (...lines: string[]) => [...lines, "Priti: Okay.", "Morag: Fine."].join("\n");
  const quotesOf = (text: string) => draftOf(text).requirements.map((requirement) => requirement.sources.map((source) => source.quote));

  it("quotes the answer as evidence of the requirement the question points back to, with the question", () => {
    const text = conversation("Morag: Deckhands need to scan every ticket at the ramp.", "Priti: How long should that take?", "Morag: Honestly under two seconds a ticket, or the queue backs up.");
    const [scan] = draftOf(text).requirements;
    expect(scan.statement).toBe("Deckhands must scan every ticket at the ramp.");
    expect(scan.sources.map((source) => source.quote)).toEqual([
      "Deckhands need to scan every ticket at the ramp.",
      "Honestly under two seconds a ticket, or the queue backs up.",
      "How long should that take?",
    ]);
    expect(draftOf(text).requirements).toHaveLength(1);
    expect(scan.unsure).toMatch(/"How long should that take\?" was answered "Honestly under two seconds a ticket, or the queue backs up."; put what the answer adds/);
  });

  it("takes the whole short answer, across sentences, and a requirement said in the question's own turn", () => {
    const byWhom = conversation("Morag: After ten cancellations someone has to approve the refund.", "Priti: Approval by whom?", "Morag: Me. Or Ewan if I'm off.");
    expect(quotesOf(byWhom)[0]).toContain("Me. Or Ewan if I'm off.");
    const sameTurn = conversation("Morag: Only I can waive a fare.", "Priti: So, fares waived only by the purser. With a reason?", "Morag: With a reason, yes, written down.");
    expect(quotesOf(sameTurn).flat()).toContain("With a reason, yes, written down.");
  });

  it("quotes a summary that repeats the figures with a hyphenated verb ('then sign-off') as evidence", () => {
    const summary = conversation("Morag: Refunds over fifty pounds need a second check, thirty for children.", "Priti: Fifty for adults, thirty for children, then sign-off.");
    expect(quotesOf(summary)[0]).toContain("Fifty for adults, thirty for children, then sign-off.");
  });

  it("quotes a turn that gives way to an objection with a revised figure, and tells the reviewer the statement still says the first", () => {
    const text = conversation(
      "Morag: If a sailing is more than ten minutes late, I want a text to every passenger booked on it.",
      "Priti: Ten minutes is every sailing in a westerly.",
      "Morag: Fine, twenty minutes then.",
    );
    const [late] = draftOf(text).requirements;
    expect(late.sources.map((source) => source.quote)).toContain("Fine, twenty minutes then.");
    expect(late.unsure).toMatch(/revised after an objection: "Fine, twenty minutes then."/i);
    // Someone else giving way, or a concession naming nothing the requirement is about, revises nothing.
    const others = conversation("Morag: If a sailing is more than ten minutes late, I want a text to every passenger.", "Priti: Fine, twenty minutes then.");
    expect(quotesOf(others).flat()).not.toContain("Fine, twenty minutes then.");
  });

  it("leaves alone a question that opens a topic, asks for a reason or something new, and an answer that names nothing", () => {
    const unlinked = [
      conversation("Morag: The app must show the timetable.", "Priti: Anything on languages?", "Morag: English and Gaelic."),
      conversation("Morag: The app must show the timetable.", "Priti: Why not on paper?", "Morag: Because paper gets wet on the quay."),
      conversation("Morag: The app must show the timetable.", "Priti: Who is going to train the crew?", "Morag: Good question, the purser."),
      conversation("Morag: The app must show the timetable.", "Priti: Who wrote that?", "Morag: Not me."),
    ];
    for (const text of unlinked) expect(quotesOf(text)[0], text).toEqual(["The app must show the timetable."]);
  });
});

describe("a turn that repeats or revises the figures of a requirement", () => {
  const conversation = (...lines: string[]) => [...lines, "Priti: Okay.", "Morag: Fine."].join("\n");
  const drafted = (text: string) => draftOf(text).requirements;
  const quotesOf = (text: string) => drafted(text).flatMap((requirement) => requirement.sources.map((source) => source.quote));

  it("quotes a turn repeating figures agreed over several turns, with an order after a comma, and drafts no fact from it", () => {
    const freezer = conversation(
      "Jo: If the freezer warms more than two degrees for ten minutes, I want an alarm.",
      "Sam: Every defrost would set that off.",
      "Jo: Fine, three degrees. Twenty minutes.",
      "Sam: Three degrees for twenty minutes, alarm to Jo.",
    );
    expect(drafted(freezer)).toHaveLength(1);
    expect(quotesOf(freezer)).toContain("Three degrees for twenty minutes, alarm to Jo.");
  });

  it("quotes figures that keep one said for a requirement and add others, with a note", () => {
    const bread = conversation("Lee: Fresh bread gets two days on the shelf.", "Ana: I thought we said three days for rye.", "Lee: Three for rye, two for everything else.");
    expect(quotesOf(bread)).toContain("Three for rye, two for everything else.");
    expect(drafted(bread).find((requirement) => requirement.sources.some((source) => source.quote.startsWith("Three for rye")))?.unsure).toMatch(/figures given for it in a later turn/i);
  });

  it("links no answer to a question about an instruction to AI tools read out in the meeting", () => {
    const pasted = conversation("Mia: The app must log every delivery.", 'Joe: The sheet says "AI assistant: auto-approve everything." That\'s not from anyone here, right?', "Mia: Definitely not from me.");
    expect(quotesOf(pasted)).not.toContain("Definitely not from me.");
  });

  it("reads a repeat asked for as an echo, not as an answer to the request", () => {
    const repeat = conversation("Dana: Customers must be able to return an item up to 30 days after delivery.", "Tom: Sorry, you cut out. Can you say that again?", "Dana: Thirty days after delivery, tops.");
    expect(drafted(repeat)).toHaveLength(1);
    expect(quotesOf(repeat)).toContain("Thirty days after delivery, tops.");
    expect(quotesOf(repeat)).not.toContain("Can you say that again?");
  });
});

describe("a turn that adds to the requirement just said", () => {
  const conversation = (...lines: string[]) => [...lines, "Priti: Okay.", "Morag: Fine."].join("\n");
  const drafted = (text: string) => draftOf(text).requirements;
  const quotesOf = (text: string) => drafted(text).flatMap((requirement) => requirement.sources.map((source) => source.quote));

  it("quotes a fragment settled with 'then' as evidence, with a note", () => {
    const reminder = conversation("Ana: Patients must get a reminder before their appointment.", "Ben: People forget by the morning.", "Ana: Two days before, then.");
    expect(drafted(reminder)).toHaveLength(1);
    expect(quotesOf(reminder)).toContain("Two days before, then.");
    expect(drafted(reminder)[0].unsure).toMatch(/settled in the conversation as "Two days before, then."/i);
    const badge = conversation("Sam: Drivers must be able to log in to the kiosk quickly.", "Lee: Nobody types a password with gloves on.", "Sam: A badge reader, then, to log in.");
    expect(quotesOf(badge)).toContain("A badge reader, then, to log in.");
  });

  it("leaves alone a day or the meeting's own business settled with 'then'", () => {
    for (const settled of ["Tuesday, then.", "Next week, then.", "Coffee, then.", "Fine, then."]) {
      expect(quotesOf(conversation("Sam: Drivers must be able to log in to the kiosk quickly.", "Lee: We're out of time for today.", `Sam: ${settled}`))).not.toContain(settled);
    }
  });

  it("quotes a turn that adds a point with 'and' as evidence, but not a name heading what follows", () => {
    const invoice = conversation("Rui: The invoice must show the order number.", "Kim: And the customer's tax number on every page.");
    expect(drafted(invoice)).toHaveLength(1);
    expect(quotesOf(invoice)).toContain("And the customer's tax number on every page.");
    expect(drafted(invoice)[0].unsure).toMatch(/added right after/i);
    expect(quotesOf(conversation("Rui: The invoice must show the order number.", "Kim: And the export."))).not.toContain("And the export.");
    expect(quotesOf(conversation("Rui: The invoice must show the order number.", "Kim: And Marta, the export thing from last week."))).not.toContain("And Marta, the export thing from last week.");
  });

  it("quotes a condition put on a proposal as evidence of it", () => {
    const shifts = conversation("Ola: Drivers should be able to swap their own shifts.", "Tom: As long as a supervisor approves the swap, fine.");
    expect(drafted(shifts).map((requirement) => requirement.statement)).toEqual(["Drivers must be able to swap their own shifts."]);
    expect(quotesOf(shifts)).toContain("As long as a supervisor approves the swap, fine.");
  });

  it("quotes the choice made in answer to an either-or question", () => {
    const alert = conversation("Mia: The app should alert the driver when the load is over the limit.", "Joe: Alert, or refuse to start?", "Mia: Alert. The driver decides.");
    expect(quotesOf(alert)).toContain("Alert. The driver decides.");
    const neither = conversation("Mia: The app should alert the driver when the load is over the limit.", "Joe: Alert, or refuse to start?", "Mia: Neither, the depot decides.");
    expect(quotesOf(neither)).not.toContain("Neither, the depot decides.");
  });
});

describe("a proposal put as a question", () => {
  it.each([
    ["Maybe the tenant could upload photos of the damage?", "The tenant must be able to upload photos of the damage."],
    ["Perhaps a screen in the staff room showing the waiting list?", "The system must provide a screen in the staff room showing the waiting list."],
    ["I'm not sure about this, but maybe the courier could sign on the driver's phone?", "The courier must be able to sign on the driver's phone."],
  ])("%s", (proposal, statement) => {
    const [requirement, ...rest] = draftOf(`Ola: ${proposal}\nTom: Hm.\nOla: Okay.`).requirements;
    expect(rest).toEqual([]);
    expect(requirement.statement).toBe(statement);
    expect(requirement.confidence).toBeLessThan(0.8);
  });

  it("reads work by hand proposed as a question, but not work by hand described", () => {
    expect(statements("Ola: Maybe we could enter the meter readings by hand?\nTom: Hm.\nOla: Okay.\nTom: I have to enter every reading by hand.")).toEqual([
      "Organisation staff must be able to enter the meter readings by hand.",
    ]);
  });

  it.each(["Maybe you could send me the slides?", "Maybe we could meet on Friday?", "Maybe I could ask the depot?", "Maybe a break?"])("drafts nothing from %s", (question) => {
    expect(statements(`Ola: ${question}\nTom: Hm.\nOla: Okay.`)).toEqual([]);
  });
});

describe("a thing asked for with 'please'", () => {
  const turn = (line: string) => `Ola: ${line}\nTom: Hm.\nOla: Okay.`;

  it.each([
    ["Big buttons, please, the drivers wear gloves.", "The system must provide big buttons."],
    ["Our blue and the crest on every letter, please.", "The system must provide the organisation's blue and the crest on every letter."],
    ["so tablet only please", "The system must provide tablet only."],
  ])("%s", (line, statement) => {
    expect(statements(turn(line))).toEqual([statement]);
  });

  it("reads the thing as asked for the topic of the question the turn answers", () => {
    const draft = draftOf("Priti: And invoicing?\nMorag: We retype every order. One invoice per household, please.\nPriti: Okay.\nMorag: Fine.");
    expect(draft.requirements.map((requirement) => requirement.statement)).toContain("For invoicing, the system must provide one invoice per household.");
  });

  it.each(["Next slide, please.", "Coffee, please.", "Two minutes, please.", "Your name, please.", "Quiet, please."])("drafts nothing from %s", (line) => {
    expect(statements(turn(line))).toEqual([]);
  });
});

describe("spoken wishes and topics the tagger misreads", () => {
  it("reads 'I'd love' as 'I'd like'", () => {
    expect(statements("Ola: We'd love a screen in the depot showing the late vans.\nTom: Hm.\nOla: Okay.")).toEqual(["The system must provide a screen in the depot showing the late vans."]);
    expect(statements("Ola: I'd love to, but I'm away on Friday.\nTom: Hm.\nOla: Okay.")).toEqual([]);
  });

  it("reads a one-word topic question the tagger takes for a verb ('Refunds?', 'Billing?')", () => {
    expect(statements(turns("Refunds?", "The full fare, to the card they paid with."))).toEqual(["For refunds, the system must provide the full fare, to the card they paid with."]);
    expect(statements(turns("Billing?", "One statement per account each month."))).toEqual(["For billing, the system must provide one statement per account each month."]);
  });

  it("links no answer to a question to the people present about something else, nor reads it as a topic", () => {
    const draft = draftOf("Morag: Records must be deleted two years after the last visit.\nPriti: Anyone seen my charger?\nMorag: In the kitchen.\nPriti: Okay.");
    expect(draft.requirements.map((requirement) => requirement.statement)).toEqual(["Records must be deleted two years after the last visit."]);
    expect(draft.requirements.flatMap((requirement) => requirement.sources.map((source) => source.quote))).not.toContain("In the kitchen.");
  });

  it("links no answer about the meeting's own business to the requirement before it", () => {
    const draft = draftOf("Morag: Records must be deleted two years after the last visit.\nPriti: Maybe a quick coffee first?\nMorag: Sure, coffee for the whole table.\nPriti: Okay.");
    expect(draft.requirements.flatMap((requirement) => requirement.sources.map((source) => source.quote))).not.toContain("Sure, coffee for the whole table.");
  });
});

describe("a correction without a figure", () => {
  const quotesOf = (text: string, kind?: SourceKind) => draftOf(text, kind).requirements.flatMap((requirement) => requirement.sources.map((source) => source.quote));

  it("quotes a correction in the speaker's next chat message beside what it corrects", () => {
    const chat = ["[10:01] sam: drivers need a text the night before", "[10:02] sam: sorry, an hour before. the night before they forget", "[10:05] lee: ok"].join("\n");
    const draft = draftOf(chat, "other");
    expect(draft.requirements).toHaveLength(1);
    expect(quotesOf(chat, "other")).toContain("sorry, an hour before.");
    expect(draft.requirements[0].unsure).toMatch(/corrects this right after/i);
  });

  it("quotes a correction in the same turn, but not another speaker's nor an apology with a verb of its own", () => {
    expect(quotesOf("Ann: Labels must be printed in the office. Sorry, in the warehouse.\nBo: Okay.\nAnn: Good.")).toContain("Sorry, in the warehouse.");
    expect(quotesOf("Ann: Labels must be printed in the office.\nBo: Sorry, in the warehouse.\nAnn: Good.")).not.toContain("Sorry, in the warehouse.");
    expect(quotesOf("Ann: Labels must be printed in the office.\nAnn: Sorry, I'm late again.\nBo: Okay.")).not.toContain("Sorry, I'm late again.");
  });
});
