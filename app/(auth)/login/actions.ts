"use server";

import { AuthError } from "next-auth";
import { signIn, TooManySignIns } from "@/lib/auth";

export type SignInState = { error: string | null; email: string };

/** Only same-site paths, so a crafted link cannot send someone elsewhere after sign-in. */
function safeRedirect(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

function signInRefusal(error: AuthError): string {
  if (error instanceof TooManySignIns) {
    // Says how long, not why: whether this email or this network tripped it is no one else's business.
    const wait = error.retryAfterMs < 60_000 ? "a minute" : `${Math.ceil(error.retryAfterMs / 60_000)} minutes`;
    return `Too many failed sign-ins from here. Wait ${wait} and try again, or ask an admin.`;
  }
  return error.type === "CredentialsSignin" ? "Wrong email or password." : "Signing in failed. Try again in a moment.";
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").trim();
  try {
    await signIn("credentials", { email, password: form.get("password"), redirectTo: safeRedirect(form.get("redirectTo")) });
    return { error: null, email };
  } catch (error) {
    // A successful sign-in redirects by throwing; only AuthErrors mean the credentials were refused.
    if (error instanceof AuthError) return { error: signInRefusal(error), email };
    throw error;
  }
}
