import clsx from "clsx";
import { formatCount, formatMs, formatUsd } from "@/components/format";
import { StatusBadge } from "@/components/status/status-badge";
import { Badge } from "@/components/ui/badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { StepInfo } from "@/lib/pipeline/steps";
import type { RunView } from "@/lib/runs/views";
import { StepTrace } from "./step-trace";

type Step = RunView["steps"][number];

/** Milliseconds after the run started, as "+1.25 s"; the exact time is in the title. */
function Offset({ at, from }: { at: string; from: number }) {
  return (
    <span title={at} className="tabular-nums">
      +{formatMs(Math.max(0, new Date(at).getTime() - from))}
    </span>
  );
}

/**
 * A run's steps in order with each model call they made (model, tier, attempt, status, tokens,
 * cost, latency, when), then the stage's steps the run has not reached. Each step opens onto
 * its full trace.
 */
export function RunTimeline({ run, planned }: { run: RunView; planned: readonly StepInfo[] }) {
  const from = new Date(run.startedAt ?? run.createdAt).getTime();
  const notReached = planned.filter((info) => !run.steps.some((step) => step.key === info.key));
  return (
    <ol className="divide-y divide-zinc-100" aria-label="Steps of the run">
      {run.steps.map((step, index) => (
        <StepEntry key={step.id} step={step} number={index + 1} from={from} />
      ))}
      {notReached.map((info, index) => (
        <li key={info.key} className="flex flex-wrap items-center gap-3 px-4 py-2.5 text-zinc-500" data-testid="timeline-step" data-status="not_started">
          <span className="w-5 font-mono text-xs">{run.steps.length + index + 1}</span>
          <span className="text-sm">{info.title}</span>
          <KindBadge kind={info.kind} />
          <span className="text-xs">{run.status === "failed" || run.status === "completed" ? "not reached" : "not started"}</span>
        </li>
      ))}
    </ol>
  );
}

function KindBadge({ kind }: { kind: string }) {
  return <Badge tone={kind === "model" ? "accent" : "grey"}>{kind === "model" ? "model" : "rule"}</Badge>;
}

function StepEntry({ step, number, from }: { step: Step; number: number; from: number }) {
  const durationMs = step.finishedAt ? new Date(step.finishedAt).getTime() - new Date(step.startedAt).getTime() : null;
  return (
    <li className="px-4 py-3" data-testid="timeline-step" data-status={step.status} data-step={step.key}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="w-5 font-mono text-xs text-zinc-500">{number}</span>
        <span className="text-sm font-medium text-zinc-900">{step.title}</span>
        <KindBadge kind={step.kind} />
        <StatusBadge kind="step" status={step.status} />
        {step.model ? <span className="font-mono text-xs text-zinc-600">{step.model}</span> : null}
        <span className="ml-auto flex flex-wrap gap-x-3 text-xs text-zinc-500">
          <Offset at={step.startedAt} from={from} />
          <span className="tabular-nums">{durationMs === null ? "working…" : formatMs(durationMs)}</span>
          {step.kind === "model" ? (
            <>
              <span className="tabular-nums">
                {formatCount(step.inputTokens)} / {formatCount(step.outputTokens)} tokens
              </span>
              <span className="tabular-nums">{formatUsd(step.costUsd)}</span>
              <span className="tabular-nums">
                {step.attempts} attempt{step.attempts === 1 ? "" : "s"}
              </span>
            </>
          ) : null}
        </span>
      </div>
      {step.error ? <p className="mt-1 pl-8 text-xs text-red-700">{step.error}</p> : null}
      <div className="mt-2 space-y-2 pl-8">
        {step.calls.length > 0 ? (
          <div className="rounded-md border border-zinc-200">
            <Table aria-label={`Model calls of ${step.title}`}>
              <THead>
                <tr>
                  <TH>Call</TH>
                  <TH>Model</TH>
                  <TH className="text-right">Tier</TH>
                  <TH className="text-right">Attempt</TH>
                  <TH>Status</TH>
                  <TH className="text-right">Tokens in / out</TH>
                  <TH className="text-right">Cost</TH>
                  <TH className="text-right">Latency</TH>
                  <TH className="text-right">At</TH>
                  <TH>Error</TH>
                </tr>
              </THead>
              <tbody>
                {step.calls.map((call) => (
                  <TR key={call.id} className={clsx(call.status !== "ok" && "bg-red-50/40")} data-testid="model-call" data-status={call.status}>
                    <TD className="text-xs tabular-nums">{call.position + 1}</TD>
                    <TD className="font-mono text-xs">{call.model}</TD>
                    <TD className="text-right text-xs tabular-nums">{call.tier}</TD>
                    <TD className="text-right text-xs tabular-nums">{call.attempt}</TD>
                    <TD>
                      <StatusBadge kind="call" status={call.status} />
                    </TD>
                    <TD className="text-right text-xs tabular-nums">
                      {formatCount(call.inputTokens)} / {formatCount(call.outputTokens)}
                    </TD>
                    <TD className="text-right text-xs tabular-nums">{formatUsd(call.costUsd)}</TD>
                    <TD className="text-right text-xs tabular-nums">{formatMs(call.latencyMs)}</TD>
                    <TD className="text-right text-xs text-zinc-500">
                      <Offset at={call.startedAt} from={from} />
                    </TD>
                    <TD className="max-w-xs text-xs break-words text-red-700">{call.error ?? ""}</TD>
                  </TR>
                ))}
              </tbody>
            </Table>
          </div>
        ) : step.kind === "model" ? (
          <p className="text-xs text-zinc-500">No model calls recorded for this step.</p>
        ) : null}
        <StepTrace
          stepRunId={step.id}
          label={step.calls.length > 0 ? "Trace: input, exact messages, raw responses, validation errors" : "Trace: input and output"}
        />
      </div>
    </li>
  );
}
