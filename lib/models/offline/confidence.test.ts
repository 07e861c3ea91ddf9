import { describe, expect, it } from "vitest";
import { withCategoryProbability } from "./confidence";

describe("withCategoryProbability", () => {
  it("gives a draft the confidence it would have with another probability of its category", () => {
    // Evidence scored 0.8, drafted when the category was 0.5 likely: 0.4; today's classifier says 0.9.
    expect(withCategoryProbability(0.4, 0.5, 0.9)).toBe(0.72);
    expect(withCategoryProbability(0.72, 0.9, 0.5)).toBe(0.4);
  });

  it("keeps the drafter's bounds and leaves a confidence without a probability to divide by alone", () => {
    expect(withCategoryProbability(0.9, 0.3, 1)).toBe(0.95);
    expect(withCategoryProbability(0.2, 0.9, 0.01)).toBe(0.05);
    expect(withCategoryProbability(0.6, 0, 0.9)).toBe(0.6);
  });
});
