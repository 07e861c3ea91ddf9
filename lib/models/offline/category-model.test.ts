import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labelledRequirementLines } from "@/fixtures/eval";
import { resetEnvForTests } from "@/lib/env";
import { requirementCategories, type RequirementCategory } from "@/lib/requirements/schema";
import { classify } from "./classify";
import {
  categoryBase,
  categoryDoubt,
  categoryFeatures,
  categoryModelDataSchema,
  forgetCategoryBase,
  outOfFoldDistributions,
  predictCategory,
  serializeCategoryBase,
  trainCategoryBase,
  trainCategoryModel,
  type CategoryExample,
  type CategoryModelData,
} from "./category-model";

/**
 * Statements written for this test, across a dozen kinds of project, labelled as a reviewer
 * would. Many are worded without the keywords classify.ts looks for, as real notes often are.
 */
const labelled: Record<RequirementCategory, string[]> = {
  functional: [
    "Riders must be able to report a broken bike with a photo.",
    "Patients must be able to book a follow-up appointment with the same doctor.",
    "Members must be able to renew a loan twice before it has to be returned.",
    "The system must send a receipt by email when an order is paid.",
    "Customers must be able to split a bill between two cards.",
    "Warehouse staff must be able to scan a pallet to record where it was put away.",
    "Teachers must be able to publish homework for a whole class at once.",
    "Managers must be able to approve or decline holiday requests from their team.",
    "The system must calculate the delivery fee from the distance to the restaurant.",
    "Applicants must be able to upload floor plans with a building permit request.",
    "Households must be able to submit a meter reading every month.",
    "Policy holders must be able to file a claim for a damaged car with photos.",
    "The librarian must be able to mark a returned book as damaged.",
    "Drivers must be able to see the next stop on their route.",
    "Patients must be able to cancel an appointment up to the day before.",
    "The system must remind members three days before a loan is due.",
    "Shoppers must be able to save items to a wish list.",
    "Parents must be able to excuse their child's absence through the portal.",
    "The dispatcher must be able to reassign a parcel to another driver.",
    "Employees must be able to download their payslips as PDF.",
    "The system must generate an invoice number for every order.",
    "Riders must be able to end a ride only at a dock.",
    "Inspectors must be able to record the result of a site visit.",
    "Customers must be able to compare two tariffs side by side.",
    "The system must put a reserved book on hold for five days.",
    "Waiters must be able to send an order straight to the kitchen.",
    "Claims handlers must be able to ask the customer for more documents.",
    "Students must be able to hand in an essay before the deadline.",
    "The system must notify the applicant when the permit is granted.",
    "Pickers must be able to mark an item as out of stock.",
    "Customers must be able to track where their parcel is.",
    "Doctors must be able to add a note to a patient's visit.",
    "Shoppers must be able to apply a discount code at checkout.",
    "The system must create a repair ticket when a bike is reported broken.",
    "Candidates must be able to withdraw an application they submitted.",
    "Tenants must be able to report a broken heater to the landlord.",
  ],
  security: [
    "Only the treating doctor may read a patient's notes.",
    "Every change to a salary must be recorded with who made it.",
    "Staff must sign in with two-factor authentication.",
    "Card numbers must never be kept on our servers.",
    "A driver must not see parcels assigned to other drivers.",
    "Passwords must be stored hashed with a modern algorithm.",
    "Accounts must lock after five failed sign-in attempts.",
    "Students must only see their own grades.",
    "Claims data must be encrypted at rest and in transit.",
    "Administrators must be the only ones who can change user roles.",
    "Sessions must expire after 15 minutes without activity.",
    "Every export of customer data must be logged.",
  ],
  legal: [
    "Ride history must be deleted after 12 months, as the city contract requires.",
    "Children under 16 must have a parent's consent before they can sign up.",
    "The shop must show prices including VAT.",
    "Personal data of customers in the EU must stay in EU data centres.",
    "Customers must be able to withdraw from a purchase within 14 days, as the law requires.",
    "Medical records must be kept for ten years after the last visit.",
    "The app must show the terms and conditions before the first ride.",
    "Invoices must carry the seller's tax number.",
    "Applicants must agree to the privacy notice before submitting a claim.",
    "Payslips must follow the format the labour regulations prescribe.",
    "Cookie tracking must be off until the visitor agrees to it.",
    "Energy bills must state the supplier's licence number.",
  ],
  availability: [
    "The booking site must be available 99.9% of the time.",
    "The shop must stay online during the Black Friday sale.",
    "Planned maintenance must happen only between 2 and 4 am.",
    "The dispatch board must be up whenever drivers are on the road.",
    "Riders must be able to rent bikes at any hour of the day.",
    "The portal must not be down for more than an hour a month.",
    "The meter reading service must be reachable around the clock.",
    "The emergency line booking must be open every day of the year.",
    "Teachers must be able to reach the grade book during the exam week without interruptions.",
    "The claims portal must have an uptime of at least 99.5%.",
  ],
  fault_tolerance: [
    "A ride must not be lost when the phone loses signal.",
    "The scanner app must keep working without a connection and sync later.",
    "A payment must not be charged twice if the request is repeated.",
    "An order must survive a restart of the kitchen printer.",
    "If the card reader fails, the waiter must be able to take the order on paper and enter it later.",
    "The system must recover the last saved draft after a crash.",
    "Bookings must be restored from the nightly backup within an hour.",
    "A failing payment provider must not stop customers from browsing.",
    "The tracking page must show the last known position when the GPS feed drops.",
    "Meter readings entered offline must be sent once the network is back.",
  ],
  performance: [
    "The map must load within 2 seconds.",
    "Search results must appear in under a second.",
    "Unlocking a bike must take less than 5 seconds.",
    "The checkout page must respond within 300 milliseconds.",
    "Payslips must be generated within a minute of approval.",
    "Searching a patient by name must be fast.",
    "The route must be recalculated in less than three seconds.",
    "Reports must open without a noticeable delay.",
    "The grade book must save a mark instantly.",
    "The claim status must update within five seconds of a decision.",
    "Loading the catalogue must not take longer than two seconds on 4G.",
  ],
  scalability: [
    "The app must handle 5,000 riders at the same time.",
    "The shop must cope with ten times the usual traffic during sales.",
    "The system must support 200 concurrent dispatchers.",
    "The portal must serve all 40,000 students on results day.",
    "The warehouse system must handle twice as many orders next year without a redesign.",
    "The booking system must grow to 50 clinics.",
    "The meter service must accept two million readings on the last day of the month.",
    "Adding a new city must not need more servers per rider.",
    "The claims system must process 10,000 claims a day after a storm.",
    "The kitchen display must keep up with 300 orders an hour at peak.",
  ],
  portability: [
    "The app must run on iOS 16 and Android 11 or newer.",
    "The portal must work in Safari, Chrome and Firefox.",
    "The scanner app must run on the handhelds the warehouse already owns.",
    "The booking site must work on tablets in the waiting room.",
    "The system must be deployable on our own servers as well as in the cloud.",
    "The grade book must work on the school's old Windows laptops.",
    "The driver app must run on Android phones from 2019 on.",
    "The kiosk must run on a Raspberry Pi.",
    "The site must work on small smartphone screens.",
    "The database must be movable from PostgreSQL to SQL Server without rewriting the app.",
  ],
  usability: [
    "A new rider must be able to start a first ride without help.",
    "Booking an appointment must take no more than three steps.",
    "The app must be usable with a screen reader.",
    "Error messages must say what to do next in plain words.",
    "The portal must be available in English, Spanish and Arabic.",
    "Older members must be able to read the text without zooming.",
    "Claim forms must remember what was typed if the customer goes back.",
    "Waiters must learn the order screen in under ten minutes.",
    "Buttons must be large enough to tap with gloves on.",
    "The checkout must be easy to finish on a phone.",
    "The meter reading form must explain where to find the number.",
  ],
  look_and_feel: [
    "The app must use the city's colours and logo.",
    "The shop must offer a dark mode.",
    "Every page must use the corporate font.",
    "The portal must look like the school's website.",
    "Invoices must show the company branding at the top.",
    "The map must use the bike-share's green for available bikes.",
    "The claims site must follow the insurer's design guidelines.",
    "The menu must show a photo of every dish.",
    "The dashboard must have a calm, uncluttered layout.",
    "Icons must match the style of the rest of the product family.",
  ],
  maintainability: [
    "Opening hours must be changeable without a developer.",
    "Tariffs must be configurable by the finance team.",
    "Every module must have automated tests.",
    "A new delivery zone must be addable without a release.",
    "The code must follow the team's style guide.",
    "The API must be documented for other teams.",
    "Email templates must be editable by the marketing team.",
    "Upgrading the framework must not require rewriting the screens.",
    "The pricing rules must live in one place in the code.",
    "A new language must be addable by translators alone.",
  ],
  operational: [
    "Hosting must cost less than 2,000 euros a month.",
    "The support team must be alerted when a payment provider stops answering.",
    "The system must run on the existing hospital infrastructure.",
    "Text messages must stay under 10,000 a month.",
    "Nightly jobs must finish before the first shift starts.",
    "The operations team must see the number of bikes out of service every morning.",
    "Logs must be kept for 30 days for troubleshooting.",
    "Deployments must be possible during office hours without downtime for staff.",
    "The system must be run by the existing IT team of two people.",
    "Monitoring must page the on-call engineer when the queue backs up.",
  ],
};

const examples: CategoryExample[] = requirementCategories.flatMap((category) => labelled[category].map((text) => ({ text, category })));

/** Every other statement of each category: both halves see every category. */
const train = examples.filter((_, index) => index % 2 === 0);
const heldOut = examples.filter((_, index) => index % 2 === 1);

const accuracy = (predict: (text: string) => RequirementCategory) =>
  heldOut.filter((example) => predict(example.text) === example.category).length / heldOut.length;

describe("the labelled statements", () => {
  it("are about 150, for every category", () => {
    expect(examples.length).toBeGreaterThanOrEqual(140);
    for (const category of requirementCategories) expect(labelled[category].length, category).toBeGreaterThanOrEqual(10);
  });
});

describe("the category model", () => {
  const model = trainCategoryModel(train);
  const keywords = accuracy(classify);
  const trained = accuracy((text) => predictCategory(model, text).category);

  it("does no worse than the keywords on held-out statements of other projects, trained on half", () => {
    // Measured, not wished for: ~75 examples from a dozen kinds of project teach a little (68% -> 74%);
    // the learned part pays off when a deployment's wording recurs (below).
    console.info(`category accuracy on ${heldOut.length} held-out statements: keywords ${pct(keywords)}, trained on ${train.length} ${pct(trained)}`);
    expect(trained).toBeGreaterThanOrEqual(keywords - 0.03);
  });

  it("survives JSON and its schema, predicting the same", () => {
    const restored: CategoryModelData = categoryModelDataSchema.parse(JSON.parse(JSON.stringify(model)));
    for (const { text } of heldOut) expect(predictCategory(restored, text)).toEqual(predictCategory(model, text));
  });

  it("is deterministic: the same examples give the same model", () => {
    expect(JSON.stringify(trainCategoryModel(train))).toBe(JSON.stringify(model));
  });

  it("is fitted to convergence: the same examples in another order give the same probabilities", () => {
    const reversed = trainCategoryModel([...train].reverse());
    for (const { text } of heldOut) {
      const [a, b] = [predictCategory(model, text), predictCategory(reversed, text)];
      expect(b.category).toBe(a.category);
      expect(b.probability).toBeCloseTo(a.probability, 3);
    }
  });

  it("gives a distribution over every category that sums to one", () => {
    for (const trainedOn of [undefined, model]) {
      const { distribution, category, probability } = predictCategory(trainedOn, "The map must load within 2 seconds.");
      expect(Object.keys(distribution).sort()).toEqual([...requirementCategories].sort());
      expect(Object.values(distribution).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 9);
      expect(probability).toBe(distribution[category]);
    }
  });

  it("trusts the learned part more as its examples grow", () => {
    // Worded with no keyword at all: only the model can know it is about branding.
    const text = "The receipts must carry our mascot in the corner.";
    const mascot = (count: number) =>
      Array.from({ length: count }, (_, index): CategoryExample => ({ text: `Screen ${index + 1} must carry our mascot in the corner.`, category: "look_and_feel" }));
    const small = trainCategoryModel([...train.slice(0, 10), ...mascot(2)]);
    const large = trainCategoryModel([...train, ...mascot(80)]);
    expect(predictCategory(undefined, text).category).toBe("functional");
    expect(predictCategory(large, text).category).toBe("look_and_feel");
    expect(predictCategory(large, text).distribution.look_and_feel).toBeGreaterThan(predictCategory(small, text).distribution.look_and_feel);
  });

  it("scores each statement out of fold: by a model that did not learn from it", () => {
    // "mascot" is a look-and-feel word only in fold 0; in fold 1 the same wording is new.
    const mascot = (fold: number, count: number) =>
      Array.from({ length: count }, (_, index) => ({ text: `Screen ${index + 1} must carry our mascot in the corner.`, category: "look_and_feel" as const, fold }));
    const others = train.map((example, index) => ({ ...example, fold: index % 2 }));
    const unlabelled = { text: "The receipts must carry our mascot in the corner.", category: null, fold: 0 };
    const statements = [...mascot(1, 20), ...others, unlabelled, { ...unlabelled, fold: 1 }];
    const distributions = outOfFoldDistributions(statements);
    expect(distributions).toHaveLength(statements.length);
    // Fold 0's model learned the mascot from fold 1; fold 1's model never saw it.
    expect(distributions.at(-2)!.look_and_feel).toBeGreaterThan(0.5);
    expect(distributions.at(-1)!.look_and_feel).toBeLessThan(distributions.at(-2)!.look_and_feel / 2);
    // A fold's scores are those of a model trained on the other folds' examples, unlabelled statements taking no part.
    const foldZero = trainCategoryModel(statements.flatMap((s) => (s.fold !== 0 && s.category !== null ? [{ text: s.text, category: s.category }] : [])));
    expect(distributions.at(-2)).toEqual(predictCategory(foldZero, unlabelled.text).distribution);
  });

  it("leaves the keywords alone to decide when it cannot classify", () => {
    const oneLabel = trainCategoryModel(labelled.security.map((text) => ({ text, category: "security" })));
    const text = "The map must load within 2 seconds.";
    expect(predictCategory(oneLabel, text)).toEqual(predictCategory(undefined, text));
  });
});

describe("the keyword prior", () => {
  startingFrom("keywords");
  const probability = (text: string) => predictCategory(undefined, text).probability;

  it("is the classifier when there is no model and no base", () => {
    for (const { text } of examples) expect(predictCategory(undefined, text).category).toBe(classify(text));
  });

  it("is surer of one clear signal than of a tie or of nothing", () => {
    const clear = probability("The map must load within 2 seconds.");
    const nothing = probability("Riders must be able to report a broken bike.");
    const tie = predictCategory(undefined, "Search must be easy and fast.");
    expect(clear).toBeGreaterThan(0.8);
    expect(nothing).toBeGreaterThan(0.6);
    expect(nothing).toBeLessThan(clear);
    expect(predictCategory(undefined, "Riders must be able to report a broken bike.").category).toBe("functional");
    expect(tie.probability).toBeLessThan(0.5);
    expect(categoryDoubt(tie)).toMatch(/^category unclear: performance 0\.\d\d vs usability 0\.\d\d$/);
    expect(categoryDoubt(predictCategory(undefined, "The map must load within 2 seconds."))).toBeNull();
  });

  it("reads how often something happens as no availability: a monthly report or charge is a function", () => {
    expect(classify("The system must produce a monthly revenue report for the finance office.")).toBe("functional");
    expect(classify("Members must pay a fixed amount per month by direct debit.")).toBe("functional");
    expect(classify("Uptime, measured monthly, must be at least 99.5%.")).toBe("availability");
  });

  it("reads a time a person needs as usability, languages offered as usability, and scaling a thing as a function", () => {
    expect(classify("A new clerk must be able to register a member in under five minutes.")).toBe("usability");
    expect(classify("Ordering a week of lunches should take a parent less than two minutes.")).toBe("usability");
    expect(classify("The search results must appear within two seconds.")).toBe("performance");
    expect(classify("The parent app must be available in English, Somali and Hmong.")).toBe("usability");
    expect(classify("The booking site must be available 24 hours a day.")).toBe("availability");
    expect(classify("The system must scale a recipe to any batch size.")).toBe("functional");
    expect(classify("The platform must cope with ten times normal traffic.")).toBe("scalability");
  });

  it("reads who alone is able to act as access control, whatever the act, and a plain ability as a function", () => {
    expect(classify("Nobody else must be able to move a trader once the map is published.")).toBe("security");
    expect(classify("Only librarians must be able to waive a late fee.")).toBe("security");
    expect(classify("Riders must be able to unlock a bike with the app.")).toBe("functional");
    expect(classify("Nothing must go in the diary until the deposit is paid.")).toBe("functional");
  });

  it("knows a few words of each quality beyond its name: card numbers, opt-in, suppliers, an unreachable service", () => {
    expect(classify("Reception staff must never see a full card number.")).toBe("security");
    expect(classify("Clients must opt in before they receive any newsletter.")).toBe("legal");
    expect(classify("A new appointment type must be something the manager can set up without calling the supplier.")).toBe("maintainability");
    expect(classify("If the payment service is unreachable, bookings must wait in a queue.")).toBe("fault_tolerance");
    expect(classify("Librarians must be able to create and edit reading lists.")).toBe("functional");
  });

  it("reads one environment the organisation already has as operational, several as portability", () => {
    expect(classify("The till software must run on the Windows terminals already in the cafeterias.")).toBe("operational");
    expect(classify("The courier app must run on the Android handhelds couriers already carry and on ordinary Android phones.")).toBe("portability");
    expect(classify("The tracking page must work in any current browser.")).toBe("portability");
  });
});

describe("the shipped base", () => {
  it("is what npm run train:categories learns from the evaluation set", () => {
    // Fails when the set, the keywords or the features change and the base was not written again.
    const shipped = readFileSync(new URL("./category-base.json", import.meta.url), "utf8");
    expect(serializeCategoryBase(trainCategoryBase(labelledRequirementLines("all"))) === shipped, "run npm run train:categories").toBe(true);
  }, 120_000);

  it("names the category of statements it never learned from more often than the keywords", () => {
    // These statements were written for this test, not taken from fixtures/eval (which the base learned).
    const learned = new Set(labelledRequirementLines("all").map((line) => line.text));
    const unseen = examples.filter((example) => !learned.has(example.text));
    const right = (predict: (text: string) => RequirementCategory) => unseen.filter((example) => predict(example.text) === example.category).length / unseen.length;
    const [base, keywords] = [right((text) => predictCategory(undefined, text).category), right(classify)];
    console.info(`category accuracy on ${unseen.length} statements the base never saw: keywords ${pct(keywords)}, shipped base ${pct(base)}`);
    expect(base).toBeGreaterThan(keywords);
  });
});

describe("a base named by CATEGORY_BASE", () => {
  const directory = mkdtempSync(path.join(tmpdir(), "category-base-"));
  const file = path.join(directory, "base.json");
  writeFileSync(file, serializeCategoryBase(trainCategoryBase(train)));
  // A statement the base learned whose keywords say otherwise: the base, not the keywords, names it.
  const learnedOverKeywords = train.find((example) => classify(example.text) !== example.category)!;

  describe("from a file", () => {
    startingFrom(file);
    it("is what a new deployment drafts with, and what its own classifier learns on top of", () => {
      expect(categoryBase().id).toMatch(/^base:[0-9a-f]{16}$/);
      expect(predictCategory(undefined, learnedOverKeywords.text).category).toBe(learnedOverKeywords.category);
      expect(trainCategoryModel(train).base).toBe(categoryBase().id);
    });
  });

  it("is refused with the variable named when it is no base", () => {
    const notABase = path.join(directory, "not-a-base.json");
    writeFileSync(notABase, JSON.stringify({ version: 3, examples: 0, base: "base:0123456789abcdef", learned: null }));
    for (const choice of [notABase, path.join(directory, "missing.json")]) {
      process.env.CATEGORY_BASE = choice;
      resetEnvForTests();
      forgetCategoryBase();
      expect(() => categoryBase()).toThrow(/CATEGORY_BASE/);
    }
    delete process.env.CATEGORY_BASE;
    resetEnvForTests();
    forgetCategoryBase();
  });
});

/** Runs the enclosing tests with CATEGORY_BASE set to `choice`, and the shipped base again after them. */
function startingFrom(choice: string) {
  const use = (value: string | undefined) => {
    if (value === undefined) delete process.env.CATEGORY_BASE;
    else process.env.CATEGORY_BASE = value;
    resetEnvForTests();
    forgetCategoryBase();
  };
  beforeAll(() => use(choice));
  afterAll(() => use(undefined));
}

describe("the features", () => {
  it("are lemmas, bigrams and keyword signals, prefixed so none is an Object property", () => {
    const features = categoryFeatures("The maps must load within 2 seconds.");
    expect(features).toEqual(expect.arrayContaining(["w:map", "w:load", "b:load_within", "b:within_#num", "k:performance:strong"]));
    expect(categoryFeatures("Riders must be able to report a constructor.")).toContain("k:none");
    expect(categoryFeatures("Riders must be able to report a constructor.").every((feature) => /^[wbk]:/.test(feature))).toBe(true);
  });
});

const pct = (value: number) => `${Math.round(value * 100)}%`;
