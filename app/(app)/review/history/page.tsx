import type { Metadata } from "next";
import Link from "next/link";
import { TakeBackButton } from "@/components/review/take-back-button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requireActor } from "@/lib/auth";
import { kindPresentations } from "@/lib/kinds/registry";
import { myDecisions } from "@/lib/review/history";
import { stageLabels } from "@/lib/stages/stages";

export const metadata: Metadata = { title: "What I decided" };

const actionWords: Record<string, string> = { approve: "Approved", edit: "Edited", reject: "Rejected", resolve: "Resolved" };

/** Where the item stands now, in words: a settled item by what was decided, the others by what they wait for. */
function standing(entry: { action: string; itemStatus: string; undoneAt: string | null }): string {
  if (entry.itemStatus === "cancelled") return "Withdrawn by a newer run";
  if (entry.itemStatus === "needs_adjudication") return "Reviewers disagree: the stage owner decides";
  if (entry.itemStatus === "pending") return entry.undoneAt ? "Waiting for a decision again" : "Waiting for another reviewer's approval";
  if (entry.action === "edit") return "Your version waits for a second reviewer";
  if (entry.action === "reject") return "Rejected, with your comment sent back to the drafter";
  if (entry.action === "resolve") return "Conflict resolved";
  return "Approved";
}

export default async function ReviewHistoryPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const actor = await requireActor();
  const { before } = await searchParams;
  const beforeDate = before && !Number.isNaN(Date.parse(before)) ? new Date(before) : undefined;
  const { entries, nextBefore } = await myDecisions(actor, beforeDate);
  const kinds = kindPresentations();
  return (
    <>
      <PageHeader
        eyebrow={<Link href="/review" className="underline-offset-2 hover:underline">Review queue</Link>}
        title="What I decided"
        description="Your decisions, newest first. You can undo a decision for 10 seconds after making it; a stage owner can reopen a decided item until the stage is signed off. Either way the decision stays on record, marked as taken back."
      />
      {entries.length === 0 ? (
        <EmptyState title="No decisions yet" action={<Link href="/review" className="text-sm underline">Open the review queue</Link>}>
          Items you approve, edit, reject or resolve are listed here.
        </EmptyState>
      ) : (
        <Table aria-label="My decisions" data-testid="history">
          <THead>
            <tr>
              <TH>When</TH>
              <TH>Item</TH>
              <TH>Decision</TH>
              <TH>Where it stands</TH>
              <TH>Project and stage</TH>
              <TH>
                <span className="sr-only">Take back</span>
              </TH>
            </tr>
          </THead>
          <tbody>
            {entries.map((entry) => (
              <TR key={entry.id} data-testid="history-row" data-ref={entry.ref}>
                <TD className="whitespace-nowrap text-zinc-700">
                  <Time iso={entry.decidedAt} />
                </TD>
                <TD>
                  <span className="font-mono font-semibold text-zinc-900">{entry.ref}</span>{" "}
                  <span className="text-xs text-zinc-600">{entry.kind === "conflict" ? "Conflict" : (kinds[entry.kind]?.label ?? entry.kind)}</span>
                </TD>
                <TD>
                  <span className={entry.undoneAt ? "text-zinc-600 line-through" : "text-zinc-900"}>{actionWords[entry.action] ?? entry.action}</span>
                  {entry.undoneAt ? <span className="ml-1 text-xs text-zinc-700">(taken back)</span> : null}
                  {entry.comment ? <p className="mt-0.5 max-w-md text-xs text-zinc-700">“{entry.comment}”</p> : null}
                </TD>
                <TD className="text-xs text-zinc-700">{standing(entry)}</TD>
                <TD className="text-xs text-zinc-700">
                  {entry.projectName} · {stageLabels[entry.stage]}
                </TD>
                <TD className="text-right">
                  {entry.canTakeBack ? <TakeBackButton itemId={entry.itemId} itemRef={entry.ref} kind={entry.canTakeBack} until={entry.undoableUntil} /> : null}
                </TD>
              </TR>
            ))}
          </tbody>
        </Table>
      )}
      {nextBefore ? (
        <p className="mt-3 text-center">
          <Link href={`/review/history?before=${encodeURIComponent(nextBefore)}`} className="text-sm underline">
            Older decisions
          </Link>
        </p>
      ) : null}
    </>
  );
}
