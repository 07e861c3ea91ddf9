import clsx from "clsx";
import Link from "next/link";
import { formatCount, formatMs, formatUsd } from "@/components/format";
import { StatusBadge } from "@/components/status/status-badge";
import { Badge } from "@/components/ui/badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { budgetBlock } from "@/lib/pipeline/schema";
import type { RunView } from "@/lib/pipeline/service";
import type { StepInfo } from "@/lib/pipeline/steps";

/** The stage's runs, newest first; the latest open with its steps, earlier ones folded. */
export function RunList({ runs, steps }: { runs: RunView[]; steps: readonly StepInfo[] }) {
  const [latest, ...earlier] = runs;
  return (
    <div>
      <RunDetails run={latest} steps={steps} number={runs.length} open />
      {earlier.length > 0 ? (
        <div className="border-t border-zinc-200">
          {earlier.map((run, index) => (
            <details key={run.id} className="group border-b border-zinc-100 last:border-b-0">
              <summary className="flex cursor-pointer list-none items-center gap-3 px-4 py-2 text-xs text-zinc-600 hover:bg-zinc-50">
                <span aria-hidden className="text-zinc-500 transition-transform group-open:rotate-90">
                  ›
                </span>
                <RunSummary run={run} number={runs.length - index - 1} />
              </summary>
              <RunDetails run={run} steps={steps} number={runs.length - index - 1} />
            </details>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function RunSummary({ run, number }: { run: RunView; number: number }) {
  return (
    <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <span className="font-medium text-zinc-900">Run {number}</span>
      <StatusBadge kind="run" status={run.status} />
      <Link href={`/runs/${run.id}`} className="text-xs font-medium text-accent-700 hover:underline" data-testid="run-link">
        Steps, model calls and traces
      </Link>
      <span className="text-xs text-zinc-500">
        queued <Time iso={run.createdAt} />
        {run.finishedAt ? (
          <>
            {" "}
            · finished <Time iso={run.finishedAt} />
          </>
        ) : null}
      </span>
      <span className="text-xs text-zinc-500">total cost {formatUsd(run.costUsd)}</span>
    </span>
  );
}

function RunDetails({ run, steps, number, open = false }: { run: RunView; steps: readonly StepInfo[]; number: number; open?: boolean }) {
  const rows = [
    ...steps.map((info) => ({ info, step: run.steps.find((s) => s.key === info.key) ?? null })),
    ...run.steps.filter((s) => !steps.some((info) => info.key === s.key)).map((step) => ({ info: null, step })),
  ];
  return (
    <div data-testid="run" data-status={run.status}>
      {open ? (
        <div className="px-4 pt-3 pb-2">
          <RunSummary run={run} number={number} />
        </div>
      ) : null}
      {run.error ? (
        <p role="alert" className="mx-4 mb-2 rounded-md bg-red-50 px-3 py-2 text-xs text-red-800">
          <span className="font-semibold">The run failed:</span> {run.error}
        </p>
      ) : null}
      {run.status === "blocked" ? (
        <p role="status" className="mx-4 mb-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="run-blocked-reason">
          <span className="font-semibold">Blocked ({run.blockedReason?.replaceAll("_", " ") ?? "no reason recorded"}):</span> {budgetBlock(run)?.message ?? ""}
        </p>
      ) : null}
      <Table aria-label={`Steps of run ${number}`}>
        <THead>
          <tr>
            <TH>Step</TH>
            <TH>Kind</TH>
            <TH>Status</TH>
            <TH>Model</TH>
            <TH className="text-right">Tokens in / out</TH>
            <TH className="text-right">Cost</TH>
            <TH className="text-right">Latency</TH>
            <TH className="text-right">Attempts</TH>
            <TH>Error</TH>
          </tr>
        </THead>
        <tbody>
          {rows.map(({ info, step }) => (
            <TR key={info?.key ?? step?.key} className={clsx(!step && "text-zinc-500")}>
              <TD className="font-medium" title={info?.description}>
                {info?.title ?? step?.title}
              </TD>
              <TD>
                <Badge tone={(info?.kind ?? step?.kind) === "model" ? "accent" : "grey"}>{(info?.kind ?? step?.kind) === "model" ? "model" : "rule"}</Badge>
              </TD>
              <TD>{step ? <StatusBadge kind="step" status={step.status} /> : <span className="text-xs">{run.status === "failed" ? "not reached" : "not started"}</span>}</TD>
              <TD className="font-mono text-xs">{step?.model ?? (info?.kind === "model" ? "" : "—")}</TD>
              <TD className="text-right text-xs tabular-nums">
                {step && (step.inputTokens || step.outputTokens) ? `${formatCount(step.inputTokens)} / ${formatCount(step.outputTokens)}` : "—"}
              </TD>
              <TD className="text-right text-xs tabular-nums">{step && info?.kind !== "rule" ? formatUsd(step.costUsd) : "—"}</TD>
              <TD className="text-right text-xs tabular-nums">{step ? formatMs(step.latencyMs) : "—"}</TD>
              <TD className="text-right text-xs tabular-nums">{step?.attempts || "—"}</TD>
              <TD className="max-w-xs text-xs text-red-700">{step?.error ?? ""}</TD>
            </TR>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
