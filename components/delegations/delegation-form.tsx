"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import { stageLabels } from "@/lib/stages/stages";

type DelegableProject = { id: string; name: string; stages: { key: StageKey; role: "owner" | "reviewer" }[] };

const roleWords = { owner: "owner", reviewer: "reviewer" } as const;

/** Hands your stage roles to someone for a window (out of office); times are UTC. */
export function DelegationForm({
  projects,
  createDelegation,
}: {
  projects: DelegableProject[];
  createDelegation: (form: FormData) => Promise<ActionResult<{ id: string }>>;
}) {
  const [projectId, setProjectId] = useState("");
  const [created, setCreated] = useState(false);
  const { onSubmit, pending, error } = useActionForm(createDelegation, { onSuccess: () => setCreated(true) });
  const project = projects.find((candidate) => candidate.id === projectId);
  if (projects.length === 0) {
    return <p className="text-sm text-zinc-600">You own or review no stage, so you have no role to delegate.</p>;
  }
  return (
    <div className="space-y-3">
      <form aria-label="Delegate your roles" className="grid gap-x-3 sm:grid-cols-2" onSubmit={onSubmit} onChange={() => setCreated(false)}>
        <Field label="Delegate to (email)" htmlFor="delegation-to" error={fieldError(error, "toEmail")}>
          <Input id="delegation-to" name="toEmail" type="email" required autoComplete="off" />
        </Field>
        <Field label="Reason" htmlFor="delegation-reason" hint="Optional, e.g. “On leave”." error={fieldError(error, "reason")}>
          <Input id="delegation-reason" name="reason" maxLength={500} />
        </Field>
        <Field label="From (UTC)" htmlFor="delegation-starts" error={fieldError(error, "startsAt")}>
          <Input id="delegation-starts" name="startsAt" type="datetime-local" required />
        </Field>
        <Field label="Until (UTC)" htmlFor="delegation-ends" hint="At most 90 days after the start." error={fieldError(error, "endsAt")}>
          <Input id="delegation-ends" name="endsAt" type="datetime-local" required />
        </Field>
        <Field label="Project" htmlFor="delegation-project" hint="Every project hands over every stage role you hold." error={fieldError(error, "projectId")}>
          <Select id="delegation-project" name="projectId" value={projectId} onChange={(event) => setProjectId(event.target.value)}>
            <option value="">Every project</option>
            {projects.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Stage" htmlFor="delegation-stage" error={fieldError(error, "stageKey")}>
          <Select id="delegation-stage" name="stageKey" defaultValue="" disabled={!project} key={projectId}>
            <option value="">Every stage of the project</option>
            {project?.stages.map((stage) => (
              <option key={stage.key} value={stage.key}>
                {stageLabels[stage.key]} ({roleWords[stage.role]})
              </option>
            ))}
          </Select>
        </Field>
        <div className="sm:col-span-2">
          <Button type="submit" variant="primary" pending={pending} data-testid="create-delegation">
            Delegate
          </Button>
        </div>
      </form>
      <FormError error={error} inline={["toEmail", "reason", "startsAt", "endsAt", "projectId", "stageKey"]} />
      {created ? (
        <p role="status" className="text-sm text-emerald-800">
          Delegated. The delegate was told; their decisions will say they acted on your behalf.
        </p>
      ) : null}
    </div>
  );
}
