import type { Metadata } from "next";
import { formatCount, formatUsd } from "@/components/format";
import { AutomationChart, CostPerPeriodChart, CostPerStageChart, CycleTimeChart, RatesChart, ReviewerLoadChart, WaitChart } from "@/components/insights/charts";
import { formatHours, percent } from "@/components/insights/format";
import { InsightCard } from "@/components/insights/insight-card";
import { InsightsFilter } from "@/components/insights/insights-filter";
import { PageError } from "@/components/page-error";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { median, stepTitle } from "@/lib/insights/figures";
import { insightsFor } from "@/lib/insights/service";
import type { Insights } from "@/lib/insights/schema";
import { listProjects } from "@/lib/projects/service";
import { stageLabels } from "@/lib/stages/stages";

export const metadata: Metadata = { title: "Insights" };

type Params = Record<"projectId" | "from" | "to" | "interval", string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
// A date field holds only a real day; anything else stays in the URL and the error says what is wrong.
const dayOrEmpty = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : "");

export default async function InsightsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const query = { projectId: first(params.projectId), from: first(params.from), to: first(params.to), interval: first(params.interval) as "day" | "week" | undefined };
  const [projects, result] = await Promise.all([listProjects(actor), settle(insightsFor(actor, query))]);
  const header = (
    <PageHeader
      title="Insights"
      description="What the model calls cost, how much the routing rules auto-approve, how much people change, how long stages take and where work waits. Days are UTC days; the same figures come from GET /api/v1/insights."
    />
  );
  if (!result.ok && result.error.code !== "invalid") return <PageError error={result.error} />;
  const range = result.ok ? result.data.range : null;
  const filter = (
    <InsightsFilter
      values={{ projectId: query.projectId ?? "", from: range?.from ?? dayOrEmpty(query.from), to: range?.to ?? dayOrEmpty(query.to), interval: query.interval ?? "" }}
      projects={projects.map((project) => ({ id: project.id, name: project.name }))}
      allProjectsLabel={actor.role === "admin" ? "All projects" : "All my projects"}
      today={new Date().toISOString().slice(0, 10)}
    />
  );
  if (!result.ok) {
    return (
      <>
        {header}
        {filter}
        <Alert tone="danger" role="alert" title="These figures cannot be shown">
          {result.error.message}
        </Alert>
      </>
    );
  }
  return (
    <>
      {header}
      {filter}
      <InsightsView insights={result.data} />
    </>
  );
}

function InsightsView({ insights }: { insights: Insights }) {
  const { cost, automation, reviewerLoad, quality, cycleTime, waiting, range } = insights;
  const routed = automation.reduce((sum, step) => sum + step.routed, 0);
  const autoApproved = automation.reduce((sum, step) => sum + step.autoApproved, 0);
  const decisions = reviewerLoad.reviewers.reduce((sum, reviewer) => sum + reviewer.decisions, 0);
  const pendingNow = waiting.perStage.reduce((sum, stage) => sum + stage.pending, 0);
  const per = range.interval === "day" ? "day" : "week";
  const stepTitles = Object.fromEntries(reviewerLoad.reviewers.flatMap((reviewer) => Object.keys(reviewer.byStep)).map((key) => [key, stepTitle(key)]));
  const where = insights.scope.projectName ? `in ${insights.scope.projectName}` : `across ${insights.scope.projects} project${insights.scope.projects === 1 ? "" : "s"}`;

  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" aria-label={`Totals ${where}`}>
        <Tile label="Model cost" value={formatUsd(cost.totalUsd)} hint={cost.budget ? `${formatUsd(cost.budget.spentUsd)} of a ${formatUsd(cost.budget.budgetUsd)} budget spent` : `${formatCount(cost.calls)} calls`} />
        <Tile label="Auto-approved" value={percent(routed === 0 ? null : autoApproved / routed)} hint={`${formatCount(autoApproved)} of ${formatCount(routed)} drafts routed`} />
        <Tile label="Decisions by people" value={formatCount(decisions)} hint={`by ${reviewerLoad.reviewers.length} reviewer${reviewerLoad.reviewers.length === 1 ? "" : "s"}`} />
        <Tile label="Sign-offs" value={formatCount(cycleTime.signOffs.length)} hint={cycleTime.signOffs.length > 0 ? `median ${formatHours(median(cycleTime.signOffs.map((s) => s.hours)))} from first draft` : "none in this range"} />
        <Tile label="Waiting for review now" value={formatCount(pendingNow)} hint={pendingNow > 0 ? `oldest ${formatHours(Math.max(...waiting.perStage.map((s) => s.pendingOldestHours ?? 0)))}` : "nothing waits"} />
      </dl>

      <div className="grid gap-4 lg:grid-cols-2">
        <InsightCard
          className="lg:col-span-2"
          testId="insight-cost"
          title={`Cost per ${per}, by model`}
          description={
            cost.budget
              ? `What each ${per}'s model calls cost, stacked by model; the line is everything spent so far against the project's budget of ${formatUsd(cost.budget.budgetUsd)} (${formatUsd(cost.budget.spentBeforeUsd)} before this range).`
              : `What each ${per}'s model calls cost, stacked by model; the line is the running total over the range. Pick a project with a budget to see spending against it.`
          }
          empty={cost.calls === 0 ? "No model calls in this range. Each call a run makes to a model is priced and shows here on the day it was made." : null}
          figures={{
            columns: ["Model", "Cost", "Calls", "Failed", "Mean latency", "Tokens in / out"],
            rows: cost.perModel.map((m) => [m.model, formatUsd(m.costUsd), formatCount(m.calls), formatCount(m.failedCalls), m.meanLatencyMs === null ? "—" : `${formatCount(m.meanLatencyMs)} ms`, `${formatCount(m.inputTokens)} / ${formatCount(m.outputTokens)}`]),
          }}
        >
          <CostPerPeriodChart perPeriod={cost.perPeriod} models={cost.perModel.map((m) => m.model)} budgetUsd={cost.budget?.budgetUsd ?? null} interval={range.interval} />
        </InsightCard>

        <InsightCard
          testId="insight-cost-per-stage"
          title="Cost per stage"
          description="What each lifecycle stage's model calls cost over the range."
          empty={cost.perStage.length === 0 ? "Appears once a stage's run calls a model; rule steps cost nothing." : null}
          figures={{ columns: ["Stage", "Cost", "Calls"], rows: cost.perStage.map((s) => [stageLabels[s.stage], formatUsd(s.costUsd), formatCount(s.calls)]) }}
        >
          <CostPerStageChart perStage={cost.perStage.map((s) => ({ label: stageLabels[s.stage], costUsd: s.costUsd, calls: s.calls }))} />
        </InsightCard>

        <InsightCard
          testId="insight-cycle-time"
          title="Cycle time per stage"
          description="Median time from a stage's first draft to its sign-off, for sign-offs in the range (a reopened stage counts from its new drafts)."
          empty={cycleTime.stages.length === 0 ? "Appears when a stage owner signs a stage off: the time from the stage's first draft to that sign-off." : null}
          figures={{
            columns: ["Sign-off", "Project", "Cycle time"],
            rows: cycleTime.signOffs.map((s) => [`${stageLabels[s.stage]}, ${s.signedOffAt.slice(0, 10)}${s.superseded ? " (since reopened)" : ""}`, s.projectName, formatHours(s.hours)]),
          }}
        >
          <CycleTimeChart stages={cycleTime.stages.map((s) => ({ label: stageLabels[s.stage], medianHours: s.medianHours, signOffs: s.signOffs }))} />
        </InsightCard>

        <InsightCard
          testId="insight-automation"
          title={`Automation per step, per ${per}`}
          description="Share of each step's drafts the routing rules auto-approved; the rest went to people."
          empty={routed === 0 ? "Appears once a run routes drafts: each draft is either auto-approved or sent to people for review." : null}
          figures={{ columns: ["Step", "Auto-approved", "Drafts routed"], rows: automation.map((s) => [s.title, percent(s.rate), formatCount(s.routed)]) }}
        >
          <AutomationChart steps={automation} interval={range.interval} />
        </InsightCard>

        <InsightCard
          testId="insight-reviewer-load"
          title="Reviewer load"
          description="Decisions each person made in the range (approve, edit, reject, resolve), by the step that drafted the work."
          empty={reviewerLoad.reviewers.length === 0 ? "Appears once reviewers decide items in the review queue." : null}
          figures={{
            columns: ["Reviewer", "Decisions", ...Object.values(stepTitles)],
            rows: reviewerLoad.reviewers.map((r) => [r.name, formatCount(r.decisions), ...Object.keys(stepTitles).map((key) => formatCount(r.byStep[key] ?? 0))]),
          }}
        >
          <ReviewerLoadChart reviewers={reviewerLoad.reviewers} stepTitles={stepTitles} />
        </InsightCard>

        <InsightCard
          className="lg:col-span-2"
          testId="insight-quality"
          title="Edit and rejection rates"
          description="How often people changed or refused a draft as the model wrote it (their first decision on it), per model and per step."
          empty={quality.perStep.length === 0 ? "Appears once reviewers decide drafts: each first decision counts as approved unchanged, edited or rejected." : null}
          figures={{
            columns: ["Model or step", "Decided", "Edited", "Rejected"],
            rows: [...quality.perModel.map((m) => ({ ...m, label: m.model })), ...quality.perStep.map((s) => ({ ...s, label: s.title }))].map((row) => [
              row.label,
              formatCount(row.decided),
              `${percent(row.editRate)} (${row.edited})`,
              `${percent(row.rejectRate)} (${row.rejected})`,
            ]),
          }}
        >
          <div className="grid gap-4 md:grid-cols-2">
            <section aria-label="Per model">
              <h3 className="mb-1 text-xs font-semibold text-zinc-700">Per model</h3>
              {quality.perModel.length > 0 ? (
                <RatesChart rows={quality.perModel.map((m) => ({ ...m, label: m.model }))} label="Share of drafts edited and rejected, per model." />
              ) : (
                <p className="text-sm text-zinc-500">The decided drafts name no model.</p>
              )}
            </section>
            <section aria-label="Per step">
              <h3 className="mb-1 text-xs font-semibold text-zinc-700">Per step</h3>
              <RatesChart rows={quality.perStep.map((s) => ({ ...s, label: s.title }))} label="Share of drafts edited and rejected, per step." />
            </section>
          </div>
        </InsightCard>

        <InsightCard
          className="lg:col-span-2"
          testId="insight-waiting"
          title="Where work waits"
          description="Items waiting for review now, by age, and how long the items decided in the range waited; per stage and per reviewer (an unclaimed item waits on every reviewer of its stage)."
          empty={waiting.perStage.length === 0 ? "Appears when drafts go to people for review: what waits now, and how long decided items waited." : null}
          figures={{
            columns: ["Stage or reviewer", "Waiting now", "Median age", "Oldest", "Decided", "Median wait"],
            rows: [...waiting.perStage.map((s) => ({ ...s, label: stageLabels[s.stage] })), ...waiting.perReviewer.map((r) => ({ ...r, label: r.name }))].map((row) => [
              row.label,
              formatCount(row.pending),
              formatHours(row.pendingMedianHours),
              formatHours(row.pendingOldestHours),
              formatCount(row.decided),
              formatHours(row.decidedMedianWaitHours),
            ]),
          }}
        >
          <div className="grid gap-4 md:grid-cols-2">
            <section aria-label="Per stage">
              <h3 className="mb-1 text-xs font-semibold text-zinc-700">Per stage</h3>
              <WaitChart rows={waiting.perStage.map((s) => ({ ...s, label: stageLabels[s.stage] }))} label="Hours items wait for review, per stage." />
            </section>
            <section aria-label="Per reviewer">
              <h3 className="mb-1 text-xs font-semibold text-zinc-700">Per reviewer</h3>
              <WaitChart rows={waiting.perReviewer.map((r) => ({ ...r, label: r.name }))} label="Hours items wait for review, per reviewer." />
            </section>
          </div>
        </InsightCard>
      </div>
    </div>
  );
}

function Tile({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-3 py-2 shadow-xs">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums text-zinc-900">{value}</dd>
      <dd className="text-xs text-zinc-500">{hint}</dd>
    </div>
  );
}
