import { describe, expect, it } from "vitest";
import { findUngroundedQuotes, isGrounded } from "./grounding";

const interview = `Dr. Meyer: Patients keep calling to move
their appointments.   We lose "about an hour" a day on the phone.`;

describe("isGrounded", () => {
  it("accepts an exact passage", () => {
    expect(isGrounded("We lose \"about an hour\" a day", interview)).toBe(true);
  });

  it("treats any run of whitespace, newlines included, as one space", () => {
    expect(isGrounded("keep calling to move their appointments. We lose", interview)).toBe(true);
    expect(isGrounded("keep calling to move\n\ttheir   appointments.", interview)).toBe(true);
    expect(isGrounded("  Patients keep calling\n", interview)).toBe(true);
  });

  it("does not forgive missing whitespace, case, quote marks or punctuation", () => {
    expect(isGrounded("calling tomove", interview)).toBe(false);
    expect(isGrounded("patients keep calling", interview)).toBe(false);
    expect(isGrounded("We lose “about an hour” a day", interview)).toBe(false);
    expect(isGrounded("Dr Meyer", interview)).toBe(false);
  });

  it("rejects an empty or blank quote", () => {
    expect(isGrounded("", interview)).toBe(false);
    expect(isGrounded(" \n ", interview)).toBe(false);
  });
});

describe("findUngroundedQuotes", () => {
  const sources = new Map([
    ["s1", interview],
    ["s2", "Reminders by SMS, please."],
  ]);

  it("returns nothing when every quote is in its cited source", () => {
    expect(
      findUngroundedQuotes(
        [
          { sourceId: "s1", quote: "Patients keep calling" },
          { sourceId: "s2", quote: "Reminders by SMS" },
        ],
        sources,
      ),
    ).toEqual([]);
  });

  it("reports quotes whose source is unknown or that are not in their source, in order", () => {
    const elsewhere = { sourceId: "s2", quote: "Patients keep calling" };
    const unknown = { sourceId: "s9", quote: "Reminders by SMS" };
    const invented = { sourceId: "s1", quote: "Patients love the app" };
    expect(findUngroundedQuotes([elsewhere, { sourceId: "s1", quote: "Dr. Meyer" }, unknown, invented], sources)).toEqual([
      { quote: elsewhere, problem: "not_found" },
      { quote: unknown, problem: "unknown_source" },
      { quote: invented, problem: "not_found" },
    ]);
  });

  it("treats an empty quote as not found", () => {
    const empty = { sourceId: "s1", quote: "" };
    expect(findUngroundedQuotes([empty], sources)).toEqual([{ quote: empty, problem: "not_found" }]);
  });

  it("checks a quote against an empty source text as not found, not as an unknown source", () => {
    const quote = { sourceId: "blank", quote: "anything" };
    expect(findUngroundedQuotes([quote], new Map([["blank", ""]]))).toEqual([{ quote, problem: "not_found" }]);
  });
});
