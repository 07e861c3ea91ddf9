"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { useServerAction } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ReviewerChecklist } from "./reviewer-checklist";
import type { ActionResult } from "@/lib/errors";
import type { StageKey } from "@/lib/generated/sqlite/enums";

type Person = { id: string; email: string; name: string };
type AssignmentInput = { projectId: string; stage: StageKey; ownerEmail?: string | null; reviewerEmails?: string[] };

/** Admins pick the owner; the owner or an admin picks the reviewers. Only what one may change is sent. */
export function StageAssignments({
  projectId,
  stage,
  users,
  owner,
  reviewers,
  mayAssignOwner,
  mayAssignReviewers,
  updateAssignments,
}: {
  projectId: string;
  stage: StageKey;
  users: Person[];
  owner: string | null;
  reviewers: string[];
  mayAssignOwner: boolean;
  mayAssignReviewers: boolean;
  updateAssignments: (input: AssignmentInput) => Promise<ActionResult<{ owner: string | null; reviewers: string[] }>>;
}) {
  const [ownerEmail, setOwnerEmail] = useState(owner ?? "");
  const [chosen, setChosen] = useState<string[]>(reviewers);
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useServerAction(updateAssignments);
  const changed = ownerEmail !== (owner ?? "") || chosen.length !== reviewers.length || chosen.some((email) => !reviewers.includes(email));

  return (
    <form
      aria-label="Stage people"
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(false);
        const result = await run({
          projectId,
          stage,
          ...(mayAssignOwner ? { ownerEmail: ownerEmail || null } : {}),
          ...(mayAssignReviewers ? { reviewerEmails: chosen } : {}),
        });
        setSaved(result.ok);
      }}
    >
      {mayAssignOwner ? (
        <Field label="Stage owner" htmlFor="stage-owner" hint="Runs the stage and signs it off.">
          <Select id="stage-owner" value={ownerEmail} onChange={(event) => setOwnerEmail(event.target.value)}>
            <option value="">No owner</option>
            {users.map((user) => (
              <option key={user.id} value={user.email}>
                {user.name} ({user.email})
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      {mayAssignReviewers ? (
        <fieldset>
          <legend className="mb-1 text-xs font-medium text-zinc-700">Reviewers</legend>
          <p className="mb-1.5 text-xs text-zinc-500">Decide the drafts routed to people in this stage.</p>
          <ReviewerChecklist users={users} chosen={chosen} onChange={setChosen} />
        </fieldset>
      ) : null}
      <FormError error={error} />
      {saved && !changed ? (
        <Alert tone="success" role="status">
          Saved.
        </Alert>
      ) : null}
      <Button type="submit" size="sm" pending={pending} disabled={!changed} data-testid="save-assignments">
        Save people
      </Button>
    </form>
  );
}
