import { z } from "zod";
import { stageKeySchema } from "@/lib/stages/schema";

/**
 * The contracts of the insights figures: the query (a project or every project the caller may
 * read, and a range of whole UTC days) and the figures themselves, which the page draws and
 * GET /api/v1/insights returns.
 */
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;
/** Up to this many days a range is shown per day; longer ones per week. */
export const DAILY_UP_TO_DAYS = 62;

const DAY_MS = 86_400_000;
const day = (name: string) =>
  z.iso.date({ error: `${name} must be a date like 2026-01-31 (a UTC day).` }).meta({ description: `A UTC day, YYYY-MM-DD (${name === "from" ? "the first day included" : "the last day included"})` });

export const insightsQuerySchema = z
  .object({
    projectId: z.string().min(1).max(200).optional().meta({ description: "One project; without it, every project the caller can read (admins: all)" }),
    from: day("from").optional().meta({ description: `The first day included, YYYY-MM-DD (UTC); default ${DEFAULT_RANGE_DAYS - 1} days before \`to\`` }),
    to: day("to").optional().meta({ description: "The last day included, YYYY-MM-DD (UTC); default today" }),
    interval: z
      .enum(["day", "week"])
      .optional()
      .meta({ description: `Periods of the time series: days or weeks starting on Monday; default day for ranges up to ${DAILY_UP_TO_DAYS} days, else week` }),
  })
  .superRefine((query, context) => {
    if (query.from && query.to && query.from > query.to) {
      context.addIssue({ code: "custom", path: ["from"], message: `from (${query.from}) is after to (${query.to}).` });
    }
    if (query.from && query.to && daysBetween(query.from, query.to) + 1 > MAX_RANGE_DAYS) {
      context.addIssue({ code: "custom", path: ["from"], message: `The range spans more than ${MAX_RANGE_DAYS} days; ask for a shorter one.` });
    }
  });
export type InsightsQuery = z.input<typeof insightsQuerySchema>;

export type Interval = "day" | "week";
/** The range a query names, settled: whole UTC days [from, to], the instants bounding them, and the periods. */
export type InsightsRange = { from: string; to: string; interval: Interval; start: Date; end: Date };

/**
 * The range a query asks for, with its defaults filled in against `today`. A range of only
 * `from` ends today, one of only `to` starts 29 days before it; a one-sided range that would
 * be backwards or too long is refused like a two-sided one.
 */
export function resolveRange(query: z.output<typeof insightsQuerySchema>, now: Date): InsightsRange {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  // Refused here too, for the one-sided ranges the schema could not judge.
  insightsQuerySchema.parse({ from, to });
  const days = daysBetween(from, to) + 1;
  const interval = query.interval ?? (days <= DAILY_UP_TO_DAYS ? "day" : "week");
  return { from, to, interval, start: new Date(`${from}T00:00:00.000Z`), end: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS) };
}

export function addDays(isoDay: string, days: number): string {
  return new Date(Date.parse(`${isoDay}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS);
}

const usd = (description: string) => z.number().meta({ description: `${description}, in US dollars` });
const hours = (description: string) => z.number().nullable().meta({ description: `${description}, in hours; null when there is nothing to measure` });
const rate = (description: string) => z.number().nullable().meta({ description: `${description}, 0..1; null when there is nothing to divide by` });
const count = z.number().int();
const period = z.iso.date().meta({ description: "The period's first day (a Monday for weeks), YYYY-MM-DD" });
const byKey = (description: string) => z.record(z.string(), z.number()).meta({ description });

const outcomeCounts = {
  decided: count.meta({ description: "Drafts people decided as the model wrote them (their first decision)" }),
  approvedUnchanged: count,
  edited: count,
  rejected: count,
  editRate: rate("Share edited"),
  rejectRate: rate("Share rejected"),
};

const waitFigures = {
  pending: count.meta({ description: "Review items waiting now" }),
  pendingMedianHours: hours("Median age of the items waiting now"),
  pendingOldestHours: hours("Age of the oldest item waiting now"),
  decided: count.meta({ description: "Items decided in the range (per reviewer: the decisions they made)" }),
  decidedMedianWaitHours: hours("Median time from an item's creation to its decision, for decisions in the range"),
};

export const insightsSchema = z
  .strictObject({
    scope: z.strictObject({
      projectId: z.string().nullable().meta({ description: "The project asked for; null for every project the caller can read" }),
      projectName: z.string().nullable(),
      projects: count.meta({ description: "How many projects the figures cover" }),
    }),
    range: z.strictObject({
      from: z.iso.date(),
      to: z.iso.date(),
      interval: z.enum(["day", "week"]),
      periods: z.array(period).meta({ description: "Every period of the range in order, those without activity too" }),
    }),
    generatedAt: z.iso.datetime(),
    cost: z.strictObject({
      totalUsd: usd("Cost of every model call in the range"),
      calls: count,
      inputTokens: count,
      outputTokens: count,
      perPeriod: z.array(
        z.strictObject({
          period,
          costUsd: usd("Cost in the period"),
          byModel: byKey("Cost per model in the period, in US dollars"),
          cumulativeUsd: usd("Spent up to the end of the period, counting from before the range when a budget applies"),
        }),
      ),
      perModel: z.array(
        z.strictObject({
          model: z.string(),
          costUsd: usd("Cost of the model's calls"),
          calls: count,
          failedCalls: count.meta({ description: "Calls that ended other than ok (provider error, contract violation, timeout, skipped for budget)" }),
          inputTokens: count,
          outputTokens: count,
          meanLatencyMs: z.number().nullable(),
        }),
      ),
      perStage: z.array(z.strictObject({ stage: stageKeySchema, costUsd: usd("Cost of the stage's model calls"), calls: count })),
      budget: z
        .strictObject({
          budgetUsd: usd("The project's spending limit"),
          spentBeforeUsd: usd("Spent before the range"),
          spentUsd: usd("Spent up to the end of the range"),
        })
        .nullable()
        .meta({ description: "The project's budget and spending; null for several projects or a project without a budget" }),
    }),
    automation: z.array(
      z.strictObject({
        stepKey: z.string(),
        title: z.string(),
        routed: count.meta({ description: "Drafts routed in the range" }),
        autoApproved: count,
        rate: rate("Share auto-approved"),
        perPeriod: z.array(z.strictObject({ period, routed: count, autoApproved: count, rate: rate("Share auto-approved in the period") })),
      }),
    ),
    reviewerLoad: z.strictObject({
      reviewers: z.array(
        z.strictObject({
          userId: z.string(),
          name: z.string(),
          decisions: count.meta({ description: "Decisions made in the range (approve, edit, reject, resolve)" }),
          byStep: byKey("Decisions per drafting step (conflicts under \"conflicts\")"),
        }),
      ),
      perPeriod: z.array(z.strictObject({ period, decisions: count, byStep: byKey("Decisions per drafting step"), byReviewer: byKey("Decisions per reviewer (user id)") })),
    }),
    quality: z.strictObject({
      perModel: z.array(z.strictObject({ model: z.string(), ...outcomeCounts })),
      perStep: z.array(z.strictObject({ stepKey: z.string(), title: z.string(), ...outcomeCounts })),
    }),
    cycleTime: z.strictObject({
      stages: z.array(z.strictObject({ stage: stageKeySchema, signOffs: count, medianHours: hours("Median cycle time") })),
      signOffs: z.array(
        z.strictObject({
          id: z.string(),
          stage: stageKeySchema,
          projectId: z.string(),
          projectName: z.string(),
          startedAt: z.iso.datetime().meta({ description: "The first draft of the round the sign-off closed (or the stage's reopening, when nothing new was drafted)" }),
          signedOffAt: z.iso.datetime(),
          hours: z.number(),
          superseded: z.boolean().meta({ description: "A later change upstream reopened the stage" }),
        }),
      ),
    }),
    waiting: z.strictObject({
      asOf: z.iso.datetime().meta({ description: "Pending ages are measured at this moment, whatever the range" }),
      perStage: z.array(z.strictObject({ stage: stageKeySchema, ...waitFigures })),
      perReviewer: z.array(
        z.strictObject({
          userId: z.string().nullable().meta({ description: "null: items in stages with no reviewer assigned" }),
          name: z.string(),
          ...waitFigures,
        }),
      ),
    }),
  })
  .meta({ id: "Insights", description: "Cost, automation, reviewer load, edit and rejection rates, cycle times and waiting work for a project or every project the caller can read" });
export type Insights = z.output<typeof insightsSchema>;
