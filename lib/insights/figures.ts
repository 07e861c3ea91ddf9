import type { StageKey } from "@/lib/generated/sqlite/enums";
import { stepCatalog } from "@/lib/pipeline/steps";
import { stageKeys } from "@/lib/stages/stages";
import { addDays, daysBetween, type Insights, type InsightsRange, type Interval } from "./schema";

/**
 * The insights figures from grouped rows (lib/insights/service.ts reads them): pure functions,
 * so every figure can be checked by hand. Days are UTC days, YYYY-MM-DD.
 */

/** Review work on conflicts has no drafting step; it is counted under this key. */
export const CONFLICTS_STEP = "conflicts";

export type CostRow = {
  day: string;
  model: string;
  stage: StageKey;
  costUsd: number;
  calls: number;
  failedCalls: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
};
export type RoutingRow = { day: string; stepKey: string; routed: number; autoApproved: number };
export type DecisionRow = { day: string; stepKey: string; reviewerId: string; decisions: number };
export type LabelRow = { model: string | null; stepKey: string; outcome: string; count: number };
export type SignOffRound = {
  id: string;
  stage: StageKey;
  projectId: string;
  projectName: string;
  /** The first draft of the round, or the reopening when nothing new was drafted. */
  startedAt: Date;
  signedOffAt: Date;
  superseded: boolean;
};
/** An item waiting now, and who it waits on: its claimer, else the stage's reviewers (none: nobody is assigned). */
export type PendingItem = { stage: StageKey; createdAt: Date; waitingOn: string[] };
export type DecidedItem = { stage: StageKey; waitMs: number };
export type DecisionWait = { reviewerId: string; waitMs: number };

const HOUR_MS = 3_600_000;
const roundTo = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const usd = (value: number) => roundTo(value, 6);
const ratio = (part: number, whole: number) => (whole === 0 ? null : roundTo(part / whole, 4));
const asHours = (ms: number) => roundTo(ms / HOUR_MS, 2);

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The period a day falls in: the day itself, or the Monday starting its week. */
export function periodOf(day: string, interval: Interval): string {
  if (interval === "day") return day;
  const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** Every period of the range in order (the first week may start before `from`). */
export function periodsOf(range: Pick<InsightsRange, "from" | "to" | "interval">): string[] {
  const step = range.interval === "day" ? 1 : 7;
  const periods: string[] = [];
  for (let start = periodOf(range.from, range.interval); daysBetween(start, range.to) >= 0; start = addDays(start, step)) periods.push(start);
  return periods;
}

function stageOrder(a: StageKey, b: StageKey): number {
  return stageKeys.indexOf(a) - stageKeys.indexOf(b);
}

/** Steps in the order the stages run them; keys the catalogue lacks (conflicts, retired steps) after, by name. */
function stepOrder(a: string, b: string): number {
  const rank = (key: string) => {
    const index = stepCatalog.findIndex((step) => step.key === key);
    return index === -1 ? stepCatalog.length : index;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function stepTitle(stepKey: string): string {
  if (stepKey === CONFLICTS_STEP) return "Conflicts";
  return stepCatalog.find((step) => step.key === stepKey)?.title ?? stepKey;
}

function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/**
 * Cost per period (stacked by model), per model and per stage. With a budget, the running
 * total starts from what was spent before the range, so it can be read against the limit.
 */
export function costFigures(rows: readonly CostRow[], range: InsightsRange, budget: { budgetUsd: number; spentBeforeUsd: number } | null): Insights["cost"] {
  const periods = periodsOf(range);
  const perPeriod = new Map(periods.map((period) => [period, new Map<string, number>()]));
  const models = new Map<string, { costUsd: number; calls: number; failedCalls: number; inputTokens: number; outputTokens: number; latencyMs: number }>();
  const stages = new Map<StageKey, { costUsd: number; calls: number }>();
  for (const row of rows) {
    const byModel = perPeriod.get(periodOf(row.day, range.interval));
    if (byModel) add(byModel, row.model, row.costUsd);
    const model = models.get(row.model) ?? { costUsd: 0, calls: 0, failedCalls: 0, inputTokens: 0, outputTokens: 0, latencyMs: 0 };
    model.costUsd += row.costUsd;
    model.calls += row.calls;
    model.failedCalls += row.failedCalls;
    model.inputTokens += row.inputTokens;
    model.outputTokens += row.outputTokens;
    model.latencyMs += row.latencyMs;
    models.set(row.model, model);
    const stage = stages.get(row.stage) ?? { costUsd: 0, calls: 0 };
    stage.costUsd += row.costUsd;
    stage.calls += row.calls;
    stages.set(row.stage, stage);
  }

  const spentBeforeUsd = budget?.spentBeforeUsd ?? 0;
  let running = spentBeforeUsd;
  const series = [...perPeriod].map(([period, byModel]) => {
    const costUsd = [...byModel.values()].reduce((sum, value) => sum + value, 0);
    running += costUsd;
    return { period, costUsd: usd(costUsd), byModel: Object.fromEntries([...byModel].map(([model, value]) => [model, usd(value)])), cumulativeUsd: usd(running) };
  });
  const perModel = [...models]
    .map(([model, figures]) => ({
      model,
      costUsd: usd(figures.costUsd),
      calls: figures.calls,
      failedCalls: figures.failedCalls,
      inputTokens: figures.inputTokens,
      outputTokens: figures.outputTokens,
      meanLatencyMs: figures.calls === 0 ? null : Math.round(figures.latencyMs / figures.calls),
    }))
    .sort((a, b) => b.costUsd - a.costUsd || a.model.localeCompare(b.model));
  const total = perModel.reduce((sum, model) => ({ costUsd: sum.costUsd + model.costUsd, calls: sum.calls + model.calls, inputTokens: sum.inputTokens + model.inputTokens, outputTokens: sum.outputTokens + model.outputTokens }), {
    costUsd: 0,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
  });
  return {
    totalUsd: usd(total.costUsd),
    calls: total.calls,
    inputTokens: total.inputTokens,
    outputTokens: total.outputTokens,
    perPeriod: series,
    perModel,
    perStage: [...stages].sort(([a], [b]) => stageOrder(a, b)).map(([stage, figures]) => ({ stage, costUsd: usd(figures.costUsd), calls: figures.calls })),
    budget: budget ? { budgetUsd: budget.budgetUsd, spentBeforeUsd: usd(spentBeforeUsd), spentUsd: usd(spentBeforeUsd + total.costUsd) } : null,
  };
}

/** Share of drafts auto-approved, per step, over the range and per period. */
export function automationFigures(rows: readonly RoutingRow[], range: InsightsRange): Insights["automation"] {
  const periods = periodsOf(range);
  const steps = new Map<string, Map<string, { routed: number; autoApproved: number }>>();
  for (const row of rows) {
    const perPeriod = steps.get(row.stepKey) ?? new Map(periods.map((period) => [period, { routed: 0, autoApproved: 0 }]));
    steps.set(row.stepKey, perPeriod);
    const bucket = perPeriod.get(periodOf(row.day, range.interval));
    if (!bucket) continue;
    bucket.routed += row.routed;
    bucket.autoApproved += row.autoApproved;
  }
  return [...steps]
    .sort(([a], [b]) => stepOrder(a, b))
    .map(([stepKey, perPeriod]) => {
      const buckets = [...perPeriod].map(([period, figures]) => ({ period, ...figures, rate: ratio(figures.autoApproved, figures.routed) }));
      const routed = buckets.reduce((sum, bucket) => sum + bucket.routed, 0);
      const autoApproved = buckets.reduce((sum, bucket) => sum + bucket.autoApproved, 0);
      return { stepKey, title: stepTitle(stepKey), routed, autoApproved, rate: ratio(autoApproved, routed), perPeriod: buckets };
    });
}

/** Decisions per reviewer (by step) and per period (by step and by reviewer). */
export function reviewerLoadFigures(rows: readonly DecisionRow[], range: InsightsRange, names: ReadonlyMap<string, string>): Insights["reviewerLoad"] {
  const periods = new Map(periodsOf(range).map((period) => [period, { byStep: new Map<string, number>(), byReviewer: new Map<string, number>() }]));
  const reviewers = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const byStep = reviewers.get(row.reviewerId) ?? new Map<string, number>();
    reviewers.set(row.reviewerId, byStep);
    add(byStep, row.stepKey, row.decisions);
    const bucket = periods.get(periodOf(row.day, range.interval));
    if (!bucket) continue;
    add(bucket.byStep, row.stepKey, row.decisions);
    add(bucket.byReviewer, row.reviewerId, row.decisions);
  }
  const sortedSteps = (byStep: Map<string, number>) => Object.fromEntries([...byStep].sort(([a], [b]) => stepOrder(a, b)));
  const total = (byKey: Map<string, number>) => [...byKey.values()].reduce((sum, value) => sum + value, 0);
  return {
    reviewers: [...reviewers]
      .map(([userId, byStep]) => ({ userId, name: names.get(userId) ?? userId, decisions: total(byStep), byStep: sortedSteps(byStep) }))
      .sort((a, b) => b.decisions - a.decisions || a.name.localeCompare(b.name)),
    perPeriod: [...periods].map(([period, bucket]) => ({
      period,
      decisions: total(bucket.byReviewer),
      byStep: sortedSteps(bucket.byStep),
      byReviewer: Object.fromEntries(bucket.byReviewer),
    })),
  };
}

type Outcomes = { decided: number; approvedUnchanged: number; edited: number; rejected: number };

function withRates(outcomes: Outcomes) {
  return { ...outcomes, editRate: ratio(outcomes.edited, outcomes.decided), rejectRate: ratio(outcomes.rejected, outcomes.decided) };
}

/**
 * Edit and rejection rates per model and per step, from people's first decision on each draft
 * as the model wrote it (the labels calibration learns from). A draft whose model is unknown
 * counts for its step only.
 */
export function qualityFigures(rows: readonly LabelRow[]): Insights["quality"] {
  const models = new Map<string, Outcomes>();
  const steps = new Map<string, Outcomes>();
  const count = (map: Map<string, Outcomes>, key: string, outcome: string, n: number) => {
    const outcomes = map.get(key) ?? { decided: 0, approvedUnchanged: 0, edited: 0, rejected: 0 };
    outcomes.decided += n;
    if (outcome === "approved_unchanged") outcomes.approvedUnchanged += n;
    if (outcome === "edited") outcomes.edited += n;
    if (outcome === "rejected") outcomes.rejected += n;
    map.set(key, outcomes);
  };
  for (const row of rows) {
    if (row.model !== null) count(models, row.model, row.outcome, row.count);
    count(steps, row.stepKey, row.outcome, row.count);
  }
  return {
    perModel: [...models].map(([model, outcomes]) => ({ model, ...withRates(outcomes) })).sort((a, b) => b.decided - a.decided || a.model.localeCompare(b.model)),
    perStep: [...steps].sort(([a], [b]) => stepOrder(a, b)).map(([stepKey, outcomes]) => ({ stepKey, title: stepTitle(stepKey), ...withRates(outcomes) })),
  };
}

/** Cycle time of each sign-off (its round's first draft to the sign-off) and the median per stage. */
export function cycleTimeFigures(rounds: readonly SignOffRound[]): Insights["cycleTime"] {
  const signOffs = [...rounds]
    .sort((a, b) => a.signedOffAt.getTime() - b.signedOffAt.getTime())
    .map((round) => ({
      id: round.id,
      stage: round.stage,
      projectId: round.projectId,
      projectName: round.projectName,
      startedAt: round.startedAt.toISOString(),
      signedOffAt: round.signedOffAt.toISOString(),
      hours: asHours(Math.max(0, round.signedOffAt.getTime() - round.startedAt.getTime())),
      superseded: round.superseded,
    }));
  const perStage = new Map<StageKey, number[]>();
  for (const signOff of signOffs) perStage.set(signOff.stage, [...(perStage.get(signOff.stage) ?? []), signOff.hours]);
  return {
    stages: [...perStage].sort(([a], [b]) => stageOrder(a, b)).map(([stage, values]) => ({ stage, signOffs: values.length, medianHours: roundTo(median(values)!, 2) })),
    signOffs,
  };
}

type Waits = { pendingAges: number[]; decidedWaits: number[] };

function waitFigures({ pendingAges, decidedWaits }: Waits) {
  const pendingMedian = median(pendingAges);
  const decidedMedian = median(decidedWaits);
  return {
    pending: pendingAges.length,
    pendingMedianHours: pendingMedian === null ? null : asHours(pendingMedian),
    pendingOldestHours: pendingAges.length === 0 ? null : asHours(Math.max(...pendingAges)),
    decided: decidedWaits.length,
    decidedMedianWaitHours: decidedMedian === null ? null : asHours(decidedMedian),
  };
}

/**
 * Where work waits: per stage, the age of the items pending now and how long decided items
 * waited; per reviewer, the items waiting on them and how long the items they decided waited
 * (an item that waits on several reviewers counts for each of them).
 */
export function waitingFigures(
  input: { pending: readonly PendingItem[]; decidedItems: readonly DecidedItem[]; decisions: readonly DecisionWait[] },
  now: Date,
  names: ReadonlyMap<string, string>,
): Insights["waiting"] {
  const stages = new Map<StageKey, Waits>();
  const reviewers = new Map<string | null, Waits>();
  const waitsOf = <K>(map: Map<K, Waits>, key: K) => {
    const waits = map.get(key) ?? { pendingAges: [], decidedWaits: [] };
    map.set(key, waits);
    return waits;
  };
  for (const item of input.pending) {
    const age = Math.max(0, now.getTime() - item.createdAt.getTime());
    waitsOf(stages, item.stage).pendingAges.push(age);
    for (const reviewer of item.waitingOn.length > 0 ? item.waitingOn : [null]) waitsOf(reviewers, reviewer).pendingAges.push(age);
  }
  for (const item of input.decidedItems) waitsOf(stages, item.stage).decidedWaits.push(Math.max(0, item.waitMs));
  for (const decision of input.decisions) waitsOf(reviewers, decision.reviewerId).decidedWaits.push(Math.max(0, decision.waitMs));
  return {
    asOf: now.toISOString(),
    perStage: [...stages].sort(([a], [b]) => stageOrder(a, b)).map(([stage, waits]) => ({ stage, ...waitFigures(waits) })),
    perReviewer: [...reviewers]
      .map(([userId, waits]) => ({ userId, name: userId === null ? "Nobody assigned" : (names.get(userId) ?? userId), ...waitFigures(waits) }))
      .sort((a, b) => b.pending - a.pending || b.decided - a.decided || a.name.localeCompare(b.name)),
  };
}
