import clsx from "clsx";
import Link from "next/link";
import { StatusBadge } from "@/components/status/status-badge";
import { Time } from "@/components/ui/time";
import type { StageSummary } from "@/lib/stages/service";
import type { StageProgress } from "@/lib/stages/views";

/** The seven stages as a row of cards: status, progress of the work, owner, reviewers and the sign-off. */
export function StagePipeline({
  projectId,
  stages,
  current,
  progress,
}: {
  projectId: string;
  stages: StageSummary[];
  current?: string;
  /** per stage: drafts pending review, approved work, stale work */
  progress?: Partial<Record<string, StageProgress>>;
}) {
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
            {progress?.[stage.key] ? <ProgressLine progress={progress[stage.key]!} /> : null}
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

/** Approved, pending and stale work as a bar and in words; nothing drafted yet says so. */
function ProgressLine({ progress }: { progress: StageProgress }) {
  const total = progress.approved + progress.pending + progress.stale;
  if (total === 0) return <span className="text-zinc-500">Nothing drafted yet</span>;
  const share = (count: number) => `${(count / total) * 100}%`;
  return (
    <span className="flex flex-col gap-1" data-testid="stage-progress">
      <span className="flex h-1.5 overflow-hidden rounded-full bg-zinc-100" aria-hidden>
        <span className="bg-emerald-500" style={{ width: share(progress.approved) }} />
        <span className="bg-amber-400" style={{ width: share(progress.pending) }} />
        <span className="bg-red-400" style={{ width: share(progress.stale) }} />
      </span>
      <span className="text-zinc-600 tabular-nums">
        {progress.approved} approved
        {progress.pending > 0 ? <span className="text-amber-800"> · {progress.pending} pending</span> : null}
        {progress.stale > 0 ? <span className="text-red-700"> · {progress.stale} stale</span> : null}
      </span>
    </span>
  );
}
