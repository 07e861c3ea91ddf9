import type { ReactNode } from "react";
import { TopNav } from "@/components/nav/top-nav";
import { requireActor } from "@/lib/auth";
import { pendingReviewCount } from "@/lib/review/views";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const pending = await pendingReviewCount(actor);
  return (
    <>
      <TopNav user={{ name: actor.name, email: actor.email, role: actor.role }} pendingReviews={pending} signOut={signOutAction} />
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </>
  );
}
