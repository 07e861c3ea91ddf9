"use client";

import { useId, useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useServerAction } from "@/components/forms/use-server-action";
import { CriteriaEditor, FieldInput, initialDraft, issueFor, submitted, type Draft } from "@/components/review/edit-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { isRevisable } from "@/lib/artifacts/revisable";
import type { ActionResult } from "@/lib/errors";
import type { KindPresentation } from "@/lib/kinds/types";
import { stageLabels } from "@/lib/stages/stages";
import type { StageKey } from "@/lib/generated/sqlite/enums";

type ReviseInput = { artifactId: string; content: Record<string, unknown>; comment: string };
type Revised = { ref: string; version: number; stale: { id: string; ref: string }[]; reopenedStages: StageKey[] };

/**
 * The stage owner's revision of approved work: the kind's editable fields (its trace stays as
 * drafted) and why. The owners of everything built on it read the comment, so it is required.
 */
export function ReviseForm({
  artifactId,
  presentation,
  content,
  blocked,
  revise,
}: {
  artifactId: string;
  presentation: KindPresentation;
  content: Record<string, unknown>;
  /** Why it cannot be revised now (pending review, a run active, no other reviewer); null when it can. */
  blocked: string | null;
  revise: (input: ReviseInput) => Promise<ActionResult<Revised>>;
}) {
  const id = useId();
  const fields = presentation.fields.filter(isRevisable);
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() => Object.fromEntries(fields.map((field) => [field.key, initialDraft(field, content[field.key])])));
  const [comment, setComment] = useState("");
  const [open, setOpen] = useState(false);
  const { run, pending, error, result } = useServerAction(revise);
  const issues = error && Array.isArray(error.details) ? (error.details as { path: string; message: string }[]) : [];
  const done = result?.ok ? result.data : null;

  if (done) {
    return (
      <Alert tone="success" role="status" title={`Version ${done.version} of ${done.ref} is waiting for review`}>
        {done.stale.length > 0 ? `${done.stale.length} artifact${done.stale.length === 1 ? "" : "s"} built on it ${done.stale.length === 1 ? "is" : "are"} now stale. ` : "Nothing was built on it yet. "}
        {done.reopenedStages.length > 0 ? `Reopened: ${done.reopenedStages.map((key) => stageLabels[key]).join(", ")}; their owners were told.` : null}
      </Alert>
    );
  }
  if (blocked) return <p className="text-sm text-zinc-600">{blocked}</p>;
  if (!open) {
    return (
      <div className="space-y-2">
        <p className="text-sm text-zinc-600">
          Change approved work: the new version goes back to review, and everything drafted from it is marked stale until it is re-drafted.
        </p>
        <Button size="sm" variant="secondary" onClick={() => setOpen(true)} data-testid="revise-open">
          Revise {presentation.label.toLowerCase()}
        </Button>
      </div>
    );
  }

  const submit = () => run({ artifactId, content: Object.fromEntries(fields.map((field) => [field.key, submitted(field, drafts[field.key])])), comment });
  // Issues shown beside their field (a criterion's part included) are not listed again above the buttons.
  const inline = ["comment", ...issues.map((issue) => issue.path).filter((path) => fields.some((field) => path === field.key || path.startsWith(`${field.key}.`)))];
  return (
    <form
      aria-label={`Revise ${presentation.label.toLowerCase()}`}
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {fields.map((field, index) => {
        const draft = drafts[field.key];
        const setDraft = (value: Draft) => setDrafts((current) => ({ ...current, [field.key]: value }));
        return Array.isArray(draft) ? (
          <CriteriaEditor key={field.key} id={id} label={field.label} criteria={draft} error={issueFor(issues, field.key)} onChange={setDraft} />
        ) : (
          <Field key={field.key} label={field.label} htmlFor={`${id}-${field.key}`} error={issueFor(issues, field.key)}>
            <FieldInput id={`${id}-${field.key}`} field={field} value={draft} autoFocus={index === 0} multiline={index === 0} onChange={setDraft} />
          </Field>
        );
      })}
      <Field label="What changed and why" htmlFor={`${id}-comment`} hint="The owners of the work built on it are told this." error={fieldError(error, "comment")}>
        <Textarea id={`${id}-comment`} rows={2} value={comment} onChange={(event) => setComment(event.target.value)} maxLength={2000} required />
      </Field>
      <FormError error={error} inline={inline} labels={Object.fromEntries(presentation.fields.map((field) => [`content.${field.key}`, field.label]))} />
      <div className="flex items-center gap-2">
        <Button type="submit" variant="primary" size="sm" pending={pending} data-testid="revise-submit">
          Send the revision to review
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
