import type { Metadata } from "next";
import Link from "next/link";
import { Inbox } from "@/components/notifications/inbox";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth";
import { inbox } from "@/lib/notifications/service";
import { markInboxReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const actor = await requireActor();
  const { unread, read, unreadCount } = await inbox(actor.userId);
  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          <>
            What changed about the work you answer for. Choose whether they also reach you by email in{" "}
            <Link href="/settings/notifications" className="font-medium text-accent-700 underline">
              notification settings
            </Link>
            .
          </>
        }
      />
      <Inbox unread={unread} read={read} unreadCount={unreadCount} markRead={markInboxReadAction} />
    </>
  );
}
