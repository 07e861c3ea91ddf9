"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/errors";

type BudgetResult = { budgetUsd: number | null; resumed: number };
type BudgetAction = (form: FormData) => Promise<ActionResult<BudgetResult>>;

const outcome = (result: BudgetResult, what: string) =>
  `${what} ${result.budgetUsd === null ? "has no limit now" : `is now $${result.budgetUsd}`}.${result.resumed > 0 ? ` ${result.resumed === 1 ? "A blocked run continues" : `${result.resumed} blocked runs continue`}.` : ""}`;

/** Sets a project's or a run's budget; empty means no limit. */
export function BudgetForm({
  label,
  what,
  hidden,
  current,
  save,
}: {
  label: string;
  what: string;
  hidden: Record<string, string>;
  current: number | null;
  save: BudgetAction;
}) {
  const [done, setDone] = useState<string | null>(null);
  const { onSubmit, pending, error } = useActionForm(save, { beforeSubmit: () => setDone(null), onSuccess: (result) => setDone(outcome(result, what)) });
  const key = Object.values(hidden).join("-");
  return (
    <form aria-label={label} className="space-y-3" onSubmit={onSubmit}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Field label="Budget, US$" htmlFor={`budget-${key}`} hint="Leave empty for no limit." error={fieldError(error, "budgetUsd")}>
        <Input id={`budget-${key}`} name="budgetUsd" type="number" min={0} step="any" defaultValue={current ?? undefined} />
      </Field>
      <Field label="Why (kept in the audit trail)" htmlFor={`budget-reason-${key}`} error={fieldError(error, "reason")}>
        <Input id={`budget-reason-${key}`} name="reason" maxLength={500} autoComplete="off" />
      </Field>
      <FormError error={error} inline={["budgetUsd", "reason"]} />
      {done ? (
        <Alert tone="success" role="status">
          {done}
        </Alert>
      ) : null}
      <Button type="submit" size="sm" variant="primary" pending={pending}>
        Save budget
      </Button>
    </form>
  );
}

/** Lets the call a budget refused go through once; the reason is kept in the audit trail. */
export function ApproveOverspendForm({ projectId, runId, approve }: { projectId: string; runId: string; approve: BudgetAction }) {
  const [done, setDone] = useState(false);
  const { onSubmit, pending, error } = useActionForm(approve, { beforeSubmit: () => setDone(false), onSuccess: () => setDone(true) });
  return (
    <form aria-label="Approve the overspend" className="space-y-3" onSubmit={onSubmit}>
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="runId" value={runId} />
      <Field label="Why the overspend is approved" htmlFor={`overspend-${runId}`} error={fieldError(error, "reason")}>
        <Input id={`overspend-${runId}`} name="reason" required maxLength={500} autoComplete="off" />
      </Field>
      <FormError error={error} inline={["reason"]} />
      {done ? (
        <Alert tone="success" role="status">
          Approved: the run continues with the call its budget refused.
        </Alert>
      ) : null}
      <Button type="submit" size="sm" variant="primary" pending={pending}>
        Approve the overspend
      </Button>
    </form>
  );
}
