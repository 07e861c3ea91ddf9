import type { Metadata } from "next";
import Link from "next/link";
import { PageError } from "@/components/page-error";
import { AdjudicationList } from "@/components/review/adjudication-list";
import { ReviewQueue } from "@/components/review/review-queue";
import { PageHeader } from "@/components/ui/page-header";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { kindPresentations } from "@/lib/kinds/registry";
import { listProjects } from "@/lib/projects/service";
import { reviewQueueCounts } from "@/lib/review/counts";
import { withLineage } from "@/lib/review/lineage";
import { listNarrowing, parseQueueFilter } from "@/lib/review/queue-filter";
import { listReviewItems } from "@/lib/review/service";
import { stageDefinitions } from "@/lib/stages/definitions";

export const metadata: Metadata = { title: "Review queue" };

/** The drafting steps a reviewer can filter by, each with the one kind it drafts. */
const draftingSteps = stageDefinitions.flatMap((definition) =>
  definition.steps.flatMap((step) => (step.kind === "model" ? [{ key: step.key, title: step.title, kind: step.produces, stage: definition.stage }] : [])),
);
const stepKinds = Object.fromEntries(draftingSteps.map((step) => [step.key, step.kind]));

export default async function ReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const filter = parseQueueFilter(params);
  const selectedId = typeof params.item === "string" ? params.item : null;
  const scope = { status: "pending" as const, ...(filter.projectId ? { projectId: filter.projectId } : {}), ...(filter.stage ? { stage: filter.stage } : {}) };
  const narrowed = { status: "pending" as const, ...listNarrowing(filter, stepKinds) };
  const now = new Date();
  // Conflicts are listed first: their sides cannot be approved until someone resolves them.
  const [projects, conflicts, drafts, counts, disputed] = await Promise.all([
    listProjects(actor),
    settle(listReviewItems(actor, { ...narrowed, kind: "conflict", limit: 50 }).then(withLineage)),
    settle(listReviewItems(actor, { ...narrowed, kind: "draft", limit: 100 }).then(withLineage)),
    settle(reviewQueueCounts(actor, filter, stepKinds, now)),
    settle(listReviewItems(actor, { ...scope, status: "needs_adjudication", limit: 50 })),
  ]);

  return (
    <>
      <PageHeader
        title="Review queue"
        description="Drafts that could not be approved automatically, and conflicts between sources. Pick an item on the left; its card on the right says why it is here and what it rests on. Approve it, edit it (another reviewer then approves your version) or reject it with a comment."
        actions={
          <Link href="/review/history" className="text-sm font-medium text-accent-700 underline-offset-2 hover:underline">
            What I decided
          </Link>
        }
      />
      {!conflicts.ok ? (
        <PageError error={conflicts.error} />
      ) : !drafts.ok ? (
        <PageError error={drafts.error} />
      ) : !counts.ok ? (
        <PageError error={counts.error} />
      ) : (
        <>
          {disputed.ok ? <AdjudicationList items={disputed.data.items.filter((item) => item.canAdjudicate)} /> : null}
          <ReviewQueue
            // A new filter is a new queue: selection, marks and forms start afresh.
            key={JSON.stringify({ ...filter, sort: undefined })}
            filter={filter}
            initialSelectedId={selectedId}
            initialPages={{ conflicts: conflicts.data, drafts: drafts.data }}
            counts={counts.data}
            projects={projects.map((p) => ({ id: p.id, name: p.name }))}
            steps={draftingSteps}
            kinds={kindPresentations()}
            serverNow={now.getTime()}
          />
        </>
      )}
    </>
  );
}
