"use client";

import clsx from "clsx";
import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/errors";
import { uploadAccept, uploadExtensionsText } from "@/lib/sources/schema";

type Mode = "paste" | "upload";

export function AddSourceForm({
  projectId,
  kinds,
  addSource,
}: {
  projectId: string;
  kinds: { value: string; label: string }[];
  addSource: (form: FormData) => Promise<ActionResult<{ id: string; title: string }>>;
}) {
  const [mode, setMode] = useState<Mode>("paste");
  const [added, setAdded] = useState<string | null>(null);
  const { onSubmit, pending, error, reset } = useActionForm(addSource, {
    // Only the chosen way of adding counts; the other tab's field may still hold something.
    beforeSubmit: (data) => {
      setAdded(null);
      data.delete(mode === "paste" ? "file" : "text");
    },
    onSuccess: (source) => setAdded(source.title),
  });

  return (
    <form aria-label="Add source" className="space-y-3" onSubmit={onSubmit}>
      <input type="hidden" name="projectId" value={projectId} />
      <div role="tablist" aria-label="How to add the source" className="inline-flex rounded-md border border-zinc-300 p-0.5 text-xs">
        {(["paste", "upload"] as const).map((value) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={mode === value}
            onClick={() => {
              setMode(value);
              reset();
            }}
            className={clsx("rounded px-2.5 py-1 font-medium", mode === value ? "bg-zinc-900 text-white" : "text-zinc-600 hover:bg-zinc-100")}
          >
            {value === "paste" ? "Paste text" : "Upload a file"}
          </button>
        ))}
      </div>
      <div className="grid gap-3 sm:grid-cols-[1fr_11rem]">
        <Field
          label="Title"
          htmlFor="source-title"
          hint={mode === "upload" ? "Leave empty to use the file name." : undefined}
          error={fieldError(error, "title")}
        >
          <Input id="source-title" name="title" maxLength={200} required={mode === "paste"} placeholder="e.g. Interview with the support lead" />
        </Field>
        <Field label="Kind" htmlFor="source-kind">
          <Select id="source-kind" name="kind" defaultValue="meeting_notes">
            {kinds.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {mode === "paste" ? (
        <Field label="Text" htmlFor="source-text" hint="Paste the notes as they are; the AI quotes them word for word." error={fieldError(error, "text")}>
          <Textarea id="source-text" name="text" rows={7} required className="font-mono text-[13px]" />
        </Field>
      ) : (
        <Field label="File" htmlFor="source-file" hint={`A ${uploadExtensionsText} file in UTF-8, at most 1 MB: notes, or requirements exported from a spreadsheet.`}>
          <input
            id="source-file"
            name="file"
            type="file"
            accept={uploadAccept}
            required
            className="block w-full text-sm text-zinc-700 file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-2.5 file:py-1 file:text-sm file:font-medium hover:file:bg-zinc-50"
          />
        </Field>
      )}
      <FormError error={error} inline={["title", "text"]} labels={{ kind: "Kind", file: "File" }} />
      {added ? (
        <Alert tone="success" role="status">
          Added “{added}”.
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" pending={pending} data-testid="add-source">
        Add source
      </Button>
    </form>
  );
}
