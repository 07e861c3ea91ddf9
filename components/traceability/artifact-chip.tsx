import clsx from "clsx";
import Link from "next/link";

type ChipNode = { id: string; ref: string; status: string; stale: boolean; staleReason?: string | null; summary: string };

/**
 * An artifact's reference as a link to its page, marked the way the matrix reads it: amber with a
 * dot when stale (something it rests on changed), dashed while its current version waits for
 * review. The title and a hidden note say the same in words.
 */
export function ArtifactChip({ projectId, node }: { projectId: string; node: ChipNode }) {
  const notes = [node.stale ? `stale: ${node.staleReason ?? "something it rests on changed"}` : null, node.status === "pending_review" ? "waiting for review" : null].filter(Boolean);
  return (
    <Link
      href={`/projects/${projectId}/artifacts/${node.id}`}
      title={[node.summary, ...notes].filter(Boolean).join(" · ")}
      data-ref={node.ref}
      data-stale={node.stale || undefined}
      className={clsx(
        "inline-flex items-center gap-1 rounded px-1.5 py-0.5 font-mono text-[11px] font-medium whitespace-nowrap ring-1 ring-inset hover:underline",
        node.stale ? "bg-amber-50 text-amber-900 ring-amber-300" : "bg-zinc-50 text-zinc-800 ring-zinc-200",
        node.status === "pending_review" && "border border-dashed border-zinc-400 ring-0",
      )}
    >
      {node.stale ? <span aria-hidden className="size-1.5 rounded-full bg-amber-500" /> : null}
      {node.ref}
      {notes.length > 0 ? <span className="sr-only"> ({notes.join(", ")})</span> : null}
    </Link>
  );
}
