"use client";

import { useState } from "react";
import { FormError } from "@/components/forms/form-error";
import { fieldError, useActionForm } from "@/components/forms/use-server-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/errors";

export function CreateUserForm({ createUser }: { createUser: (form: FormData) => Promise<ActionResult<{ email: string; name: string }>> }) {
  const [created, setCreated] = useState<string | null>(null);
  const { onSubmit, pending, error } = useActionForm(createUser, {
    beforeSubmit: () => setCreated(null),
    onSuccess: (user) => setCreated(`${user.name} (${user.email})`),
  });
  return (
    <form aria-label="Create user" className="space-y-3" onSubmit={onSubmit}>
      <Field label="Email" htmlFor="user-email" error={fieldError(error, "email")}>
        <Input id="user-email" name="email" type="email" required autoComplete="off" />
      </Field>
      <Field label="Name" htmlFor="user-name" error={fieldError(error, "name")}>
        <Input id="user-name" name="name" required maxLength={120} autoComplete="off" />
      </Field>
      <Field label="Password" htmlFor="user-password" hint="At least 8 characters. Share it with them privately." error={fieldError(error, "password")}>
        <Input id="user-password" name="password" type="password" required minLength={8} autoComplete="new-password" />
      </Field>
      <Field label="Role" htmlFor="user-role" hint="Admins manage users and policies and see every project.">
        <Select id="user-role" name="role" defaultValue="member">
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </Select>
      </Field>
      <FormError error={error} inline={["email", "name", "password"]} labels={{ role: "Role" }} />
      {created ? (
        <Alert tone="success" role="status">
          Created {created}. Name them stage owner or reviewer on a stage page.
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" pending={pending} data-testid="create-user">
        Create user
      </Button>
    </form>
  );
}
