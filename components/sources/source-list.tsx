"use client";

import type { SourceSummary } from "@/lib/sources/service";
import type { SourceManagement } from "./source-editor";
import { SourceRow, type LoadSourceText } from "./source-row";

/**
 * The project's sources; each opens to show its text (loaded then), the drafts quoting it, and for
 * those who may change sources, edit and remove. A client component, so what every row shares
 * (the actions, the kinds) crosses to the browser once rather than once per row.
 */
export function SourceList({
  projectId,
  sources,
  kindLabels,
  quotedBy = {},
  loadText,
  manage,
}: {
  projectId: string;
  sources: SourceSummary[];
  kindLabels: Record<string, string>;
  /** references of the current drafts quoting each source, by source id */
  quotedBy?: Record<string, string[]>;
  loadText: LoadSourceText;
  manage?: SourceManagement;
}) {
  return (
    <ul className="divide-y divide-zinc-100" aria-label="Sources">
      {sources.map((source) => (
        <SourceRow
          key={source.id}
          projectId={projectId}
          source={source}
          kindLabel={kindLabels[source.kind] ?? source.kind}
          quotedBy={quotedBy[source.id] ?? []}
          loadText={loadText}
          manage={manage}
        />
      ))}
    </ul>
  );
}
