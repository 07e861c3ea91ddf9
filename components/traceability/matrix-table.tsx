import Link from "next/link";
import { StatusBadge } from "@/components/status/status-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { TraceabilityReport } from "@/lib/artifacts/traceability-report";
import { ArtifactChip } from "./artifact-chip";

/**
 * The matrix: one row per requirement, its gaps in words, and a column per later kind holding
 * everything drafted from it (directly or through other work); an empty cell reads "none" in red
 * when it is one of the requirement's gaps.
 */
export function MatrixTable({ projectId, report }: { projectId: string; report: TraceabilityReport }) {
  const label = new Map<string, string>(report.kinds.map((info) => [info.kind, info.label]));
  return (
    <Table aria-label="Traceability matrix">
      <THead>
        <tr>
          <TH className="min-w-60">Requirement</TH>
          <TH className="min-w-40">Gaps</TH>
          {report.columns.map((kind) => (
            <TH key={kind}>{label.get(kind) ?? kind}</TH>
          ))}
        </tr>
      </THead>
      <tbody>
        {report.rows.map((row) => (
          <TR key={row.requirement.id} data-testid="trace-row" data-ref={row.requirement.ref}>
            <TD>
              <div className="flex flex-wrap items-center gap-1.5">
                <ArtifactChip projectId={projectId} node={row.requirement} />
                {row.requirement.status === "pending_review" ? <StatusBadge kind="artifact" status={row.requirement.status} /> : null}
              </div>
              <p className="mt-1 line-clamp-2 text-[13px] leading-5 text-zinc-700" title={row.requirement.summary}>
                {row.requirement.summary}
              </p>
            </TD>
            <TD>
              {row.gaps.length === 0 ? (
                <span className="text-xs text-emerald-700">No gaps</span>
              ) : (
                <RowGaps projectId={projectId} gaps={row.gaps} />
              )}
            </TD>
            {report.columns.map((kind) => {
              const nodes = row.descendants[kind] ?? [];
              return (
                <TD key={kind} data-kind={kind}>
                  {nodes.length > 0 ? (
                    <div className="flex max-w-48 flex-wrap gap-1">
                      {nodes.map((node) => (
                        <ArtifactChip key={node.id} projectId={projectId} node={node} />
                      ))}
                    </div>
                  ) : row.gaps.some((gap) => gap.artifactId === row.requirement.id && gap.kind === kind && gap.code !== "untested_criterion") ? (
                    <span className="text-xs font-medium text-red-700" title={`No ${(label.get(kind) ?? kind).toLowerCase()} traces to ${row.requirement.ref}`}>
                      none
                    </span>
                  ) : (
                    <span className="text-xs text-zinc-400" title={`Nothing of this kind traces to ${row.requirement.ref}; nothing says it should`}>
                      –
                    </span>
                  )}
                </TD>
              );
            })}
          </TR>
        ))}
      </tbody>
    </Table>
  );
}

const SHOWN = 3;

function RowGaps({ projectId, gaps }: { projectId: string; gaps: TraceabilityReport["gaps"] }) {
  return (
    <ul className="space-y-1 text-xs text-red-800">
      {gaps.slice(0, SHOWN).map((gap) => (
        <li key={`${gap.code}:${gap.artifactId}:${gap.kind}:${gap.criterionIndex}`}>
          <Link href={`/projects/${projectId}/artifacts/${gap.artifactId}`} className="hover:underline">
            {gap.message}
          </Link>
        </li>
      ))}
      {gaps.length > SHOWN ? <li className="text-zinc-500">and {gaps.length - SHOWN} more, listed under Gaps</li> : null}
    </ul>
  );
}
