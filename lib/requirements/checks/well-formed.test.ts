import { describe, expect, it } from "vitest";
import { checkStatementForm, findTextDefects } from "./well-formed";

const wordsOf = (statement: string) => checkStatementForm(statement)?.words;

describe("checkStatementForm", () => {
  it.each([
    "Riders must be able to unlock a bike by scanning the QR code on the handlebar.",
    "If a station is full, riders must be able to end the ride next to it by locking the bike to the station's rack.",
    "It must be possible to export the day's appointments as a CSV file.",
    "Doctors must not be able to prescribe a drug the patient is recorded as allergic to.",
    "Availability, measured monthly, must be at least 99.5%, excluding announced maintenance on Sunday mornings.",
    "Only clerks and judges assigned to a case may view documents marked \"sealed\" in that case.",
    "Batch records must be exportable as CSV so they can be opened by anyone the brewery shares them with.",
    "The handheld must not lose any scan when the network drops.",
    "Staff and volunteers shall each have their own login.",
    "Maintenance must happen between 01:00 and 05:00.",
    "The app must run on iOS 16 and Android 11 or newer.",
    "Parents must be able to order lunch for any kind of school day.",
    "Borrowers, as well, must be able to renew a loan twice.",
    "Members must be able to book a class up to seven days ahead, and cancel up to two hours before.",
    "Stores must run on their own for a full day without head office and catch up after.",
    "Every time someone opens a result, it must be logged, with who and when.",
    "Those must be flagged to the doctor the same day.",
    "The booking page must work well, even on older phones.",
    "The export must support tools like, for example, spreadsheet programs.",
    "Exports must be logged and must be signed by the duty manager.",
    "Payments from the lockbox bank arrive as daily files and must be posted to accounts automatically.",
    "Clock-in times are working-time records under the regulations, and must be kept for two years.",
    "An item must be able to be renewed up to three times.",
    "Nothing must go in the diary until the deposit is paid.",
    "The system must no longer send paper invoices.",
    "Visitors must neither see nor edit the rota.",
  ])("passes a well-formed statement: %s", (statement) => {
    expect(checkStatementForm(statement)).toBeNull();
  });

  it("catches the issue's fragment with a source leftover", () => {
    const flag = checkStatementForm("Orders must not change after Actually, to.");
    expect(flag?.code).toBe("malformed");
    expect(flag?.words).toEqual(["Actually", "to"]);
    expect(flag?.message).toContain("'Actually' is capitalised in mid-sentence");
    expect(flag?.message).toContain("it ends on 'to'");
  });

  it.each([
    ["Ops must can copy a previous shipment for a repeat customer lane.", ["must can"]],
    ["The parent app must may be down for maintenance only between 22:00 and 05:00.", ["must may"]],
    ["The system must will send a reminder the day before.", ["must will"]],
    ["Up to 70 attendants, supervisors and must engineer will be logged in at once.", ["and must"]],
    ["The system must nothing go in the diary until the deposit is paid.", ["must nothing"]],
    ["The system must nobody fly one without a flyer ID.", ["must nobody"]],
  ])("catches a source's modal or actor cut into the drafter's obligation: %s", (statement, words) => {
    expect(wordsOf(statement)).toEqual(words);
  });

  it("catches an opening phrase run into the obligation with no actor after it, and passes one that names an actor", () => {
    expect(wordsOf("From a 5-hectolitre must pilot up to the full 30-hectolitre brew.")).toEqual(["From a 5-hectolitre"]);
    expect(wordsOf("On weekends must the shop open.")).toEqual(["On weekends", "must"]);
    for (const statement of [
      "In villages with no mobile signal the van must keep lending offline for a whole day.",
      "For each order the kitchen must print a label.",
      "From Monday, staff must log in with a card.",
      "Across all sites the system must log every scan.",
    ]) {
      expect(checkStatementForm(statement), statement).toBeNull();
    }
  });

  it("catches a clause after a semicolon that lost its verb, and passes one that kept it", () => {
    expect(wordsOf("Orders for a given day must close at 09:30 that morning; after that.")).toEqual(["after that"]);
    expect(checkStatementForm("Orders for a given day must close at 09:30 that morning; after that, the child gets the default meal.")).toBeNull();
  });

  it("catches the issue's discourse fillers and the trailing ellipsis", () => {
    expect(wordsOf("Actually, to be honest, school staff must have the final numbers by 8:00 ...")).toEqual(["Actually", "to be honest", "..."]);
  });

  it.each([
    ["The menu must show the <b>allergens</b> of each meal.", ["<b>", "</b>"]],
    ["Payslips must show hours&nbsp;worked.", ["&nbsp;"]],
    ["**Borrowers** must be able to renew a loan.", ["**"]],
    ["Applicants must upload the `site_plan.pdf` file.", ["`"]],
    ["Borrowers must return items within 21 days, see [the policy](https://x.example).", ["[the policy](https://x.example)"]],
    ["## Discharge the letter must be sent to the GP within 24 hours.", ["##"]],
    ["[00:12:03] Tom: drivers must scan every parcel.", ["[00:12:03]", "Tom:"]],
    ["- Every batch shall have a status.", ["-"]],
    ["3.4 Every batch shall have a status.", ["3.4"]],
    ["<!-- note --> Riders must be able to rate a bike.", ["<!--", "-->"]],
    ["Riders must be able to rate a\u200B bike.", ["\u200B"]],
  ])("catches leftover markup: %s", (statement, words) => {
    expect(wordsOf(statement)).toEqual(words);
  });

  it.each([
    ["I think payroll clerks must be able to correct a payslip.", ["I think", "I"]],
    ["Parents must, like, be able to top up the account by card.", ["like,"]],
    ["Well, nurses must record vital signs every 4 hours.", ["Well,"]],
    ["Nurses must basically record vital signs every 4 hours.", ["basically"]],
    ["Um, drivers must scan every parcel, you know.", ["Um", "you know"]],
    ["Applicants must kind of see where their application is.", ["kind of"]],
  ])("catches discourse fillers: %s", (statement, words) => {
    expect(wordsOf(statement)).toEqual(words);
  });

  it.each([
    ["The kiosk must print a receipt for", ["for"], "it ends on 'for'"],
    ["Drivers must record the signature (or a photo of the door.", ["()"], "unbalanced"],
    ["The board must show each bed's status, e.g. \"clean or blocked.", ['"'], "unbalanced"],
    ["Drivers must scan every parcel,", [","], "it ends in ','"],
    ["Must calculate holiday pay from the last 12 weeks.", ["Must"], "nobody comes before 'Must'"],
    ["Orders must the final count.", ["must"], "no action follows 'must'"],
    ["Holiday pay from the last 12 weeks.", [], "no obligation"],
    ["What happens if a van breaks down? Dispatchers must reassign its parcels.", ["?"], "a question"],
    ["Nurses must hand over each patient. So that is it.", ["So that is it"], "second sentence with no requirement"],
    ["My team must approve leave requests.", ["My"], "the speaker's own voice"],
  ])("catches a fragment: %s", (statement, words, reason) => {
    const flag = checkStatementForm(statement);
    expect(flag?.words).toEqual(words);
    expect(flag?.message).toContain(reason);
  });

  it("leaves a second sentence with its own obligation to the compound check", () => {
    expect(checkStatementForm("Nurses must record vital signs. Doctors must review them daily.")).toBeNull();
  });

  it("flags an empty statement", () => {
    expect(checkStatementForm("   ")?.message).toContain("empty");
  });
});

describe("findTextDefects", () => {
  it("allows the first person where a user story needs it", () => {
    expect(findTextDefects("I can see my orders", { allowFirstPerson: true })).toEqual([]);
    expect(findTextDefects("I can see my orders").map((defect) => defect.words)).toEqual([["I", "my"]]);
  });
});
