import clsx from "clsx";
import type { ReactNode } from "react";
import type { whatIfPolicy } from "@/lib/learning/what-if";

type WhatIfResult = Awaited<ReturnType<typeof whatIfPolicy>>;
type Figures = WhatIfResult["current"];

/** Higher is better for some figures and worse for others; the change is coloured accordingly. */
const rows: { key: keyof Figures; label: string; better: "up" | "down" | null; format: (value: number | null) => string }[] = [
  { key: "autoApproved", label: "Auto-approved", better: null, format: (v) => String(v ?? 0) },
  { key: "toPeople", label: "Sent to people", better: null, format: (v) => String(v ?? 0) },
  { key: "escapedDefects", label: "Escaped defects", better: "down", format: (v) => String(v ?? 0) },
  { key: "reviewerHours", label: "Reviewer hours", better: "down", format: (v) => (v ?? 0).toFixed(2) },
  { key: "modelCostUsd", label: "Model cost", better: "down", format: (v) => `$${(v ?? 0).toFixed(4)}` },
  { key: "threshold", label: "Auto-approval threshold", better: null, format: (v) => (v === null ? "none (not enough evidence)" : `≥ ${v.toFixed(2)}`) },
];

function change(before: number | null, after: number | null, better: "up" | "down" | null, format: (value: number | null) => string): ReactNode {
  if (before === null || after === null) return before === after ? "—" : "changed";
  const delta = after - before;
  if (Math.abs(delta) < 1e-9) return <span className="text-zinc-500">same</span>;
  const good = better === null ? null : (better === "up") === delta > 0;
  const text = `${delta > 0 ? "+" : "−"}${format(Math.abs(delta)).replace("≥ ", "")}`;
  return <span className={clsx("font-medium", good === null ? "text-zinc-800" : good ? "text-emerald-700" : "text-red-700")}>{text}</span>;
}

/** Current and proposed policy side by side, replayed over the step's past drafts. */
export function WhatIfTable({ result, stale }: { result: WhatIfResult; stale: boolean }) {
  return (
    <div className={clsx("space-y-2", stale && "opacity-60")}>
      {stale ? (
        <p className="rounded-md bg-amber-50 px-2.5 py-1.5 text-xs text-amber-900" role="status">
          The values changed after this preview. Preview again to see their effect and to save.
        </p>
      ) : null}
      <table className="w-full border-collapse text-left text-sm" data-testid="what-if-table">
        <caption className="mb-1.5 text-left text-xs text-zinc-500">
          Replayed over {result.current.drafts} draft{result.current.drafts === 1 ? "" : "s"} this step routed, {result.labelledDrafts} of them decided by reviewers.
        </caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500">
          <tr>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Measure
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">
              {result.currentVersion === 0 ? "Current (defaults)" : `Current (v${result.currentVersion})`}
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">
              Proposed
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className="border-b border-zinc-100 last:border-b-0" data-testid={`what-if-${row.key}`}>
              <th scope="row" className="px-2 py-1.5 font-normal text-zinc-700">
                {row.label}
              </th>
              <td className="px-2 py-1.5 text-right tabular-nums">{row.format(result.current[row.key])}</td>
              <td className="px-2 py-1.5 text-right font-semibold tabular-nums">{row.format(result.proposedFigures[row.key])}</td>
              <td className="px-2 py-1.5 text-right whitespace-nowrap tabular-nums">{change(result.current[row.key], result.proposedFigures[row.key], row.better, row.format)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-sm text-zinc-700" data-testid="what-if-moved">
        <span className="font-semibold tabular-nums">{result.movedToPeople}</span> draft{result.movedToPeople === 1 ? "" : "s"} would move to people ·{" "}
        <span className="font-semibold tabular-nums">{result.movedToAuto}</span> would move to auto-approval.
      </p>
      {result.current.drafts === 0 ? (
        <p className="text-xs text-zinc-500">This step has not routed any draft yet, so the replay has nothing to compare; the change applies from the next run.</p>
      ) : null}
    </div>
  );
}
