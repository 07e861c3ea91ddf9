"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { KindField, KindPresentation } from "@/lib/kinds/types";
import { DecisionFormActions } from "./decision-form-actions";
import { asCriteria, categoryLabel, type Criterion } from "./content";

export type EditSubmission = { content: Record<string, unknown>; comment?: string };

type Props = {
  presentation: KindPresentation;
  content: Record<string, unknown>;
  pending: boolean;
  issues: { path: string; message: string }[];
  onSubmit: (submission: EditSubmission) => void;
  onCancel: () => void;
};

function shortcuts(submit: () => void, cancel: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      cancel();
    } else if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      submit();
    }
  };
}

export const issueFor = (issues: Props["issues"], path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message ?? null;

/** A field's value as the form holds it: text for text-like fields, rows for criteria. */
export type Draft = string | Criterion[];

const editable = (field: KindField) => !field.readOnly && field.type !== "quotes" && field.type !== "reference" && field.type !== "references";
/** Structured fields are edited as JSON; the kind's contract on the server says what is wrong with them. */
const asJson = (field: KindField) => field.type === "pairs" || field.type === "record" || field.type === "records";

export function initialDraft(field: KindField, value: unknown): Draft {
  if (field.type === "criteria") {
    const criteria = asCriteria(value);
    return criteria.length > 0 ? criteria : [{ given: "", when: "", then: "" }];
  }
  if (field.type === "list") return Array.isArray(value) ? value.join("\n") : "";
  if (field.type === "numbers") return Array.isArray(value) ? value.join(", ") : "";
  if (asJson(field)) return JSON.stringify(value ?? null, null, 2);
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

export function submitted(field: KindField, draft: Draft): unknown {
  if (Array.isArray(draft)) return draft.map((c) => ({ given: c.given.trim(), when: c.when.trim(), then: c.then.trim() }));
  if (field.type === "list") return draft.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  if (field.type === "numbers") return draft.split(",").map((item) => item.trim()).filter((item) => item !== "").map(Number);
  if (field.type === "number") return draft.trim() === "" ? null : Number(draft);
  if (asJson(field)) {
    try {
      return JSON.parse(draft);
    } catch {
      return draft;
    }
  }
  return draft.trim();
}

/** The reviewer's fix becomes a new version, which someone else must approve (separation of duties). */
export function EditForm({ presentation, content, pending, issues, onSubmit, onCancel }: Props) {
  const id = useId();
  const fields = presentation.fields.filter(editable);
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() => Object.fromEntries(fields.map((field) => [field.key, initialDraft(field, content[field.key])])));
  const [comment, setComment] = useState("");
  const setDraft = (key: string, value: Draft) => setDrafts((current) => ({ ...current, [key]: value }));
  const submit = () =>
    onSubmit({ content: Object.fromEntries(fields.map((field) => [field.key, submitted(field, drafts[field.key])])), comment: comment.trim() || undefined });
  // A refused save moves focus to the first field the server complained about, so nobody hunts for it.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (issues.length === 0) return;
    const first = presentation.fields.filter(editable).find((field) => issueFor(issues, field.key));
    const target = (first && document.getElementById(`${id}-${first.key}`)) ?? form.current?.querySelector<HTMLElement>("input, textarea, select");
    target?.focus();
  }, [issues, presentation, id]);
  return (
    <form
      ref={form}
      aria-label={`Edit ${presentation.label.toLowerCase()}`}
      className="space-y-3"
      onKeyDown={shortcuts(submit, onCancel)}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {fields.map((field, index) => {
        const draft = drafts[field.key];
        return Array.isArray(draft) ? (
          <CriteriaEditor key={field.key} id={id} label={field.label} criteria={draft} error={issueFor(issues, field.key)} onChange={(rows) => setDraft(field.key, rows)} />
        ) : (
          <Field key={field.key} label={field.label} htmlFor={`${id}-${field.key}`} error={issueFor(issues, field.key)}>
            <FieldInput id={`${id}-${field.key}`} field={field} value={draft} autoFocus={index === 0} multiline={index === 0} onChange={(value) => setDraft(field.key, value)} />
          </Field>
        );
      })}
      <CommentAndButtons id={id} comment={comment} setComment={setComment} pending={pending} onCancel={onCancel} />
    </form>
  );
}

export function FieldInput({
  id,
  field,
  value,
  autoFocus,
  multiline,
  onChange,
}: {
  id: string;
  field: KindField;
  value: string;
  autoFocus: boolean;
  /** the first field is the artifact's main text and gets the room of one */
  multiline: boolean;
  onChange: (value: string) => void;
}) {
  if (field.type === "choice") {
    return (
      <Select id={id} autoFocus={autoFocus} value={value} onChange={(event) => onChange(event.target.value)} className="max-w-xs">
        {(field.options ?? []).map((option) => (
          <option key={option} value={option}>
            {categoryLabel(option)}
          </option>
        ))}
      </Select>
    );
  }
  if (field.type === "text" || field.type === "number" || field.type === "numbers") {
    return (
      <Input
        id={id}
        autoFocus={autoFocus}
        type={field.type === "number" ? "number" : "text"}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        required={field.type !== "numbers"}
        className="max-w-xs"
      />
    );
  }
  const rows = asJson(field) ? 6 : field.type === "list" ? 4 : multiline ? 3 : 2;
  return (
    <Textarea
      id={id}
      autoFocus={autoFocus}
      rows={rows}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      required={field.type === "longText"}
      className={asJson(field) ? "font-mono text-xs" : undefined}
    />
  );
}

export function CriteriaEditor({ id, label, criteria, error, onChange }: { id: string; label: string; criteria: Criterion[]; error: string | null; onChange: (rows: Criterion[]) => void }) {
  const update = (index: number, part: keyof Criterion, value: string) => onChange(criteria.map((row, i) => (i === index ? { ...row, [part]: value } : row)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-xs font-medium text-zinc-700">{label}</legend>
      {criteria.map((criterion, index) => (
        <div key={index} className="space-y-1.5 rounded-md bg-zinc-50 p-2" data-testid="criterion-row">
          <div className="flex items-center justify-between">
            <span className="text-xs font-medium text-zinc-600">Criterion {index + 1}</span>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Remove criterion ${index + 1}`}
              disabled={criteria.length === 1}
              onClick={() => onChange(criteria.filter((_, i) => i !== index))}
            >
              Remove
            </Button>
          </div>
          {(["given", "when", "then"] as const).map((part) => (
            <div key={part} className="grid grid-cols-[3.5rem_1fr] items-center gap-2">
              <label htmlFor={`${id}-${part}-${index}`} className="text-xs font-semibold text-zinc-500">
                {part.charAt(0).toUpperCase() + part.slice(1)}
                <span className="sr-only"> ({index + 1})</span>
              </label>
              <Input id={`${id}-${part}-${index}`} value={criterion[part]} onChange={(event) => update(index, part, event.target.value)} required />
            </div>
          ))}
        </div>
      ))}
      {error ? <p className="text-xs text-red-700">{error}</p> : null}
      <Button size="sm" variant="secondary" onClick={() => onChange([...criteria, { given: "", when: "", then: "" }])}>
        Add criterion
      </Button>
    </fieldset>
  );
}

function CommentAndButtons({
  id,
  comment,
  setComment,
  pending,
  onCancel,
}: {
  id: string;
  comment: string;
  setComment: (value: string) => void;
  pending: boolean;
  onCancel: () => void;
}) {
  return (
    <>
      <Field label="Note for the record (optional)" htmlFor={`${id}-comment`}>
        <Textarea id={`${id}-comment`} rows={2} value={comment} onChange={(event) => setComment(event.target.value)} maxLength={2000} />
      </Field>
      <p className="text-xs text-zinc-500">Your edit becomes a new version that goes back to the queue for another reviewer to approve.</p>
      <DecisionFormActions variant="success" pending={pending} testId="save-edit" verb="save" onCancel={onCancel}>
        Save edit for a second review
      </DecisionFormActions>
    </>
  );
}
