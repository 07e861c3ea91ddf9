"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useServerAction } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/errors";
import type { UpdateSourceInput } from "@/lib/sources/schema";

type Kind = NonNullable<UpdateSourceInput["kind"]>;
/** A source as the list knows it: its text is loaded when an edit starts (it can be megabytes). */
type Source = { id: string; title: string; kind: Kind };
type Edit = UpdateSourceInput & { projectId: string; sourceId: string };
type Edited = { title: string; quotedBy: string[]; stale: number; reopenedStages: string[] };

export type SourceManagement = {
  projectId: string;
  /** the stage that read the sources was signed off: a changed text makes the drafts quoting it stale */
  signedOff: boolean;
  kinds: { value: Kind; label: string }[];
  updateSource: (input: Edit) => Promise<ActionResult<Edited>>;
  removeSource: (input: { projectId: string; sourceId: string }) => Promise<ActionResult<{ quotedBy: string[] }>>;
  loadText: (input: { projectId: string; sourceId: string }) => Promise<ActionResult<{ text: string }>>;
};

/**
 * Edit or remove one source. Before the stage that read the sources is signed off, a change only
 * means running it again; after, the drafts quoting the source turn stale (and the stages holding
 * them reopen), and a source signed-off work quotes cannot be removed. The form says which applies.
 */
export function SourceEditor({ source, quotedBy, manage, onSaved }: { source: Source; quotedBy: string[]; manage: SourceManagement; onSaved?: () => void }) {
  const [mode, setMode] = useState<"view" | "edit" | "remove">("view");
  const [done, setDone] = useState<string | null>(null);
  const edit = useServerAction(manage.updateSource);
  const remove = useServerAction(manage.removeSource);
  const load = useServerAction(manage.loadText);
  const [title, setTitle] = useState(source.title);
  const [kind, setKind] = useState(source.kind);
  const [original, setOriginal] = useState("");
  const [text, setText] = useState("");
  const [comment, setComment] = useState("");
  const quoted = quotedBy.length > 0;
  const propagates = manage.signedOff && quoted;
  const refs = quotedBy.join(", ");

  if (mode === "edit") {
    return (
      <form
        aria-label={`Edit ${source.title}`}
        className="mt-2 space-y-2 rounded-md border border-zinc-200 p-3"
        onSubmit={async (event) => {
          event.preventDefault();
          const result = await edit.run({
            projectId: manage.projectId,
            sourceId: source.id,
            ...(title !== source.title ? { title } : {}),
            ...(kind !== source.kind ? { kind } : {}),
            ...(text !== original ? { text } : {}),
            ...(comment.trim() ? { comment: comment.trim() } : {}),
          });
          if (result.ok) {
            setMode("view");
            onSaved?.();
            setDone(
              result.data.stale > 0
                ? `Saved. ${result.data.stale} draft${result.data.stale === 1 ? " is" : "s are"} now stale${result.data.reopenedStages.length > 0 ? ` and ${result.data.reopenedStages.length} stage${result.data.reopenedStages.length === 1 ? "" : "s"} reopened` : ""}: run them again to re-draft.`
                : result.data.quotedBy.length > 0
                  ? `Saved. ${result.data.quotedBy.join(", ")} quote${result.data.quotedBy.length === 1 ? "s" : ""} this source: run the stage again to re-draft from the new text.`
                  : "Saved.",
            );
          }
        }}
      >
        {propagates ? (
          <Alert tone="warning" title="Signed-off work quotes this source">
            Changing its text makes {refs} stale, with everything drafted from {quotedBy.length === 1 ? "it" : "them"}, and reopens the stages holding that
            work. Their owners are told why.
          </Alert>
        ) : quoted ? (
          <p className="text-xs text-zinc-600">{refs} quote this source. After the change, run the stage again to re-draft from the new text.</p>
        ) : null}
        <div className="grid gap-2 sm:grid-cols-[1fr_11rem]">
          <Field label="Title" htmlFor={`title-${source.id}`} error={fieldError(edit.error, "title")}>
            <Input id={`title-${source.id}`} value={title} maxLength={200} required onChange={(event) => setTitle(event.target.value)} />
          </Field>
          <Field label="Kind" htmlFor={`kind-${source.id}`}>
            <Select id={`kind-${source.id}`} value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
              {manage.kinds.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Field label="Text" htmlFor={`text-${source.id}`} error={fieldError(edit.error, "text")}>
          <Textarea id={`text-${source.id}`} rows={8} className="font-mono text-[13px]" value={text} onChange={(event) => setText(event.target.value)} />
        </Field>
        <Field
          label={propagates ? "What changed and why" : "What changed (optional)"}
          htmlFor={`comment-${source.id}`}
          hint={propagates ? "Recorded with the change and sent to the owners of the work that turns stale." : "Recorded in the audit trail."}
          error={fieldError(edit.error, "comment")}
        >
          <Input id={`comment-${source.id}`} value={comment} maxLength={2000} required={propagates} onChange={(event) => setComment(event.target.value)} />
        </Field>
        <FormError error={edit.error} inline={["title", "text", "comment"]} />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" size="sm" pending={edit.pending} data-testid="save-source">
            Save changes
          </Button>
          <Button size="sm" disabled={edit.pending} onClick={() => setMode("view")}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }

  return (
    <div className="mt-2 space-y-2">
      {done ? (
        <Alert tone="success" role="status">
          {done}
        </Alert>
      ) : null}
      <FormError error={load.error} />
      {mode === "remove" ? (
        <div className="space-y-2 rounded-md border border-red-200 bg-red-50/40 p-3 text-sm" role="group" aria-label={`Remove ${source.title}`}>
          <p>
            Remove “{source.title}”? {quoted ? `${refs} quote it; run the stage again so nothing cites a removed source.` : "No draft quotes it."} The audit trail keeps
            a record of the removal.
          </p>
          <FormError error={remove.error} />
          <div className="flex gap-2">
            <Button
              variant="danger"
              size="sm"
              pending={remove.pending}
              data-testid="confirm-remove-source"
              onClick={() => remove.run({ projectId: manage.projectId, sourceId: source.id })}
            >
              Remove source
            </Button>
            <Button size="sm" disabled={remove.pending} onClick={() => setMode("view")}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <Button
            size="sm"
            pending={load.pending}
            onClick={async () => {
              setDone(null);
              const loaded = await load.run({ projectId: manage.projectId, sourceId: source.id });
              if (!loaded.ok) return;
              setOriginal(loaded.data.text);
              setText(loaded.data.text);
              setMode("edit");
            }}
            data-testid="edit-source"
          >
            Edit
          </Button>
          <Button
            size="sm"
            variant="danger"
            disabled={propagates}
            onClick={() => {
              setDone(null);
              setMode("remove");
            }}
            data-testid="remove-source"
          >
            Remove
          </Button>
          {propagates ? <span className="text-xs text-zinc-500">Signed-off work quotes it ({refs}): edit it instead of removing it.</span> : null}
        </div>
      )}
    </div>
  );
}
