"use client";

import { useActionState } from "react";
import type { SignInState } from "@/app/(auth)/login/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";

export function LoginForm({
  action,
  redirectTo,
}: {
  action: (state: SignInState, form: FormData) => Promise<SignInState>;
  redirectTo: string;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null, email: "" });
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <Field label="Email" htmlFor="login-email">
        <Input id="login-email" name="email" type="email" autoComplete="username" required autoFocus defaultValue={state.email} />
      </Field>
      <Field label="Password" htmlFor="login-password">
        <Input id="login-password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      {state.error ? (
        <Alert tone="danger" role="alert">
          {state.error}
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" className="w-full" pending={pending}>
        Sign in
      </Button>
    </form>
  );
}
