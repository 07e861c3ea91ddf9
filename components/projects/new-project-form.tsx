"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import { Checkbox, Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/errors";

type Person = { id: string; email: string; name: string };

/** Who the creator may name for all stages at once (lib/stages/service.ts newProjectPeople). */
export type NewProjectPeople = { mayAssignOwner: boolean; mayAssignReviewers: boolean; users: Person[] };

export function NewProjectForm({
  createProject,
  people,
  creatorEmail,
}: {
  createProject: (form: FormData) => Promise<ActionResult<{ id: string }>>;
  people: NewProjectPeople;
  creatorEmail: string;
}) {
  const router = useRouter();
  const [samePeople, setSamePeople] = useState(false);
  const { onSubmit, pending, error } = useActionForm(createProject, { onSuccess: ({ id }) => router.push(`/projects/${id}`) });
  return (
    <form aria-label="New project" className="space-y-3" onSubmit={onSubmit}>
      <Field label="Name" htmlFor="project-name" error={fieldError(error, "name")}>
        <Input id="project-name" name="name" required maxLength={120} placeholder="e.g. Library loans portal" />
      </Field>
      <Field label="Brief" htmlFor="project-brief" hint="What the project is for, in a sentence or two. The AI reads it." error={fieldError(error, "brief")}>
        <Textarea id="project-brief" name="brief" rows={3} maxLength={4000} />
      </Field>
      {people.mayAssignReviewers && people.users.length > 0 ? (
        <div className="space-y-2 rounded-md border border-zinc-200 p-3">
          <Checkbox
            label="Same owner and reviewers for all seven stages"
            checked={samePeople}
            onChange={(event) => setSamePeople(event.target.checked)}
            data-testid="same-people"
          />
          {samePeople ? (
            <>
              {people.mayAssignOwner ? (
                <Field label="Owner of every stage" htmlFor="project-owner" hint="Runs each stage and signs it off." error={fieldError(error, "ownerEmail")}>
                  <Select id="project-owner" name="ownerEmail" defaultValue="">
                    <option value="">You ({creatorEmail})</option>
                    {people.users
                      .filter((user) => user.email !== creatorEmail)
                      .map((user) => (
                        <option key={user.id} value={user.email}>
                          {user.name} ({user.email})
                        </option>
                      ))}
                  </Select>
                </Field>
              ) : (
                <p className="text-xs text-zinc-500">You own every stage; an admin can name other owners later.</p>
              )}
              <fieldset>
                <legend className="mb-1 text-xs font-medium text-zinc-700">Reviewers of every stage</legend>
                <p className="mb-1.5 text-xs text-zinc-500">
                  They decide the drafts routed to people. Without reviewers, those drafts wait and the stage cannot be signed off.
                </p>
                <div className="max-h-40 space-y-1 overflow-y-auto rounded-md border border-zinc-200 p-2">
                  {people.users.map((user) => (
                    <Checkbox
                      key={user.id}
                      className="flex"
                      name="reviewerEmails"
                      value={user.email}
                      label={
                        <>
                          {user.name} <span className="text-xs text-zinc-500">{user.email}</span>
                        </>
                      }
                    />
                  ))}
                </div>
              </fieldset>
            </>
          ) : null}
        </div>
      ) : null}
      <FormError error={error} inline={["name", "brief", "ownerEmail"]} labels={{ reviewerEmails: "Reviewers" }} />
      <Button type="submit" variant="primary" pending={pending} data-testid="create-project">
        Create project
      </Button>
    </form>
  );
}
