import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageError } from "@/components/page-error";
import { CriterionCoverage, RequirementCoverage } from "@/components/traceability/coverage";
import { MatrixTable } from "@/components/traceability/matrix-table";
import { TraceFilters } from "@/components/traceability/trace-filters";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { settle } from "@/lib/actions";
import { gapChoices, gapMatches, type TraceFilter } from "@/lib/artifacts/traceability";
import { traceabilityReport, traceFilterSchema } from "@/lib/artifacts/traceability-report";
import { requireActor } from "@/lib/auth";
import { getProject } from "@/lib/projects/service";

export const metadata: Metadata = { title: "Traceability" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The filters from the address; an empty field means "any", and one the schema refuses is dropped with a note. */
function filterFrom(raw: Record<string, string | string[] | undefined>): { filter: TraceFilter; given: Record<string, string>; refused: boolean } {
  const given = Object.fromEntries(Object.entries(raw).flatMap(([key, value]) => (typeof value === "string" && value !== "" ? [[key, value]] : [])));
  const parsed = traceFilterSchema.safeParse(given);
  return parsed.success ? { filter: parsed.data, given, refused: false } : { filter: {}, given: {}, refused: true };
}

export default async function TraceabilityPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { id } = await params;
  const actor = await requireActor();
  const project = await settle(getProject(actor, id));
  if (!project.ok) {
    if (project.error.code === "not_found") notFound();
    return <PageError error={project.error} />;
  }
  const { filter, given, refused } = filterFrom(await searchParams);
  const report = await traceabilityReport(actor, id, filter);
  const basePath = `/projects/${id}/traceability`;
  const csvHref = `/api/v1/projects/${id}/traceability?${new URLSearchParams({ ...given, format: "csv" })}`;
  const { totals } = report;
  const filtered = Object.keys(given).length > 0;
  const wanted = filter.gap;
  const shownGaps = wanted ? report.gaps.filter((gap) => gapMatches(gap, wanted)) : report.gaps;

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/projects/${id}`} className="hover:text-zinc-900 hover:underline">
            {project.data.name}
          </Link>
        }
        title="Traceability"
        description="Each requirement with everything drafted from it, stage by stage. A gap names what is missing; stale work rests on something that changed after it was drafted."
        actions={
          <a href={csvHref} download className={buttonClasses("secondary", "sm")} data-testid="trace-csv">
            Download CSV{filtered ? " (filtered)" : ""}
          </a>
        }
      />

      <dl className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Coverage in numbers">
        <Figure label="Requirements with a test" value={`${totals.requirementsTested} of ${totals.requirements}`} warn={totals.requirementsTested < totals.requirements} />
        <Figure label="Acceptance criteria with a test" value={`${totals.criteriaTested} of ${totals.criteria}`} warn={totals.criteriaTested < totals.criteria} />
        <Figure label="Gaps" value={String(totals.gaps)} warn={totals.gaps > 0} />
        <Figure label="Stale artifacts" value={String(totals.stale)} warn={totals.stale > 0} />
      </dl>

      <Card className="mb-4">
        <CardBody>
          <TraceFilters basePath={basePath} filter={filter} kinds={report.kinds} gapOptions={gapChoices(report.gaps, report.kinds)} />
          {refused ? (
            <Alert tone="warning" className="mt-3">
              Some filters in the address were not understood, so the whole matrix is shown.
            </Alert>
          ) : null}
        </CardBody>
      </Card>

      <Card className="mb-4">
        <CardHeader
          title={`Matrix (${report.rows.length}${filtered ? ` of ${totals.requirements}` : ""} requirements)`}
          description="Chips link to each artifact. Amber with a dot: stale. Dashed: waiting for review. A red “none” is a gap: the requirement should have one."
        />
        {report.rows.length === 0 ? (
          <CardBody>
            <EmptyState title={totals.requirements === 0 ? "No requirements yet" : "No row matches the filters"}>
              {totals.requirements === 0 ? "Run the Requirements stage; its approved requirements start the matrix." : "Clear a filter to see more."}
            </EmptyState>
          </CardBody>
        ) : (
          <MatrixTable projectId={id} report={report} />
        )}
      </Card>

      <Card className="mb-4">
        <CardHeader title="Test coverage" description="Every requirement and every acceptance criterion with the test cases that check it; those without one are flagged." />
        {totals.requirements === 0 ? (
          <CardBody>
            <p className="text-sm text-zinc-500">Nothing to cover yet.</p>
          </CardBody>
        ) : (
          <div className="grid gap-0 xl:grid-cols-[2fr_3fr] xl:divide-x xl:divide-zinc-200">
            <section aria-label="Requirements and their tests">
              <h3 className="px-4 pt-3 pb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Requirements</h3>
              <RequirementCoverage projectId={id} coverage={report.coverage} />
            </section>
            <section aria-label="Acceptance criteria and their tests">
              <h3 className="px-4 pt-3 pb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Acceptance criteria</h3>
              {report.coverage.criteria.length === 0 ? (
                <p className="px-4 pb-3 text-sm text-zinc-500">No user stories with acceptance criteria yet.</p>
              ) : (
                <CriterionCoverage projectId={id} coverage={report.coverage} />
              )}
            </section>
          </div>
        )}
      </Card>

      <Card>
        <CardHeader title={`Gaps (${shownGaps.length})`} description={filter.gap ? "The gaps the filter asks for, across the project." : "Every gap in the project, artifact by artifact."} />
        {shownGaps.length === 0 ? (
          <CardBody>
            <p className="text-sm text-emerald-700">No gaps: everything the project drafted traces through.</p>
          </CardBody>
        ) : (
          <ul className="divide-y divide-zinc-100" data-testid="trace-gaps">
            {shownGaps.map((gap) => (
              <li key={`${gap.code}:${gap.artifactId}:${gap.kind}:${gap.criterionIndex}`} className="px-4 py-2 text-sm">
                <Link href={`/projects/${id}/artifacts/${gap.artifactId}`} className="text-red-800 hover:underline">
                  {gap.message}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

function Figure({ label, value, warn }: { label: string; value: string; warn: boolean }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-xs">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className={warn ? "mt-0.5 text-lg font-semibold text-amber-800" : "mt-0.5 text-lg font-semibold text-zinc-900"}>{value}</dd>
    </div>
  );
}
