import type { DraftItem } from "@/lib/review/queries";

export type CitationView = DraftItem["citations"][number];

/** The passages an item cites, with the quoted words highlighted in their context (kinds drafted from sources). */
export function Citations({ item }: { item: DraftItem }) {
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
