import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { Wordmark } from "@/components/nav/wordmark";
import { currentActor } from "@/lib/auth";
import { demoAccountsForHint } from "@/lib/users/views";
import { signInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ from?: string; callbackUrl?: string }> }) {
  if (await currentActor()) redirect("/");
  const params = await searchParams;
  const demo = await demoAccountsForHint();
  const back = params.from ?? params.callbackUrl ?? "/";
  let redirectTo = "/";
  try {
    const url = new URL(back, "http://local");
    redirectTo = url.pathname.startsWith("/") && !url.pathname.startsWith("/login") ? url.pathname + url.search : "/";
  } catch {
    redirectTo = "/";
  }

  return (
    <div>
      <div className="mb-6 flex flex-col items-center text-center">
        <Wordmark size="lg" />
        <p className="mt-2 text-sm text-zinc-600">AI drafts the work. People review it and sign it off.</p>
      </div>
      <div className="rounded-lg border border-zinc-200 bg-white p-5 shadow-xs">
        <h1 className="mb-4 text-base font-semibold">Sign in</h1>
        <LoginForm action={signInAction} redirectTo={redirectTo} />
      </div>
      {demo.length > 0 ? (
        <aside aria-label="Demo accounts" className="mt-4 rounded-lg border border-accent-200 bg-accent-50 p-4 text-sm">
          <p className="font-medium text-accent-800">This is a demo install</p>
          <p className="mt-1 text-xs text-zinc-600">
            Sign in as any of these accounts. The password is the one set in <code className="font-mono">DEMO_PASSWORD</code>{" "}
            (or printed by <code className="font-mono">npm start</code> on the first start).
          </p>
          <ul className="mt-3 space-y-2">
            {demo.map((account) => (
              <li key={account.email}>
                <span className="font-mono text-[13px] text-zinc-900">{account.email}</span>
                <span className="block text-xs text-zinc-600">
                  {account.name} · {account.role}
                </span>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </div>
  );
}
