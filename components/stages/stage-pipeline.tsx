import clsx from "clsx";
import Link from "next/link";
import { StatusBadge } from "@/components/status/status-badge";
import { Time } from "@/components/ui/time";
import type { StageSummary } from "@/lib/stages/service";

/** The seven stages as a row of cards: status, owner, reviewers and the sign-off. */
export function StagePipeline({ projectId, stages, current }: { projectId: string; stages: StageSummary[]; current?: string }) {
  return (
    <ol className="grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-7" aria-label="Stages">
      {stages.map((stage, index) => (
        <li key={stage.key} data-testid={`stage-${stage.key}`}>
          <Link
            href={`/projects/${projectId}/stages/${stage.key}`}
            aria-current={current === stage.key ? "page" : undefined}
            className={clsx(
              "flex h-full flex-col gap-1.5 rounded-lg border bg-white p-3 text-xs shadow-xs transition-colors hover:border-accent-300",
              current === stage.key ? "border-accent-500 ring-2 ring-accent-500/15" : "border-zinc-200",
              stage.status === "locked" && "bg-zinc-50/60",
            )}
          >
            <span className="flex items-center justify-between gap-1">
              <span className="text-sm font-medium text-zinc-900">
                <span className="mr-1 text-zinc-500 tabular-nums">{index + 1}</span>
                {stage.label}
              </span>
            </span>
            <StatusBadge kind="stage" status={stage.status} className="self-start" />
            <span className="text-zinc-600">
              <span className="text-zinc-500">Owner </span>
              {stage.owner ? stage.owner.name : <span className="text-amber-700">none yet</span>}
            </span>
            <span className="text-zinc-600">
              <span className="text-zinc-500">Reviewers </span>
              {stage.reviewers.length > 0 ? stage.reviewers.map((r) => r.name).join(", ") : <span className="text-amber-700">none yet</span>}
            </span>
            {stage.signOff ? (
              <span className="text-emerald-800">
                Signed by {stage.signOff.by.name}, <Time iso={stage.signOff.at} dateOnly />
              </span>
            ) : null}
          </Link>
        </li>
      ))}
    </ol>
  );
}
