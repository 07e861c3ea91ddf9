import type { ReactNode } from "react";
import { TopNav } from "@/components/nav/top-nav";
import { requireActor } from "@/lib/auth";
import { countsVersion, liveCounts } from "@/lib/runs/events";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const counts = await liveCounts(actor);
  return (
    <>
      {/* The first stop of Tab: past the navigation to the page itself. */}
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-zinc-900 focus:shadow-lg focus:ring-2 focus:ring-accent-600">
        Skip to content
      </a>
      {/* The badges, and the page under them, follow the counts as reviewers work elsewhere; the review queue refetches its items. */}
      <TopNav user={{ name: actor.name, email: actor.email, role: actor.role }} counts={counts} countsVersion={countsVersion(counts)} signOut={signOutAction} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-6 py-6 outline-none">{children}</main>
    </>
  );
}
