"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";

export type SignInState = { error: string | null; email: string };

/** Only same-site paths, so a crafted link cannot send someone elsewhere after sign-in. */
function safeRedirect(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").trim();
  try {
    await signIn("credentials", { email, password: form.get("password"), redirectTo: safeRedirect(form.get("redirectTo")) });
    return { error: null, email };
  } catch (error) {
    // A successful sign-in redirects by throwing; only AuthErrors mean the credentials were refused.
    if (error instanceof AuthError) {
      return {
        error: error.type === "CredentialsSignin" ? "Wrong email or password." : "Signing in failed. Try again in a moment.",
        email,
      };
    }
    throw error;
  }
}
