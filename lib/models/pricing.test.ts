import { describe, expect, it } from "vitest";
import { costUsd, defaultPriceTable, priceFor, shippedPriceNote, shippedPrices, sumCosts, type ModelPrice } from "./pricing";

describe("priceFor", () => {
  it("looks models up in the price table", () => {
    expect(priceFor("openai:gpt-4.1")).toEqual({ inputPerMTokUsd: 2, outputPerMTokUsd: 8 });
    expect(priceFor("openai:gpt-4.1-mini")).toEqual({ inputPerMTokUsd: 0.4, outputPerMTokUsd: 1.6 });
    expect(priceFor("openai:gpt-4o-mini")).toEqual({ inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 });
    expect(priceFor("anthropic:claude-sonnet-4-5")).toEqual({ inputPerMTokUsd: 3, outputPerMTokUsd: 15 });
    expect(priceFor("anthropic:claude-haiku-4-5")).toEqual({ inputPerMTokUsd: 1, outputPerMTokUsd: 5 });
  });

  it("prices offline and self-hosted models at zero without listing them", () => {
    const free = { inputPerMTokUsd: 0, outputPerMTokUsd: 0 };
    expect(priceFor("offline:drafter")).toEqual(free);
    expect(priceFor("offline:anything")).toEqual(free);
    expect(priceFor("compat:llama3.1")).toEqual(free);
    expect(Object.keys(defaultPriceTable).filter((id) => id.startsWith("compat:"))).toEqual([]);
  });

  it("returns null for unknown models and malformed ids", () => {
    expect(priceFor("openai:gpt-unknown")).toBeNull();
    expect(priceFor("mystery:model")).toBeNull();
    expect(priceFor("compat:")).toBeNull();
    expect(priceFor("gpt-4.1")).toBeNull();
    expect(priceFor("constructor")).toBeNull();
  });

  it("uses the table it is given, which may price a self-hosted model", () => {
    const table: Record<string, ModelPrice> = { "compat:big": { inputPerMTokUsd: 0.5, outputPerMTokUsd: 1 } };
    expect(priceFor("compat:big", table)).toEqual({ inputPerMTokUsd: 0.5, outputPerMTokUsd: 1 });
    expect(priceFor("openai:gpt-4.1", table)).toBeNull();
  });

  it("lists only well-formed ids with non-negative prices", () => {
    for (const [id, price] of Object.entries(defaultPriceTable)) {
      expect(id).toMatch(/^(offline|openai|anthropic):[\w.-]+$/);
      expect(price.inputPerMTokUsd).toBeGreaterThanOrEqual(0);
      expect(price.outputPerMTokUsd).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("shippedPrices", () => {
  it("dates every hosted price and says where it is published; the offline drafter is free and undated", () => {
    for (const [id, shipped] of Object.entries(shippedPrices)) {
      if (id.startsWith("offline:")) {
        expect(shipped).toMatchObject({ inputPerMTokUsd: 0, outputPerMTokUsd: 0, checkedOn: null });
        expect(shippedPriceNote(shipped)).toMatch(/^Free: /);
        continue;
      }
      expect(shipped.checkedOn, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(shipped.source, id).toMatch(id.startsWith("openai:") ? /^https:\/\/openai\.com\// : /^https:\/\/www\.anthropic\.com\//);
      expect(shippedPriceNote(shipped)).toBe(`List price as published on ${shipped.source} when last checked (${shipped.checkedOn}).`);
    }
  });

  it("is what the default table prices at", () => {
    for (const [id, shipped] of Object.entries(shippedPrices)) {
      expect(defaultPriceTable[id]).toEqual({ inputPerMTokUsd: shipped.inputPerMTokUsd, outputPerMTokUsd: shipped.outputPerMTokUsd });
    }
    expect(Object.keys(defaultPriceTable)).toEqual(Object.keys(shippedPrices));
  });
});

describe("costUsd", () => {
  const gpt41 = { inputPerMTokUsd: 2, outputPerMTokUsd: 8 };

  it("charges input and output tokens at their own price per million", () => {
    expect(costUsd({ inputTokens: 1_000_000, outputTokens: 0 }, gpt41)).toBe(2);
    expect(costUsd({ inputTokens: 0, outputTokens: 1_000_000 }, gpt41)).toBe(8);
    expect(costUsd({ inputTokens: 12_000, outputTokens: 3_500 }, gpt41)).toBe(0.052);
  });

  it("is exact to 9 decimal places, without float noise", () => {
    expect(costUsd({ inputTokens: 1234, outputTokens: 0 }, { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 })).toBe(0.0001851);
    expect(costUsd({ inputTokens: 3, outputTokens: 7 }, { inputPerMTokUsd: 0.1, outputPerMTokUsd: 0.7 })).toBe(0.0000052);
    expect(costUsd({ inputTokens: 1, outputTokens: 0 }, { inputPerMTokUsd: 0.0001, outputPerMTokUsd: 0 })).toBe(0);
  });

  it("costs nothing for no tokens or a free model", () => {
    expect(costUsd({ inputTokens: 0, outputTokens: 0 }, gpt41)).toBe(0);
    expect(costUsd({ inputTokens: 5000, outputTokens: 5000 }, priceFor("offline:drafter")!)).toBe(0);
  });

  it.each([
    [{ inputTokens: -1, outputTokens: 0 }, /inputTokens must be a finite number of at least 0, got -1/],
    [{ inputTokens: 0, outputTokens: Number.NaN }, /outputTokens .* got NaN/],
    [{ inputTokens: Number.POSITIVE_INFINITY, outputTokens: 0 }, /inputTokens .* got Infinity/],
  ])("rejects token counts that are negative or not finite: %j", (usage, message) => {
    expect(() => costUsd(usage, gpt41)).toThrow(message);
  });

  it("rejects a negative price", () => {
    expect(() => costUsd({ inputTokens: 1, outputTokens: 1 }, { inputPerMTokUsd: -2, outputPerMTokUsd: 8 })).toThrow(/inputPerMTokUsd/);
  });
});

describe("sumCosts", () => {
  it("adds costs without float noise", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumCosts([0.1, 0.2])).toBe(0.3);
    expect(sumCosts([0.0001851, 0.000002, 0.052])).toBe(0.0521871);
  });

  it("is 0 for no costs", () => {
    expect(sumCosts([])).toBe(0);
  });

  it("rejects a negative or non-finite cost, naming its position", () => {
    expect(() => sumCosts([0.1, -0.2])).toThrow(/costs\[1\]/);
    expect(() => sumCosts([Number.NaN])).toThrow(/costs\[0\]/);
  });
});
