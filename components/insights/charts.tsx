"use client";

import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatUsd } from "@/components/format";
import { periodLabel, seriesColours } from "./format";

/**
 * The insights charts (recharts draws in the browser only). Each takes figures already shaped
 * by lib/insights and says what it shows in its aria-label; the page prints the key numbers
 * beside each chart for people who cannot see it.
 */
type Interval = "day" | "week";

const axisTick = { fontSize: 11, fill: "#52525b" };
const grid = <CartesianGrid stroke="#e4e4e7" strokeDasharray="3 3" />;
// In the order the series are drawn (stack order, step order), not sorted by name.
const legend = <Legend wrapperStyle={{ fontSize: 12 }} iconSize={10} itemSorter={null} />;
/** More series than colours would repeat colours; the rest are summed under "Other". */
const MAX_SERIES = seriesColours.length - 1;

function Frame({ label, height, children }: { label: string; height: number; children: ReactNode }) {
  return (
    <div role="img" aria-label={label} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

/** Series names to chart keys: names hold dots and colons (openai:gpt-4.1-mini), which recharts reads as paths. */
function seriesOf(names: readonly string[]): { key: string; name: string; colour: string; members: string[] }[] {
  const shown = names.length > MAX_SERIES + 1 ? names.slice(0, MAX_SERIES) : names;
  const series = shown.map((name, i) => ({ key: `s${i}`, name, colour: seriesColours[i], members: [name] }));
  if (shown.length < names.length) series.push({ key: "other", name: `Other (${names.length - shown.length})`, colour: seriesColours[MAX_SERIES], members: names.slice(MAX_SERIES) });
  return series;
}

const sumOf = (values: Record<string, number>, members: string[]) => members.reduce((sum, member) => sum + (values[member] ?? 0), 0);
const usdTick = (value: number) => (value === 0 ? "$0" : value < 0.01 ? `$${Number(value.toPrecision(1))}` : `$${value.toFixed(Number.isInteger(value) ? 0 : 2)}`);
/** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten at or above the value. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((candidate) => candidate * power >= value * (1 - 1e-9))!;
  return Number((step * power).toPrecision(3));
}

/** Room for the longest category name beside a horizontal bar chart (model names run long). */
const labelWidth = (labels: string[]) => Math.min(240, Math.max(72, 20 + 7 * Math.max(0, ...labels.map((label) => label.length))));

/** Durations in hours, or in days once the longest passes three days, so axes read 2 d rather than 48 h. */
function durationUnit(values: (number | null)[]): { unit: "h" | "d"; scale: (hours: number | null) => number | null } {
  const days = Math.max(0, ...values.map((value) => value ?? 0)) > 72;
  return { unit: days ? "d" : "h", scale: (hours) => (hours === null ? null : days ? Math.round((hours / 24) * 10) / 10 : hours) };
}
const vertical = (rows: number) => 48 + rows * 34;

export function CostPerPeriodChart({
  perPeriod,
  models,
  budgetUsd,
  interval,
}: {
  perPeriod: { period: string; byModel: Record<string, number>; cumulativeUsd: number }[];
  models: string[];
  budgetUsd: number | null;
  interval: Interval;
}) {
  const series = seriesOf(models);
  const rows = perPeriod.map((period) => ({
    label: periodLabel(period.period, interval),
    cumulative: period.cumulativeUsd,
    ...Object.fromEntries(series.map((s) => [s.key, sumOf(period.byModel, s.members)])),
  }));
  const runningName = budgetUsd === null ? "Running total" : "Spent to date";
  // The budget line stays in view even while spending is far below it.
  const totalAxisMax = niceCeiling(Math.max(budgetUsd ?? 0, ...perPeriod.map((period) => period.cumulativeUsd)) * 1.05);
  return (
    <Frame label={`Cost per ${interval} stacked by model, with the ${runningName.toLowerCase()}${budgetUsd === null ? "" : ` against the budget of ${formatUsd(budgetUsd)}`}.`} height={280}>
      <ComposedChart data={rows} margin={{ top: 16, right: 8, bottom: 0, left: 0 }}>
        {grid}
        <XAxis dataKey="label" tick={axisTick} minTickGap={12} />
        <YAxis yAxisId="cost" tick={axisTick} width={52} tickFormatter={usdTick} niceTicks="snap125" />
        <YAxis yAxisId="total" orientation="right" tick={axisTick} width={52} tickFormatter={usdTick} domain={[0, totalAxisMax]} niceTicks="snap125" />
        {series.map((s) => (
          <Bar key={s.key} yAxisId="cost" dataKey={s.key} name={s.name} stackId="cost" fill={s.colour} isAnimationActive={false} />
        ))}
        <Line yAxisId="total" dataKey="cumulative" name={`${runningName} (right axis)`} stroke="#18181b" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        {budgetUsd !== null ? (
          <ReferenceLine
            yAxisId="total"
            y={budgetUsd}
            stroke="#b91c1c"
            strokeDasharray="5 4"
            label={{ value: `Budget ${formatUsd(budgetUsd)}`, position: "insideTopLeft", fontSize: 11, fill: "#b91c1c" }}
          />
        ) : null}
        <Tooltip formatter={(value) => (typeof value === "number" ? formatUsd(value) : String(value))} />
        {legend}
      </ComposedChart>
    </Frame>
  );
}

export function CostPerStageChart({ perStage }: { perStage: { label: string; costUsd: number; calls: number }[] }) {
  return (
    <Frame label="Cost of model calls per stage." height={vertical(perStage.length)}>
      <BarChart data={perStage} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        {grid}
        <XAxis type="number" tick={axisTick} tickFormatter={usdTick} />
        <YAxis type="category" dataKey="label" tick={axisTick} width={labelWidth(perStage.map((s) => s.label))} />
        <Bar dataKey="costUsd" name="Cost" fill={seriesColours[0]} isAnimationActive={false} />
        <Tooltip formatter={(value) => (typeof value === "number" ? formatUsd(value) : String(value))} />
      </BarChart>
    </Frame>
  );
}

export function AutomationChart({
  steps,
  interval,
}: {
  steps: { title: string; perPeriod: { period: string; routed: number; rate: number | null }[] }[];
  interval: Interval;
}) {
  const shown = steps.slice(0, seriesColours.length);
  const rows = (shown[0]?.perPeriod ?? []).map((period, i) => ({
    label: periodLabel(period.period, interval),
    ...Object.fromEntries(shown.flatMap((step, s) => [
      [`s${s}`, step.perPeriod[i].rate === null ? null : Math.round(step.perPeriod[i].rate! * 100)],
      [`n${s}`, step.perPeriod[i].routed],
    ])),
  }));
  return (
    <Frame label={`Share of drafts auto-approved per ${interval}, one line per step.`} height={260}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        {grid}
        <XAxis dataKey="label" tick={axisTick} minTickGap={12} />
        <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={axisTick} width={40} tickFormatter={(value: number) => `${value}%`} />
        {shown.map((step, s) => (
          <Line key={step.title} dataKey={`s${s}`} name={step.title} stroke={seriesColours[s]} strokeWidth={1.5} connectNulls dot={rows.length <= 14 ? { r: 2 } : false} isAnimationActive={false} />
        ))}
        <Tooltip
          formatter={(value, _name, item) => {
            const routed = (item.payload as Record<string, number>)[String(item.dataKey).replace(/^s/, "n")];
            return typeof value === "number" ? `${value}% of ${routed} draft${routed === 1 ? "" : "s"}` : "nothing routed";
          }}
        />
        {legend}
      </LineChart>
    </Frame>
  );
}

export function ReviewerLoadChart({ reviewers, stepTitles }: { reviewers: { name: string; byStep: Record<string, number> }[]; stepTitles: Record<string, string> }) {
  const steps = [...new Set(reviewers.flatMap((reviewer) => Object.keys(reviewer.byStep)))];
  const series = seriesOf(steps);
  const rows = reviewers.map((reviewer) => ({ label: reviewer.name, ...Object.fromEntries(series.map((s) => [s.key, sumOf(reviewer.byStep, s.members)])) }));
  return (
    <Frame label="Decisions each reviewer made, stacked by the step that drafted the work." height={vertical(rows.length) + 28}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        {grid}
        <XAxis type="number" allowDecimals={false} tick={axisTick} />
        <YAxis type="category" dataKey="label" tick={axisTick} width={labelWidth(rows.map((row) => row.label))} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={stepTitles[s.name] ?? s.name} stackId="load" fill={s.colour} isAnimationActive={false} />
        ))}
        <Tooltip />
        {legend}
      </BarChart>
    </Frame>
  );
}

export function RatesChart({ rows, label }: { rows: { label: string; editRate: number | null; rejectRate: number | null }[]; label: string }) {
  const data = rows.map((row) => ({ label: row.label, edited: Math.round((row.editRate ?? 0) * 100), rejected: Math.round((row.rejectRate ?? 0) * 100) }));
  return (
    <Frame label={label} height={vertical(rows.length) + 28}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        {grid}
        <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={axisTick} tickFormatter={(value: number) => `${value}%`} />
        <YAxis type="category" dataKey="label" tick={axisTick} width={labelWidth(data.map((row) => row.label))} />
        <Bar dataKey="edited" name="Edited" fill="#d97706" isAnimationActive={false} />
        <Bar dataKey="rejected" name="Rejected" fill="#be185d" isAnimationActive={false} />
        <Tooltip formatter={(value) => `${String(value)}%`} />
        {legend}
      </BarChart>
    </Frame>
  );
}

export function CycleTimeChart({ stages }: { stages: { label: string; medianHours: number | null; signOffs: number }[] }) {
  const { unit, scale } = durationUnit(stages.map((stage) => stage.medianHours));
  const data = stages.map((stage) => ({ label: stage.label, median: scale(stage.medianHours), signOffs: stage.signOffs }));
  return (
    <Frame label="Median time from a stage's first draft to its sign-off." height={vertical(stages.length)}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        {grid}
        <XAxis type="number" tick={axisTick} tickFormatter={(value: number) => `${value} ${unit}`} />
        <YAxis type="category" dataKey="label" tick={axisTick} width={labelWidth(data.map((row) => row.label))} />
        <Bar dataKey="median" name="Median cycle time" fill={seriesColours[1]} isAnimationActive={false} />
        <Tooltip
          formatter={(value, _name, item) => {
            const signOffs = (item.payload as { signOffs: number }).signOffs;
            return typeof value === "number" ? `${value} ${unit === "d" ? "days" : "hours"} (${signOffs} sign-off${signOffs === 1 ? "" : "s"})` : "—";
          }}
        />
      </BarChart>
    </Frame>
  );
}

export function WaitChart({
  rows,
  label,
}: {
  rows: { label: string; pendingMedianHours: number | null; pendingOldestHours: number | null; decidedMedianWaitHours: number | null }[];
  label: string;
}) {
  const { unit, scale } = durationUnit(rows.flatMap((row) => [row.pendingMedianHours, row.pendingOldestHours, row.decidedMedianWaitHours]));
  const data = rows.map((row) => ({
    label: row.label,
    pendingMedian: scale(row.pendingMedianHours),
    pendingOldest: scale(row.pendingOldestHours),
    decidedMedian: scale(row.decidedMedianWaitHours),
  }));
  return (
    <Frame label={label} height={vertical(rows.length) + 28}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        {grid}
        <XAxis type="number" tick={axisTick} tickFormatter={(value: number) => `${value} ${unit}`} />
        <YAxis type="category" dataKey="label" tick={axisTick} width={labelWidth(data.map((row) => row.label))} />
        <Bar dataKey="pendingMedian" name="Waiting now: median age" fill="#d97706" isAnimationActive={false} />
        <Bar dataKey="pendingOldest" name="Waiting now: oldest" fill="#b91c1c" isAnimationActive={false} />
        <Bar dataKey="decidedMedian" name="Decided: median wait" fill={seriesColours[1]} isAnimationActive={false} />
        <Tooltip formatter={(value) => (typeof value === "number" ? `${value} ${unit === "d" ? "days" : "hours"}` : "—")} />
        {legend}
      </BarChart>
    </Frame>
  );
}
