"use client";

import { useState, type ReactNode } from "react";
import { formatCount, formatMs, formatUsd } from "@/components/format";
import { StatusBadge } from "@/components/status/status-badge";
import { Spinner } from "@/components/ui/button";
import { useStepTrace, type StepTrace as Trace } from "@/lib/runs/queries";

/**
 * A step's full trace behind a disclosure: fetched when opened, then what the step was given
 * (and what the context budget left out), and per model call the exact messages sent, the raw
 * reply, the parsed output and what was wrong with it.
 */
export function StepTrace({ stepRunId, label }: { stepRunId: string; label: string }) {
  const [open, setOpen] = useState(false);
  const trace = useStepTrace(stepRunId, open);
  return (
    <details className="group" onToggle={(event) => setOpen(event.currentTarget.open)} data-testid="step-trace">
      <summary className="cursor-pointer list-none text-xs font-medium text-accent-700 hover:underline">
        <span aria-hidden className="mr-1 inline-block transition-transform group-open:rotate-90">
          ›
        </span>
        {label}
      </summary>
      {open ? (
        <div className="mt-2 space-y-3">
          {trace.isPending ? (
            <p className="flex items-center gap-2 text-xs text-zinc-500">
              <Spinner /> Loading the trace…
            </p>
          ) : trace.isError ? (
            <p role="alert" className="text-xs text-red-700">
              Could not load the trace: {trace.error.message}
            </p>
          ) : (
            <TraceBody trace={trace.data} />
          )}
        </div>
      ) : null}
    </details>
  );
}

function TraceBody({ trace }: { trace: Trace }) {
  const leftOut = leftOutOf(trace.input);
  return (
    <>
      {leftOut !== undefined ? (
        <Section title="Left out by the context budget" tone="warning" open>
          <JsonOrList value={leftOut} />
        </Section>
      ) : null}
      <Section title="Step input">
        <Pre>{json(trace.input)}</Pre>
      </Section>
      {trace.output !== null ? (
        <Section title="Step output">
          <Pre>{json(trace.output)}</Pre>
        </Section>
      ) : null}
      <ol className="space-y-3">
        {trace.calls.map((call) => (
          <li key={call.id} className="rounded-md border border-zinc-200" data-testid="call-trace">
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-100 bg-zinc-50 px-3 py-1.5 text-xs text-zinc-600">
              <span className="font-medium text-zinc-900">Call {call.position + 1}</span>
              <StatusBadge kind="call" status={call.status} />
              <span className="font-mono">{call.model}</span>
              <span>tier {call.tier}</span>
              <span>attempt {call.attempt}</span>
              <span className="tabular-nums">
                {formatCount(call.inputTokens)} / {formatCount(call.outputTokens)} tokens
              </span>
              <span className="tabular-nums">
                {formatUsd(call.costUsd)}
                {call.estimatedCostUsd !== null ? ` (estimated ${formatUsd(call.estimatedCostUsd)})` : ""}
              </span>
              <span className="tabular-nums">{formatMs(call.latencyMs)}</span>
              <span title="Started and finished (UTC)">
                {call.startedAt.slice(11, 23)}
                {call.finishedAt ? `–${call.finishedAt.slice(11, 23)}` : ""}
              </span>
            </p>
            <div className="space-y-2 px-3 py-2">
              {call.error ? <p className="text-xs text-red-700">{call.error}</p> : null}
              {call.messages.map((message, index) => (
                <Section key={index} title={`${message.role} message (${formatCount(message.content.length)} characters)`}>
                  <Pre>{message.content}</Pre>
                </Section>
              ))}
              <Section title="Raw response" open={call.status !== "ok"}>
                {call.rawResponse === null ? <p className="text-xs text-zinc-500">No response.</p> : <Pre>{call.rawResponse}</Pre>}
              </Section>
              {call.parsedOutput !== null ? (
                <Section title="Parsed output">
                  <Pre>{json(call.parsedOutput)}</Pre>
                </Section>
              ) : null}
              {call.validationErrors !== null ? (
                <Section title="Validation errors" tone="warning" open>
                  <JsonOrList value={call.validationErrors} />
                </Section>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}

/** What the context budget left out, when the step recorded it (`leftOut` in its input). */
function leftOutOf(input: unknown): unknown {
  if (typeof input !== "object" || input === null || !("leftOut" in input)) return undefined;
  const leftOut = (input as { leftOut: unknown }).leftOut;
  return leftOut === null || (Array.isArray(leftOut) && leftOut.length === 0) ? undefined : leftOut;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A list of short texts or {path, message} pairs as a list; anything else as JSON. */
function JsonOrList({ value }: { value: unknown }) {
  if (!Array.isArray(value)) return <Pre>{json(value)}</Pre>;
  return (
    <ul className="list-disc space-y-0.5 pl-5 text-xs text-zinc-800">
      {value.map((item, index) => (
        <li key={index} className="break-words">
          {typeof item === "string" ? item : isIssue(item) ? `${item.path || "(root)"}: ${item.message}` : <code className="font-mono">{JSON.stringify(item)}</code>}
        </li>
      ))}
    </ul>
  );
}

function isIssue(value: unknown): value is { path: string; message: string } {
  return typeof value === "object" && value !== null && typeof (value as { message?: unknown }).message === "string" && typeof (value as { path?: unknown }).path === "string";
}

function Section({ title, tone, open, children }: { title: string; tone?: "warning"; open?: boolean; children: ReactNode }) {
  return (
    <details open={open} className="group/section">
      <summary className={`cursor-pointer text-xs font-medium ${tone === "warning" ? "text-amber-800" : "text-zinc-700"} hover:underline`}>{title}</summary>
      <div className="mt-1">{children}</div>
    </details>
  );
}

function Pre({ children }: { children: ReactNode }) {
  return (
    <pre className="max-h-96 overflow-auto rounded bg-zinc-50 px-2 py-1.5 font-mono text-[11px] leading-relaxed break-words whitespace-pre-wrap text-zinc-800 ring-1 ring-zinc-200 ring-inset">
      {children}
    </pre>
  );
}
