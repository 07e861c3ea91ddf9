import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { assertGranted } from "@/lib/access";
import type { UserActor } from "@/lib/actors";
import type { Grant, Permission } from "@/lib/authz";
import { currentActor } from "@/lib/auth";
import { actionError, unauthorized, type ActionResult } from "@/lib/errors";
import { assertStorableStrings } from "@/lib/storable-text";

/**
 * The one path every server action takes: parse the input with its schema -> the signed-in user
 * -> the permission the action declares -> the domain service (which runs in one transaction with
 * its audit event) -> refresh the pages that show the change -> an ActionResult the form shows.
 * Nothing throws to the browser. tests/actions-authorization.test.ts refuses every action to
 * an actor without its permission.
 */
type ActionOptions<Input, Output> = {
  /** Paths to refresh after success; by default every page (counts in the nav change too). `false` for reads. */
  revalidate?: false | string[] | ((input: Input, data: Output) => string[]);
};

export function action<Schema extends z.ZodType, Output>(
  schema: Schema,
  authorize: (input: z.output<Schema>) => Grant | Promise<Grant>,
  run: (actor: UserActor, input: z.output<Schema>) => Promise<Output>,
  options: ActionOptions<z.output<Schema>, Output> = {},
): (input: z.input<Schema> | FormData) => Promise<ActionResult<Output>> {
  return async (raw) => {
    try {
      const values = raw instanceof FormData ? formDataObject(raw) : raw;
      assertStorableStrings(values);
      const input = schema.parse(values);
      const actor = await currentActor();
      if (!actor) throw unauthorized("Your session has ended. Sign in again.");
      await assertGranted(actor, await authorize(input));
      const data = await run(actor, input);
      revalidateAfter(options.revalidate, input, data);
      return { ok: true, data };
    } catch (error) {
      if (isNextControlFlow(error)) throw error;
      return actionError(error);
    }
  };
}

function revalidateAfter<Input, Output>(revalidate: ActionOptions<Input, Output>["revalidate"], input: Input, data: Output) {
  if (revalidate === false) return;
  if (revalidate === undefined) {
    revalidatePath("/", "layout");
    return;
  }
  for (const path of typeof revalidate === "function" ? revalidate(input, data) : revalidate) revalidatePath(path);
}

/** Repeated keys become arrays; an empty file input (no file chosen) is left out. */
function formDataObject(form: FormData): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key).filter((value) => !(typeof value !== "string" && value.size === 0 && value.name === ""));
    if (values.length === 0) continue;
    object[key] = values.length === 1 ? values[0] : values;
  }
  return object;
}

/** redirect() and notFound() signal by throwing; they must reach Next, not the form. */
function isNextControlFlow(error: unknown): boolean {
  const digest = typeof error === "object" && error !== null && "digest" in error ? (error as { digest: unknown }).digest : null;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}

/** For pages: a service read as an ActionResult, so a refusal or a missing record renders as words. */
export async function settle<T>(work: Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await work };
  } catch (error) {
    if (isNextControlFlow(error)) throw error;
    return actionError(error);
  }
}

/** A permission that needs no project, e.g. managing users or one's own tokens. */
export const granted =
  (permission: Permission) =>
  (): Grant => ({ permissions: [permission], scope: {} });
