import { describe, expect, it } from "vitest";
import { termsOf } from "./terms";

describe("figures in words", () => {
  it("reads none from a number word compromise cannot value, instead of failing the draft", () => {
    // compromise answers "Fifty's" with an object, not a list of values.
    expect(termsOf("Fifty's too loose.").figures).toEqual([]);
    expect(termsOf("Fifty's too loose. Half the leaks I find are thirty percent up.").figures).toEqual([{ value: "30", unit: "percent", text: "thirty percent" }]);
  });

  it("reads a time of day said in a word and 'the day before' as one day", () => {
    expect(termsOf("We take them up to noon the day before.").figures).toEqual([
      { value: "12:00", unit: "time of day", text: "noon" },
      { value: "1", unit: "day", text: "the day" },
    ]);
    expect(termsOf("Backups run at midnight.").figures).toEqual([{ value: "00:00", unit: "time of day", text: "midnight" }]);
    expect(termsOf("A day before is fine.").figures).toEqual([]);
  });

  it("keeps the unit after a word that says which kind it is", () => {
    expect(termsOf("within ten working days of delivery").figures).toEqual([{ value: "10", unit: "day", text: "ten working days" }]);
    expect(termsOf("within 10 business days").figures).toEqual([{ value: "10", unit: "day", text: "10 business days" }]);
  });
});
