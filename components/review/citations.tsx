import type { KindPresentation } from "@/lib/kinds/types";
import type { DraftItem } from "@/lib/review/queries";

export type CitationView = DraftItem["citations"][number];

/** The passages an item cites, with the quoted words highlighted in their context; for a kind drafted from upstream work, what it was drafted from. */
export function Citations({ item, presentation }: { item: DraftItem; presentation: KindPresentation }) {
  if (!presentation.fields.some((field) => field.type === "quotes")) {
    const refs = presentation.fields
      .filter((field) => field.type === "references")
      .flatMap((field) => {
        const value = item.content[field.key];
        return Array.isArray(value) ? value.filter((ref): ref is string => typeof ref === "string") : [];
      });
    return (
      <p className="text-xs text-zinc-500">
        This {presentation.label.toLowerCase()} was drafted from approved upstream work, not directly from sources
        {refs.length > 0 ? `: ${refs.join(", ")}` : ""}. Check that it matches them.
      </p>
    );
  }
  if (item.citations.length === 0) {
    return <p className="rounded-md bg-red-50 px-2.5 py-2 text-xs text-red-800">This draft cites no source at all. Nothing backs it up.</p>;
  }
  return (
    <ol className="space-y-2.5" aria-label="Cited source passages">
      {item.citations.map((citation, index) => (
        <li key={`${citation.sourceId}:${index}`}>
          <CitedPassage citation={citation} />
        </li>
      ))}
    </ol>
  );
}

/** One cited passage: the source's title, and the quote highlighted where it stands in the source. */
export function CitedPassage({ citation }: { citation: CitationView }) {
  return (
    <div data-testid="citation" className="rounded-md border border-zinc-200 bg-white">
      <p className="flex items-center justify-between gap-2 border-b border-zinc-100 px-2.5 py-1.5 text-xs font-medium text-zinc-700">
        <span className="truncate">{citation.sourceTitle}</span>
        {!citation.passage ? <span className="shrink-0 font-normal text-red-700">quote not found in this source</span> : null}
      </p>
      <blockquote className="px-2.5 py-2 text-[13px] leading-5 whitespace-pre-wrap text-zinc-600">
        {citation.passage ? (
          <>
            {citation.passage.before}
            <mark>{citation.passage.match}</mark>
            {citation.passage.after}
          </>
        ) : (
          <span className="text-zinc-800">“{citation.quote}”</span>
        )}
      </blockquote>
    </div>
  );
}
