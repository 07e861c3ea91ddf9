import type { Metadata } from "next";
import { PageError } from "@/components/page-error";
import { ReviewQueue } from "@/components/review/review-queue";
import { PageHeader } from "@/components/ui/page-header";
import { settle } from "@/lib/actions";
import { requireActor } from "@/lib/auth";
import { kindPresentations } from "@/lib/kinds/registry";
import { listProjects } from "@/lib/projects/service";
import { withLineage } from "@/lib/review/lineage";
import { listReviewItems } from "@/lib/review/service";
import { isStageKey } from "@/lib/stages/stages";

export const metadata: Metadata = { title: "Review queue" };

export default async function ReviewPage({ searchParams }: { searchParams: Promise<{ projectId?: string; stage?: string }> }) {
  const actor = await requireActor();
  const params = await searchParams;
  const filter = {
    ...(params.projectId ? { projectId: params.projectId } : {}),
    ...(params.stage && isStageKey(params.stage) ? { stage: params.stage } : {}),
  };
  // Conflicts are listed first: their sides cannot be approved until someone resolves them.
  const [projects, conflicts, drafts] = await Promise.all([
    listProjects(actor),
    settle(listReviewItems(actor, { status: "pending", kind: "conflict", limit: 50, ...filter }).then(withLineage)),
    settle(listReviewItems(actor, { status: "pending", kind: "draft", limit: 20, ...filter }).then(withLineage)),
  ]);

  return (
    <>
      <PageHeader
        title="Review queue"
        description="Drafts the evidence could not auto-approve, and conflicts between sources, each with the reasons why. Approve, edit (another reviewer then approves your version) or reject with a comment; resolve a conflict by choosing the sides to keep. The stage owner can sign off once none are pending."
      />
      {!conflicts.ok ? (
        <PageError error={conflicts.error} />
      ) : !drafts.ok ? (
        <PageError error={drafts.error} />
      ) : (
        <ReviewQueue
          initialFilter={filter}
          initialPages={{ conflicts: conflicts.data, drafts: drafts.data }}
          projects={projects.map((p) => ({ id: p.id, name: p.name }))}
          kinds={kindPresentations()}
        />
      )}
    </>
  );
}
