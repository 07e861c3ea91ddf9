"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { useServerAction } from "@/components/forms/use-server-action";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import type { ActionResult } from "@/lib/errors";
import type { SourceSummary } from "@/lib/sources/service";
import { SourceEditor, type SourceManagement } from "./source-editor";

const PREVIEW_CHARS = 6000;

export type LoadSourceText = (input: { projectId: string; sourceId: string }) => Promise<ActionResult<{ text: string }>>;

/**
 * One source of the list. Its text (up to megabytes) and its editor are loaded when the row is
 * first opened: a project with hundreds of sources lists them at once without sending every text.
 */
export function SourceRow({
  projectId,
  source,
  kindLabel,
  quotedBy,
  loadText,
  manage,
}: {
  projectId: string;
  source: SourceSummary;
  kindLabel: string;
  quotedBy: string[];
  loadText: LoadSourceText;
  manage?: SourceManagement;
}) {
  const [opened, setOpened] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const load = useServerAction(loadText);
  const showText = async () => {
    const loaded = await load.run({ projectId, sourceId: source.id });
    if (loaded.ok) setText(loaded.data.text);
  };

  return (
    <li data-testid="source-row">
      <details
        className="group px-4 py-2.5"
        onToggle={async (event) => {
          if (!event.currentTarget.open || opened) return;
          setOpened(true);
          await showText();
        }}
      >
        <summary className="flex cursor-pointer list-none items-center justify-between gap-3">
          <span className="flex min-w-0 items-center gap-2">
            <span aria-hidden className="text-zinc-500 transition-transform group-open:rotate-90">
              ›
            </span>
            <span className="truncate text-sm font-medium text-zinc-900">{source.title}</span>
            <Badge>{kindLabel}</Badge>
          </span>
          <span className="shrink-0 text-xs text-zinc-500">
            {quotedBy.length > 0 ? `quoted by ${quotedBy.length} · ` : ""}
            {source.characters.toLocaleString("en")} chars · <Time iso={source.createdAt} dateOnly />
          </span>
        </summary>
        {/* Nothing below the summary until the row is opened: a closed row costs the page its summary alone. */}
        {!opened ? null : text === null ? (
          load.error ? (
            <FormError error={load.error} />
          ) : (
            <p className="mt-2 text-xs text-zinc-500" role="status">
              Loading the text…
            </p>
          )
        ) : (
          <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap text-zinc-700" data-testid="source-text">
            {text.slice(0, PREVIEW_CHARS)}
            {text.length > PREVIEW_CHARS ? `\n… (${(text.length - PREVIEW_CHARS).toLocaleString("en")} more characters)` : ""}
          </pre>
        )}
        {opened && quotedBy.length > 0 ? (
          <p className="mt-1.5 text-xs text-zinc-600" data-testid="source-quoted-by">
            Quoted by {quotedBy.join(", ")}
          </p>
        ) : null}
        {manage && opened ? <SourceEditor source={{ id: source.id, title: source.title, kind: source.kind }} quotedBy={quotedBy} manage={manage} onSaved={showText} /> : null}
      </details>
    </li>
  );
}
