"use client";

import { useId, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { requirementCategories } from "@/lib/requirements/schema";
import { DecisionFormActions } from "./decision-form-actions";
import { asRequirement, asStory, categoryLabel, type Criterion } from "./content";

export type EditSubmission = { content: Record<string, unknown>; comment?: string };

type Props = {
  kind: string;
  content: Record<string, unknown>;
  pending: boolean;
  issues: { path: string; message: string }[];
  onSubmit: (submission: EditSubmission) => void;
  onCancel: () => void;
};

/** The reviewer's fix becomes a new version, which someone else must approve (separation of duties). */
export function EditForm(props: Props) {
  return props.kind === "user_story" ? <StoryEditForm {...props} /> : <RequirementEditForm {...props} />;
}

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

const issueFor = (issues: Props["issues"], path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message ?? null;

function RequirementEditForm({ content, pending, issues, onSubmit, onCancel }: Props) {
  const id = useId();
  const original = asRequirement(content);
  const [statement, setStatement] = useState(original.statement);
  const [category, setCategory] = useState(original.category);
  const [comment, setComment] = useState("");
  const submit = () => onSubmit({ content: { statement: statement.trim(), category }, comment: comment.trim() || undefined });
  return (
    <form
      aria-label="Edit requirement"
      className="space-y-3"
      onKeyDown={shortcuts(submit, onCancel)}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Field label="Statement" htmlFor={`${id}-statement`} error={issueFor(issues, "statement")}>
        <Textarea id={`${id}-statement`} autoFocus rows={3} value={statement} onChange={(event) => setStatement(event.target.value)} required />
      </Field>
      <Field label="Category" htmlFor={`${id}-category`} error={issueFor(issues, "category")}>
        <Select id={`${id}-category`} value={category} onChange={(event) => setCategory(event.target.value)} className="max-w-xs">
          {requirementCategories.map((value) => (
            <option key={value} value={value}>
              {categoryLabel(value)}
            </option>
          ))}
        </Select>
      </Field>
      <CommentAndButtons id={id} comment={comment} setComment={setComment} pending={pending} onCancel={onCancel} />
    </form>
  );
}

function StoryEditForm({ content, pending, issues, onSubmit, onCancel }: Props) {
  const id = useId();
  const original = asStory(content);
  const [role, setRole] = useState(original.role);
  const [goal, setGoal] = useState(original.goal);
  const [benefit, setBenefit] = useState(original.benefit);
  const [criteria, setCriteria] = useState<Criterion[]>(
    original.acceptanceCriteria.length > 0 ? original.acceptanceCriteria : [{ given: "", when: "", then: "" }],
  );
  const [comment, setComment] = useState("");
  const update = (index: number, part: keyof Criterion, value: string) =>
    setCriteria((rows) => rows.map((row, i) => (i === index ? { ...row, [part]: value } : row)));
  const submit = () =>
    onSubmit({
      content: {
        role: role.trim(),
        goal: goal.trim(),
        benefit: benefit.trim(),
        acceptanceCriteria: criteria.map((c) => ({ given: c.given.trim(), when: c.when.trim(), then: c.then.trim() })),
      },
      comment: comment.trim() || undefined,
    });
  return (
    <form
      aria-label="Edit user story"
      className="space-y-3"
      onKeyDown={shortcuts(submit, onCancel)}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Field label="As a (role)" htmlFor={`${id}-role`} error={issueFor(issues, "role")}>
        <Input id={`${id}-role`} autoFocus value={role} onChange={(event) => setRole(event.target.value)} required className="max-w-xs" />
      </Field>
      <Field label="I want (goal)" htmlFor={`${id}-goal`} error={issueFor(issues, "goal")}>
        <Textarea id={`${id}-goal`} rows={2} value={goal} onChange={(event) => setGoal(event.target.value)} required />
      </Field>
      <Field label="So that (benefit)" htmlFor={`${id}-benefit`} error={issueFor(issues, "benefit")}>
        <Textarea id={`${id}-benefit`} rows={2} value={benefit} onChange={(event) => setBenefit(event.target.value)} required />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-xs font-medium text-zinc-700">Acceptance criteria</legend>
        {criteria.map((criterion, index) => (
          <div key={index} className="space-y-1.5 rounded-md bg-zinc-50 p-2" data-testid="criterion-row">
            <div className="flex items-center justify-between">
              <span className="text-xs font-medium text-zinc-600">Criterion {index + 1}</span>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove criterion ${index + 1}`}
                disabled={criteria.length === 1}
                onClick={() => setCriteria((rows) => rows.filter((_, i) => i !== index))}
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
        {issueFor(issues, "acceptanceCriteria") ? <p className="text-xs text-red-700">{issueFor(issues, "acceptanceCriteria")}</p> : null}
        <Button size="sm" variant="secondary" onClick={() => setCriteria((rows) => [...rows, { given: "", when: "", then: "" }])}>
          Add criterion
        </Button>
      </fieldset>
      <CommentAndButtons id={id} comment={comment} setComment={setComment} pending={pending} onCancel={onCancel} />
    </form>
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
