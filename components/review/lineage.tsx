import type { FieldDiff } from "@/lib/artifacts/content-diff";
import type { DraftLineage } from "@/lib/review/lineage";

/** Whether a draft went stale, and for a re-draft the stale artifact it replaces with what changed, word by word. */
export function DraftChanges({ lineage }: { lineage: DraftLineage }) {
  return (
    <>
      {lineage.stale ? (
        <p className="rounded-md bg-amber-50 px-2.5 py-2 text-xs text-amber-900" data-testid="draft-stale">
          <span className="font-semibold">Stale:</span> {lineage.staleReason ?? "something it was drafted from changed."} Re-running the stage re-drafts it.
        </p>
      ) : null}
      {lineage.replaces.map((old) => (
        <section key={old.id} aria-label={`Replaces ${old.ref}`} data-testid="replaces" data-ref={old.ref} className="rounded-md border border-sky-200 bg-sky-50/40 px-3 py-2">
          <h3 className="text-xs font-semibold text-sky-900">
            Re-drafted to replace <span className="font-mono">{old.ref}</span>
            <span className="font-normal"> (version {old.version}, {old.status === "superseded" ? "now withdrawn" : old.status.replace("_", " ")})</span>
          </h3>
          {old.staleReason ? <p className="mt-0.5 text-xs text-sky-900/80">Why it went stale: {old.staleReason}</p> : null}
          {old.changes.length === 0 ? (
            <p className="mt-1.5 text-xs text-zinc-600">The new draft says the same as {old.ref}.</p>
          ) : (
            <dl className="mt-1.5 space-y-1.5">
              {old.changes.map((change) => (
                <WordDiff key={change.field} diff={change} />
              ))}
            </dl>
          )}
        </section>
      ))}
    </>
  );
}

/** Removed words struck through, added ones underlined, as <del> and <ins> so assistive technology says which is which. */
export function WordDiff({ diff }: { diff: FieldDiff }) {
  return (
    <div className="text-[13px] leading-5">
      <dt className="text-xs font-medium text-zinc-600">{diff.label}</dt>
      <dd className="whitespace-pre-wrap text-zinc-800">
        {diff.parts.map((part, index) =>
          part.change === "removed" ? (
            <del key={index} className="bg-red-50 px-0.5 text-red-800 decoration-red-400">
              {part.value}
            </del>
          ) : part.change === "added" ? (
            <ins key={index} className="bg-emerald-50 px-0.5 text-emerald-900 decoration-emerald-500">
              {part.value}
            </ins>
          ) : (
            <span key={index}>{part.value}</span>
          ),
        )}
      </dd>
    </div>
  );
}

/** The upstream artifacts a draft was drafted from: reference, kind and one line of each, to check it against. */
export function DraftParents({ parents }: { parents: DraftLineage["parents"] }) {
  if (parents.length === 0) {
    return <p className="rounded-md bg-amber-50 px-2.5 py-2 text-xs text-amber-900">It names no approved upstream work it was drafted from. Check it with care.</p>;
  }
  return (
    <ul className="space-y-1.5" data-testid="draft-parents" aria-label="Drafted from">
      {parents.map((parent) => (
        <li key={parent.id} className="rounded-md border border-zinc-200 bg-white px-2.5 py-1.5 text-xs text-zinc-700" data-ref={parent.ref}>
          <p className="flex items-center gap-1.5">
            <span className="rounded bg-zinc-100 px-1 font-mono text-[11px] font-semibold text-zinc-800">{parent.ref}</span>
            <span className="text-zinc-500">{parent.label}</span>
          </p>
          <p className="mt-0.5 line-clamp-3 text-zinc-800">{parent.summary}</p>
        </li>
      ))}
    </ul>
  );
}
