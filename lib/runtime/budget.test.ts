import { describe, expect, it } from "vitest";
import { decideSpend, estimateCallCost, formatUsd, type SpendFigures } from "./budget";

const figures = (overrides: Partial<SpendFigures> = {}): SpendFigures => ({
  modelId: "openai:gpt-4.1",
  estimateUsd: 0.1,
  stepMaxCostUsd: 0.5,
  run: { budgetUsd: null, spentUsd: 0 },
  project: { budgetUsd: null, spentUsd: 0 },
  ...overrides,
});

describe("estimateCallCost", () => {
  it("prices the prompt by its size and every output token the call may produce", () => {
    const call = { modelId: "openai:gpt-4.1", messages: [{ role: "system" as const, content: "x".repeat(4000) }, { role: "user" as const, content: "y".repeat(8000) }], maxOutputTokens: 2000 };
    // 1000 + 4 and 2000 + 4 input tokens at $2/MTok, 2000 output tokens at $8/MTok.
    expect(estimateCallCost(call, { inputPerMTokUsd: 2, outputPerMTokUsd: 8 })).toEqual({ inputTokens: 3008, outputTokens: 2000, costUsd: 0.022016 });
  });

  it("costs nothing on a free model", () => {
    const call = { modelId: "compat:llama", messages: [{ role: "user" as const, content: "hello" }], maxOutputTokens: 16_000 };
    expect(estimateCallCost(call, { inputPerMTokUsd: 0, outputPerMTokUsd: 0 }).costUsd).toBe(0);
  });
});

describe("decideSpend", () => {
  it("allows a call within every limit", () => {
    expect(decideSpend(figures({ run: { budgetUsd: 1, spentUsd: 0.5 }, project: { budgetUsd: 10, spentUsd: 9.9 } }))).toEqual({ allowed: true, estimatedCostUsd: 0.1 });
  });

  it("allows reaching a budget exactly, without float noise", () => {
    expect(decideSpend(figures({ project: { budgetUsd: 0.3, spentUsd: 0.2 } })).allowed).toBe(true);
  });

  it("refuses a call above the step's per-call limit, whatever the budgets", () => {
    expect(decideSpend(figures({ estimateUsd: 0.6 }))).toMatchObject({ allowed: false, limit: "step_call", limitUsd: 0.5, spentUsd: 0, estimatedCostUsd: 0.6 });
  });

  it("refuses a call that would take the run over its budget, with the figures and a sentence", () => {
    const decision = decideSpend(figures({ run: { budgetUsd: 1, spentUsd: 0.95 } }));
    expect(decision).toMatchObject({ allowed: false, limit: "run", limitUsd: 1, spentUsd: 0.95, estimatedCostUsd: 0.1 });
    expect(decision.allowed === false && decision.message).toBe(
      "This run has spent $0.95 of its $1.00 budget. The next call to openai:gpt-4.1 is estimated at up to $0.10, which would take it over.",
    );
  });

  it("refuses a call that would take the project over its budget", () => {
    expect(decideSpend(figures({ project: { budgetUsd: 2, spentUsd: 1.95 } }))).toMatchObject({ allowed: false, limit: "project", limitUsd: 2, spentUsd: 1.95 });
  });

  it("reports the narrowest limit broken first: step, then run, then project", () => {
    const all = figures({ estimateUsd: 0.6, run: { budgetUsd: 0.1, spentUsd: 0 }, project: { budgetUsd: 0.1, spentUsd: 0 } });
    expect(decideSpend(all)).toMatchObject({ limit: "step_call" });
    expect(decideSpend({ ...all, stepMaxCostUsd: 1 })).toMatchObject({ limit: "run" });
    expect(decideSpend({ ...all, stepMaxCostUsd: 1, run: { budgetUsd: null, spentUsd: 0 } })).toMatchObject({ limit: "project" });
  });

  it("lets free calls through a budget already used up", () => {
    expect(decideSpend(figures({ estimateUsd: 0, project: { budgetUsd: 1, spentUsd: 1 } })).allowed).toBe(true);
    expect(decideSpend(figures({ estimateUsd: 0, project: { budgetUsd: 0, spentUsd: 0 } })).allowed).toBe(true);
    // Overspent by an approved call: free calls still cost nothing.
    expect(decideSpend(figures({ estimateUsd: 0, run: { budgetUsd: 1, spentUsd: 1.2 }, project: { budgetUsd: 1, spentUsd: 1.2 } }))).toEqual({ allowed: true, estimatedCostUsd: 0 });
  });
});

describe("decideSpend with calls under way", () => {
  it("counts what calls under way hold as spent, and says so", () => {
    const decision = decideSpend(figures({ project: { budgetUsd: 1, spentUsd: 0.5, heldUsd: 0.45 } }));
    expect(decision).toMatchObject({ allowed: false, limit: "project", spentUsd: 0.5 });
    expect(decision.allowed === false && decision.message).toBe(
      "The project has spent $0.50 and holds $0.45 for calls under way of its $1.00 budget. The next call to openai:gpt-4.1 is estimated at up to $0.10, which would take it over.",
    );
    expect(decideSpend(figures({ project: { budgetUsd: 1, spentUsd: 0.5, heldUsd: 0.4 } })).allowed).toBe(true);
    expect(decideSpend(figures({ run: { budgetUsd: 0.2, spentUsd: 0, heldUsd: 0.15 } }))).toMatchObject({ allowed: false, limit: "run" });
  });
});

describe("formatUsd", () => {
  it("shows cents, or two significant digits below a cent", () => {
    expect(formatUsd(1)).toBe("$1.00");
    expect(formatUsd(0.0123)).toBe("$0.01");
    expect(formatUsd(0.00123)).toBe("$0.0012");
    expect(formatUsd(0)).toBe("$0");
  });
});
