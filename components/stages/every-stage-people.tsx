"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { useServerAction } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox, Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ReviewerChecklist } from "./reviewer-checklist";
import type { ActionResult } from "@/lib/errors";

type Person = { id: string; email: string; name: string };
type Input = { projectId: string; ownerEmail?: string; reviewerEmails?: string[] };

/**
 * One owner and one set of reviewers for all seven stages at once. Only what is chosen changes:
 * each stage keeps its owner unless an owner is picked, and its reviewers unless "same reviewers"
 * is ticked.
 */
export function EveryStagePeople({
  projectId,
  users,
  mayAssignOwner,
  commonReviewers,
  assign,
}: {
  projectId: string;
  users: Person[];
  mayAssignOwner: boolean;
  /** the reviewers every stage already has, ticked to start with */
  commonReviewers: string[];
  assign: (input: Input) => Promise<ActionResult<{ stages: number }>>;
}) {
  const [ownerEmail, setOwnerEmail] = useState("");
  const [setReviewers, setSetReviewers] = useState(false);
  const [chosen, setChosen] = useState<string[]>(commonReviewers);
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useServerAction(assign);
  const changes = Boolean(ownerEmail) || setReviewers;

  return (
    <form
      aria-label="People for every stage"
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(false);
        const result = await run({ projectId, ...(ownerEmail ? { ownerEmail } : {}), ...(setReviewers ? { reviewerEmails: chosen } : {}) });
        if (result.ok) {
          setSaved(true);
          setOwnerEmail("");
          setSetReviewers(false);
        }
      }}
    >
      {mayAssignOwner ? (
        <Field label="Owner of every stage" htmlFor="every-stage-owner" hint="Runs each stage and signs it off.">
          <Select id="every-stage-owner" value={ownerEmail} onChange={(event) => setOwnerEmail(event.target.value)}>
            <option value="">Keep each stage&apos;s owner</option>
            {users.map((user) => (
              <option key={user.id} value={user.email}>
                {user.name} ({user.email})
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <div>
        <Checkbox label="The same reviewers for every stage" checked={setReviewers} onChange={(event) => setSetReviewers(event.target.checked)} data-testid="every-stage-reviewers" />
        {setReviewers ? (
          <ReviewerChecklist users={users} chosen={chosen} onChange={setChosen} className="mt-1.5 max-h-40" />
        ) : null}
      </div>
      <FormError error={error} />
      {saved && !changes ? (
        <Alert tone="success" role="status">
          Saved for all seven stages.
        </Alert>
      ) : null}
      <Button type="submit" size="sm" pending={pending} disabled={!changes} data-testid="save-every-stage">
        Apply to every stage
      </Button>
    </form>
  );
}
