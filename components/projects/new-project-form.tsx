"use client";

import { useRouter } from "next/navigation";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/errors";

export function NewProjectForm({ createProject }: { createProject: (form: FormData) => Promise<ActionResult<{ id: string }>> }) {
  const router = useRouter();
  const { onSubmit, pending, error } = useActionForm(createProject, { onSuccess: ({ id }) => router.push(`/projects/${id}`) });
  return (
    <form aria-label="New project" className="space-y-3" onSubmit={onSubmit}>
      <Field label="Name" htmlFor="project-name" error={fieldError(error, "name")}>
        <Input id="project-name" name="name" required maxLength={120} placeholder="e.g. Library loans portal" />
      </Field>
      <Field label="Brief" htmlFor="project-brief" hint="What the project is for, in a sentence or two. The AI reads it." error={fieldError(error, "brief")}>
        <Textarea id="project-brief" name="brief" rows={3} maxLength={4000} />
      </Field>
      <FormError error={error} inline={["name", "brief"]} />
      <Button type="submit" variant="primary" pending={pending} data-testid="create-project">
        Create project
      </Button>
    </form>
  );
}
