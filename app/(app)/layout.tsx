import type { ReactNode } from "react";
import { TopNav } from "@/components/nav/top-nav";
import { requireActor } from "@/lib/auth";
import { unreadNotifications } from "@/lib/learning/notifications";
import { pendingReviewCount } from "@/lib/review/views";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const [pending, notifications] = await Promise.all([pendingReviewCount(actor), unreadNotifications(actor.userId)]);
  return (
    <>
      <TopNav user={{ name: actor.name, email: actor.email, role: actor.role }} pendingReviews={pending} unreadNotifications={notifications.length} signOut={signOutAction} />
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </>
  );
}
