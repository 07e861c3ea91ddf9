import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import type { TraceabilityReport } from "@/lib/artifacts/traceability-report";
import { ArtifactChip } from "./artifact-chip";

/** The tests of a requirement or a criterion, or a flag when there are none. */
function Tests({ projectId, tests }: { projectId: string; tests: TraceabilityReport["coverage"]["requirements"][number]["tests"] }) {
  if (tests.length === 0) {
    return (
      <span className="inline-flex whitespace-nowrap rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800 ring-1 ring-red-300/80 ring-inset" data-testid="no-tests">
        No test
      </span>
    );
  }
  return (
    <div className="flex flex-wrap gap-1">
      {tests.map((test) => (
        <ArtifactChip key={test.id} projectId={projectId} node={test} />
      ))}
    </div>
  );
}

/** Every requirement with the tests that trace to it, through its stories. */
export function RequirementCoverage({ projectId, coverage }: { projectId: string; coverage: TraceabilityReport["coverage"] }) {
  return (
    <Table aria-label="Requirement coverage">
      <THead>
        <tr>
          <TH>Requirement</TH>
          <TH>Tests</TH>
        </tr>
      </THead>
      <tbody>
        {coverage.requirements.map((entry) => (
          <TR key={entry.requirement.id}>
            <TD>
              <div className="flex items-start gap-2">
                <ArtifactChip projectId={projectId} node={entry.requirement} />
                <span className="line-clamp-2 text-[13px] leading-5 text-zinc-700">{entry.requirement.summary}</span>
              </div>
            </TD>
            <TD>
              <Tests projectId={projectId} tests={entry.tests} />
            </TD>
          </TR>
        ))}
      </tbody>
    </Table>
  );
}

/** Every acceptance criterion, Given/When/Then, with the tests written for it. */
export function CriterionCoverage({ projectId, coverage }: { projectId: string; coverage: TraceabilityReport["coverage"] }) {
  return (
    <Table aria-label="Acceptance criterion coverage">
      <THead>
        <tr>
          <TH>Story</TH>
          <TH>Criterion</TH>
          <TH>Tests</TH>
        </tr>
      </THead>
      <tbody>
        {coverage.criteria.map((entry) => (
          <TR key={`${entry.artifact.id}:${entry.index}`} data-testid="criterion-coverage" data-ref={entry.artifact.ref} data-index={entry.index}>
            <TD className="whitespace-nowrap">
              <ArtifactChip projectId={projectId} node={entry.artifact} /> <span className="text-xs text-zinc-500">#{entry.index + 1}</span>
            </TD>
            <TD className="text-[13px] leading-5 text-zinc-800">
              <span className="font-semibold text-zinc-500">Given</span> {entry.criterion.given} <span className="font-semibold text-zinc-500">when</span> {entry.criterion.when}{" "}
              <span className="font-semibold text-zinc-500">then</span> {entry.criterion.then}
            </TD>
            <TD>
              <Tests projectId={projectId} tests={entry.tests} />
            </TD>
          </TR>
        ))}
      </tbody>
    </Table>
  );
}
