"use client";

import { useCallback, useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/errors";

type ActionError = Extract<ActionResult<unknown>, { ok: false }>["error"];

/**
 * Calls a server action made with lib/actions.ts from a client form and keeps its last result,
 * so the form can show the error next to the fields and keep what the user typed.
 */
export function useServerAction<Input, Output>(serverAction: (input: Input) => Promise<ActionResult<Output>>) {
  const [result, setResult] = useState<ActionResult<Output> | null>(null);
  const [pending, startTransition] = useTransition();
  const run = useCallback(
    (input: Input) =>
      new Promise<ActionResult<Output>>((resolve) => {
        startTransition(async () => {
          let outcome: ActionResult<Output>;
          try {
            outcome = await serverAction(input);
          } catch {
            outcome = {
              ok: false,
              error: { code: "internal", message: "The server did not answer. Check your connection, reload the page and try again." },
            };
          }
          setResult(outcome);
          resolve(outcome);
        });
      }),
    [serverAction],
  );
  const reset = useCallback(() => setResult(null), []);
  return { run, pending, result, error: result && !result.ok ? result.error : null, reset };
}

/**
 * A form posting its fields to a server action: submits without a page load, clears the form on
 * success and hands the result to onSuccess; errors stay on the form with what was typed.
 */
export function useActionForm<Output>(
  serverAction: (form: FormData) => Promise<ActionResult<Output>>,
  options: { beforeSubmit?: (form: FormData) => void; onSuccess?: (data: Output) => void } = {},
) {
  const action = useServerAction(serverAction);
  const { beforeSubmit, onSuccess } = options;
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    beforeSubmit?.(data);
    const result = await action.run(data);
    if (result.ok) {
      form.reset();
      onSuccess?.(result.data);
    }
  };
  return { ...action, onSubmit };
}

/** The message for one field from an invalid-input error's details ({ path, message }[]). */
export function fieldError(error: ActionError | null, path: string): string | null {
  if (!error || !Array.isArray(error.details)) return null;
  const issue = (error.details as { path?: unknown; message?: unknown }[]).find((d) => d.path === path);
  return typeof issue?.message === "string" ? issue.message : null;
}

export type { ActionError };
