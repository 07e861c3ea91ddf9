import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { SourceEditor, type SourceManagement } from "./source-editor";

const PREVIEW_CHARS = 6000;

type SourceRow = { id: string; title: string; kind: SourceManagement["kinds"][number]["value"]; text: string; createdAt: Date };

/**
 * The project's sources; each opens to show its text (long ones are cut short here), the drafts
 * quoting it, and for those who may change sources, edit and remove.
 */
export function SourceList({
  sources,
  kindLabels,
  quotedBy = {},
  manage,
}: {
  sources: SourceRow[];
  kindLabels: Record<string, string>;
  /** references of the current drafts quoting each source, by source id */
  quotedBy?: Record<string, string[]>;
  manage?: SourceManagement;
}) {
  return (
    <ul className="divide-y divide-zinc-100" aria-label="Sources">
      {sources.map((source) => (
        <li key={source.id} data-testid="source-row">
          <details className="group px-4 py-2.5">
            <summary className="flex cursor-pointer list-none items-center justify-between gap-3">
              <span className="flex min-w-0 items-center gap-2">
                <span aria-hidden className="text-zinc-500 transition-transform group-open:rotate-90">
                  ›
                </span>
                <span className="truncate text-sm font-medium text-zinc-900">{source.title}</span>
                <Badge>{kindLabels[source.kind] ?? source.kind}</Badge>
              </span>
              <span className="shrink-0 text-xs text-zinc-500">
                {(quotedBy[source.id] ?? []).length > 0 ? `quoted by ${quotedBy[source.id].length} · ` : ""}
                {source.text.length.toLocaleString("en")} chars · <Time iso={source.createdAt} dateOnly />
              </span>
            </summary>
            <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap text-zinc-700">
              {source.text.slice(0, PREVIEW_CHARS)}
              {source.text.length > PREVIEW_CHARS ? `\n… (${(source.text.length - PREVIEW_CHARS).toLocaleString("en")} more characters)` : ""}
            </pre>
            {(quotedBy[source.id] ?? []).length > 0 ? (
              <p className="mt-1.5 text-xs text-zinc-600" data-testid="source-quoted-by">
                Quoted by {quotedBy[source.id].join(", ")}
              </p>
            ) : null}
            {manage ? <SourceEditor source={{ id: source.id, title: source.title, kind: source.kind }} quotedBy={quotedBy[source.id] ?? []} manage={manage} /> : null}
          </details>
        </li>
      ))}
    </ul>
  );
}
