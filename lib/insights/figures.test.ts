import { describe, expect, it } from "vitest";
import {
  automationFigures,
  CONFLICTS_STEP,
  costFigures,
  cycleTimeFigures,
  median,
  periodOf,
  periodsOf,
  qualityFigures,
  reviewerLoadFigures,
  waitingFigures,
  type CostRow,
} from "./figures";
import { resolveRange, insightsQuerySchema } from "./schema";

const range = (from: string, to: string, interval: "day" | "week" = "day") => resolveRange(insightsQuerySchema.parse({ from, to, interval }), new Date("2026-03-31T12:00:00Z"));
const cost = (day: string, model: string, stage: CostRow["stage"], costUsd: number, extra: Partial<CostRow> = {}): CostRow => ({
  day,
  model,
  stage,
  costUsd,
  calls: 1,
  failedCalls: 0,
  inputTokens: 100,
  outputTokens: 10,
  latencyMs: 1000,
  ...extra,
});

describe("ranges and periods", () => {
  it("defaults to the 30 days up to today and refuses backwards or overlong ranges", () => {
    const now = new Date("2026-03-31T23:59:00Z");
    expect(resolveRange(insightsQuerySchema.parse({}), now)).toMatchObject({ from: "2026-03-02", to: "2026-03-31", interval: "day" });
    const settled = resolveRange(insightsQuerySchema.parse({ to: "2026-01-10" }), now);
    expect(settled).toMatchObject({ from: "2025-12-12", to: "2026-01-10" });
    expect(settled.start.toISOString()).toBe("2025-12-12T00:00:00.000Z");
    expect(settled.end.toISOString()).toBe("2026-01-11T00:00:00.000Z");
    expect(resolveRange(insightsQuerySchema.parse({ from: "2026-01-01", to: "2026-03-31" }), now).interval).toBe("week");

    expect(insightsQuerySchema.safeParse({ from: "2026-02-01", to: "2026-01-01" }).error?.issues[0].message).toMatch(/after to/);
    expect(insightsQuerySchema.safeParse({ from: "2024-01-01", to: "2026-01-01" }).error?.issues[0].message).toMatch(/more than 366 days/);
    expect(insightsQuerySchema.safeParse({ from: "31/01/2026" }).error?.issues[0].message).toMatch(/like 2026-01-31/);
    // Only `from`, in the future: to defaults to today, which is before it.
    expect(() => resolveRange(insightsQuerySchema.parse({ from: "2026-05-01" }), now)).toThrow(/after to/);
  });

  it("puts a day in its own period, or in the week starting the Monday before", () => {
    expect(periodOf("2026-03-04", "day")).toBe("2026-03-04");
    expect(periodOf("2026-03-04", "week")).toBe("2026-03-02"); // a Wednesday
    expect(periodOf("2026-03-02", "week")).toBe("2026-03-02"); // the Monday itself
    expect(periodOf("2026-03-08", "week")).toBe("2026-03-02"); // the Sunday ending it
    expect(periodsOf(range("2026-03-04", "2026-03-16", "week"))).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
    expect(periodsOf(range("2026-02-27", "2026-03-02"))).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });
});

describe("cost", () => {
  const rows = [
    cost("2026-03-01", "openai:gpt-4.1-mini", "requirements", 0.25, { calls: 2, failedCalls: 1, latencyMs: 3000, inputTokens: 400, outputTokens: 40 }),
    cost("2026-03-01", "anthropic:claude", "requirements", 1.0),
    cost("2026-03-03", "openai:gpt-4.1-mini", "planning", 0.5),
  ];

  it("sums per day stacked by model, per model and per stage", () => {
    const figures = costFigures(rows, range("2026-03-01", "2026-03-03"), null);
    expect(figures.totalUsd).toBe(1.75);
    expect(figures.calls).toBe(4);
    expect(figures.inputTokens).toBe(600);
    expect(figures.perPeriod).toEqual([
      { period: "2026-03-01", costUsd: 1.25, byModel: { "openai:gpt-4.1-mini": 0.25, "anthropic:claude": 1 }, cumulativeUsd: 1.25 },
      { period: "2026-03-02", costUsd: 0, byModel: {}, cumulativeUsd: 1.25 },
      { period: "2026-03-03", costUsd: 0.5, byModel: { "openai:gpt-4.1-mini": 0.5 }, cumulativeUsd: 1.75 },
    ]);
    expect(figures.perModel).toEqual([
      { model: "anthropic:claude", costUsd: 1, calls: 1, failedCalls: 0, inputTokens: 100, outputTokens: 10, meanLatencyMs: 1000 },
      // 3 calls, 4000 ms in all.
      { model: "openai:gpt-4.1-mini", costUsd: 0.75, calls: 3, failedCalls: 1, inputTokens: 500, outputTokens: 50, meanLatencyMs: 1333 },
    ]);
    expect(figures.perStage).toEqual([
      { stage: "requirements", costUsd: 1.25, calls: 3 },
      { stage: "planning", costUsd: 0.5, calls: 1 },
    ]);
    expect(figures.budget).toBeNull();
  });

  it("runs the total on from what was spent before the range when a budget applies", () => {
    const figures = costFigures(rows, range("2026-03-01", "2026-03-03"), { budgetUsd: 5, spentBeforeUsd: 2 });
    expect(figures.perPeriod.map((p) => p.cumulativeUsd)).toEqual([3.25, 3.25, 3.75]);
    expect(figures.budget).toEqual({ budgetUsd: 5, spentBeforeUsd: 2, spentUsd: 3.75 });
  });

  it("adds days into weeks", () => {
    const figures = costFigures(rows, range("2026-03-01", "2026-03-03", "week"), null);
    // 1 March 2026 is a Sunday: its week began on 23 February.
    expect(figures.perPeriod).toEqual([
      { period: "2026-02-23", costUsd: 1.25, byModel: { "openai:gpt-4.1-mini": 0.25, "anthropic:claude": 1 }, cumulativeUsd: 1.25 },
      { period: "2026-03-02", costUsd: 0.5, byModel: { "openai:gpt-4.1-mini": 0.5 }, cumulativeUsd: 1.75 },
    ]);
  });
});

describe("automation and reviewer load", () => {
  it("gives each step's share auto-approved overall and per period", () => {
    const figures = automationFigures(
      [
        { day: "2026-03-01", stepKey: "draft-user-stories", routed: 4, autoApproved: 1 },
        { day: "2026-03-01", stepKey: "synthesize-requirements", routed: 10, autoApproved: 6 },
        { day: "2026-03-02", stepKey: "synthesize-requirements", routed: 5, autoApproved: 0 },
      ],
      range("2026-03-01", "2026-03-02"),
    );
    // Steps in the order the stages run them: requirements before stories.
    expect(figures.map((step) => step.stepKey)).toEqual(["synthesize-requirements", "draft-user-stories"]);
    expect(figures[0]).toMatchObject({ routed: 15, autoApproved: 6, rate: 0.4 });
    expect(figures[0].perPeriod).toEqual([
      { period: "2026-03-01", routed: 10, autoApproved: 6, rate: 0.6 },
      { period: "2026-03-02", routed: 5, autoApproved: 0, rate: 0 },
    ]);
    expect(figures[1].perPeriod[1]).toEqual({ period: "2026-03-02", routed: 0, autoApproved: 0, rate: null });
  });

  it("counts decisions per reviewer by step, and per period by step and reviewer", () => {
    const figures = reviewerLoadFigures(
      [
        { day: "2026-03-01", stepKey: "synthesize-requirements", reviewerId: "u1", decisions: 3 },
        { day: "2026-03-02", stepKey: CONFLICTS_STEP, reviewerId: "u1", decisions: 1 },
        { day: "2026-03-02", stepKey: "synthesize-requirements", reviewerId: "u2", decisions: 5 },
      ],
      range("2026-03-01", "2026-03-02"),
      new Map([
        ["u1", "Rita"],
        ["u2", "Ravi"],
      ]),
    );
    expect(figures.reviewers).toEqual([
      { userId: "u2", name: "Ravi", decisions: 5, byStep: { "synthesize-requirements": 5 } },
      { userId: "u1", name: "Rita", decisions: 4, byStep: { "synthesize-requirements": 3, conflicts: 1 } },
    ]);
    expect(figures.perPeriod).toEqual([
      { period: "2026-03-01", decisions: 3, byStep: { "synthesize-requirements": 3 }, byReviewer: { u1: 3 } },
      { period: "2026-03-02", decisions: 6, byStep: { "synthesize-requirements": 5, conflicts: 1 }, byReviewer: { u1: 1, u2: 5 } },
    ]);
  });
});

describe("edit and rejection rates", () => {
  it("divides edits and rejections by the drafts decided, per model and per step", () => {
    const figures = qualityFigures([
      { model: "m1", stepKey: "synthesize-requirements", outcome: "approved_unchanged", count: 6 },
      { model: "m1", stepKey: "synthesize-requirements", outcome: "edited", count: 3 },
      { model: "m1", stepKey: "synthesize-requirements", outcome: "rejected", count: 1 },
      { model: "m2", stepKey: "synthesize-requirements", outcome: "rejected", count: 2 },
      { model: null, stepKey: "draft-user-stories", outcome: "edited", count: 1 },
    ]);
    expect(figures.perModel).toEqual([
      { model: "m1", decided: 10, approvedUnchanged: 6, edited: 3, rejected: 1, editRate: 0.3, rejectRate: 0.1 },
      { model: "m2", decided: 2, approvedUnchanged: 0, edited: 0, rejected: 2, editRate: 0, rejectRate: 1 },
    ]);
    expect(figures.perStep).toEqual([
      { stepKey: "synthesize-requirements", title: expect.any(String), decided: 12, approvedUnchanged: 6, edited: 3, rejected: 3, editRate: 0.25, rejectRate: 0.25 },
      { stepKey: "draft-user-stories", title: expect.any(String), decided: 1, approvedUnchanged: 0, edited: 1, rejected: 0, editRate: 1, rejectRate: 0 },
    ]);
  });
});

describe("cycle time and waiting work", () => {
  it("measures each sign-off from its round's start and takes the median per stage", () => {
    const at = (iso: string) => new Date(iso);
    const figures = cycleTimeFigures([
      { id: "s2", stage: "requirements", projectId: "p1", projectName: "P1", startedAt: at("2026-03-05T00:00:00Z"), signedOffAt: at("2026-03-05T06:00:00Z"), superseded: false },
      { id: "s1", stage: "requirements", projectId: "p1", projectName: "P1", startedAt: at("2026-03-01T00:00:00Z"), signedOffAt: at("2026-03-02T00:00:00Z"), superseded: true },
      { id: "s3", stage: "planning", projectId: "p1", projectName: "P1", startedAt: at("2026-03-02T00:00:00Z"), signedOffAt: at("2026-03-02T01:30:00Z"), superseded: false },
    ]);
    expect(figures.signOffs.map((s) => [s.id, s.hours])).toEqual([
      ["s1", 24],
      ["s3", 1.5],
      ["s2", 6],
    ]);
    expect(figures.stages).toEqual([
      { stage: "requirements", signOffs: 2, medianHours: 15 },
      { stage: "planning", signOffs: 1, medianHours: 1.5 },
    ]);
  });

  it("ages pending items per stage and per reviewer they wait on, and medians the waits of decided ones", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const figures = waitingFigures(
      {
        pending: [
          { stage: "requirements", createdAt: hoursAgo(2), waitingOn: ["u1", "u2"] },
          { stage: "requirements", createdAt: hoursAgo(10), waitingOn: ["u1"] },
          { stage: "design", createdAt: hoursAgo(30), waitingOn: [] },
        ],
        decidedItems: [
          { stage: "requirements", waitMs: 1 * 3_600_000 },
          { stage: "requirements", waitMs: 5 * 3_600_000 },
        ],
        decisions: [
          { reviewerId: "u2", waitMs: 1 * 3_600_000 },
          { reviewerId: "u2", waitMs: 4 * 3_600_000 },
          { reviewerId: "u2", waitMs: 9 * 3_600_000 },
        ],
      },
      now,
      new Map([
        ["u1", "Rita"],
        ["u2", "Ravi"],
      ]),
    );
    expect(figures.asOf).toBe(now.toISOString());
    expect(figures.perStage).toEqual([
      { stage: "requirements", pending: 2, pendingMedianHours: 6, pendingOldestHours: 10, decided: 2, decidedMedianWaitHours: 3 },
      { stage: "design", pending: 1, pendingMedianHours: 30, pendingOldestHours: 30, decided: 0, decidedMedianWaitHours: null },
    ]);
    expect(figures.perReviewer).toEqual([
      { userId: "u1", name: "Rita", pending: 2, pendingMedianHours: 6, pendingOldestHours: 10, decided: 0, decidedMedianWaitHours: null },
      { userId: "u2", name: "Ravi", pending: 1, pendingMedianHours: 2, pendingOldestHours: 2, decided: 3, decidedMedianWaitHours: 4 },
      { userId: null, name: "Nobody assigned", pending: 1, pendingMedianHours: 30, pendingOldestHours: 30, decided: 0, decidedMedianWaitHours: null },
    ]);
  });
});
