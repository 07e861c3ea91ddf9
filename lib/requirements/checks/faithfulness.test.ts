import { describe, expect, it } from "vitest";
import { assessFaithfulness, checkFaithfulness, faithfulnessScore, quoteContexts } from "./faithfulness";

const quoted = (quote: string, source = quote) => ({
  quotes: [{ sourceId: "s1", quote }],
  sources: new Map([["s1", source]]),
});

function check(statement: string, quote: string, source = quote) {
  const { quotes, sources } = quoted(quote, source);
  return checkFaithfulness(statement, quotes, sources);
}

describe("checkFaithfulness", () => {
  it.each([
    ["Riders must be able to request a refund in the app for up to 7 days after a ride.", "Riders must be able to request a refund in the app for up to 7 days after a ride."],
    ["Ride data must be deleted after 12 months.", "Ride data should be deleted after 12 months."],
    ["Broken bikes must never be counted as free.", "Broken bikes are never counted as free."],
    ["Dispatchers must be able to see every van on a map.", "Dispatchers need to see every van on a map."],
    ["The system must send a reminder e-mail three days before a loan is due.", "The system should send a reminder e-mail 3 days before a loan is due."],
    ["The app must handle 5,000 concurrent riders.", "The app must handle 5000 concurrent riders."],
    ["Riders must not be able to end a ride outside a dock.", "Riders must not be able to end a ride outside a dock."],
    ["Employees must be able to view their payslips.", "Employees want to see their payslips."],
    ["Nobody outside the brewing team must see recipes.", "nobody outside the brewing team sees recipes."],
    ["Nobody else must be able to issue a permit.", "Nobody else can issue or cancel a permit."],
    ["The system must make the limit eight for the house strain.", "Actually, no, make the limit eight for the house strain."],
    ["The kitchen must have the final numbers by 14:00.", "The kitchen needs the final numbers by 14:00. After that, orders can't change."],
  ])("passes a faithful rewrite: %s", (statement, quote) => {
    expect(check(statement, quote)).toBeNull();
  });

  it("allows a requirement that states the opposite of a reported problem", () => {
    expect(check("The app must not crash when the phone loses signal.", "the app crashed when the phone lost signal.")).toBeNull();
    expect(check("The system must pay the refund for a double charge.", "the refund for a double charge was never paid.")).toBeNull();
    expect(check("The app must be fast on older phones.", "The app is slow on older phones.")).toBeNull();
  });

  it("does not allow the opposite of a quote that asks for something", () => {
    expect(check("Librarians must not be able to waive a late fee.", "Librarians must be able to waive a late fee.")?.words).toEqual(["must not be able to"]);
    expect(check("A permit must be issued while a fee is unpaid.", "A permit must not be issued while a fee is unpaid.")?.message).toContain("the quote says the opposite");
  });

  it("accepts the organisation named where the quote says 'we' or 'our'", () => {
    expect(check("Payment data must never be stored on the bike-share's servers.", "Payment data must never be stored on our servers.")).toBeNull();
    expect(check("Brookfield staff must receive the final head count by 10:00.", "We need the final head count by 10:00")).toBeNull();
    expect(check("Gym staff must check the member's ID once.", "we'd need to check their ID once")).toBeNull();
    expect(check("Gym staff must be able to see who hasn't paid after 30 days.", "I want to see who hasn't paid after 30 days.")).toBeNull();
  });

  it("lets a rewrite use the question an answer replies to, and the line a quote was cut from", () => {
    const source = "Q: What must the app show on the map?\nA: Every station and the number of free bikes.";
    expect(check("The app must show every station and the number of free bikes on the map.", "Every station and the number of free bikes.", source)).toBeNull();
    const notes = "- Mechanic Sam: wants to flag a bike as broken from the app.";
    expect(check("Mechanics must be able to flag a bike as broken.", "wants to flag a bike as broken from the app.", notes)).toBeNull();
  });

  it.each([
    ["Nurses must record vital signs every 2 hours.", "Nurses must record vital signs every 4 hours.", ["2"]],
    ["The route plan must be ready within 10 hours.", "The route plan must be ready within 10 minutes.", ["hours"]],
    ["Payslips must be available 2 days after pay day.", "Payslips must be available 2 days before pay day.", ["after"]],
    ["Refunds must be paid within 3 days.", "Refunds must be paid after 3 days.", ["within 3"]],
    ["Porters must be able to prescribe controlled drugs.", "Doctors must be able to prescribe controlled drugs.", ["Porters"]],
    ["Supervisors must approve a refund.", "Clerks must approve a refund.", ["Supervisors"]],
  ])("flags a changed number, unit, deadline or actor: %s", (statement, quote, words) => {
    expect(check(statement, quote)?.words).toEqual(words);
  });

  it("flags content the quote does not have", () => {
    const flag = check(
      "Applicants must be able to pay the permit fee online by credit card, bank transfer or cash.",
      "Applicants must be able to pay the permit fee online.",
    );
    expect(flag?.code).toBe("unfaithful");
    expect(flag?.words).toEqual(["credit", "card", "bank", "transfer", "cash"]);
    expect(flag?.message).toContain("are not in the quote");
  });

  it("tolerates one word drawn from nowhere, but not two", () => {
    expect(check("Riders must be able to request a refund in the app quickly.", "Riders must be able to request a refund in the app.")).toBeNull();
    expect(check("Riders must be able to request a cash refund in the app quickly.", "Riders must be able to request a refund in the app.")).not.toBeNull();
  });

  it("leaves a draft without quotes to the grounding check", () => {
    expect(checkFaithfulness("Riders must pay.", [], new Map())).toBeNull();
  });
});

describe("faithfulnessScore", () => {
  it("is 1 for a verbatim statement and falls with invented content and violations", () => {
    const quote = "Nurses must record vital signs every 4 hours.";
    expect(faithfulnessScore(quote, [quote])).toBe(1);
    const changed = faithfulnessScore("Nurses must record vital signs every 2 hours.", [quote]);
    const invented = faithfulnessScore("Nurses must record vital signs, pain scores and fluid balance every 2 hours on paper.", [quote]);
    expect(changed).toBeLessThan(1);
    expect(invented).toBeLessThan(changed);
    expect(invented).toBeGreaterThanOrEqual(0);
  });

  it("counts a word found only around the quote as half supported", () => {
    const report = assessFaithfulness("The app must show every station on the map.", ["Every station."], ["Q: What must the app show on the map?", "A: Every station."]);
    expect(report.contextOnly).toEqual(["show", "map"]);
    expect(report.score).toBeCloseTo(0.67, 2);
  });
});

describe("quoteContexts", () => {
  it("returns the quote's line and the question before it", () => {
    const source = "Intro.\n\nQ: Refunds?\nA: Riders must be able to request a refund. Today they email us.";
    expect(quoteContexts([{ sourceId: "s", quote: "Riders must be able to request a refund." }], new Map([["s", source]]))).toEqual([
      "Q: Refunds?",
      "A: Riders must be able to request a refund. Today they email us.",
    ]);
  });

  it("returns nothing for an unknown source", () => {
    expect(quoteContexts([{ sourceId: "x", quote: "a" }], new Map())).toEqual([]);
  });
});
