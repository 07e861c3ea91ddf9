"use client";

import Link from "next/link";
import { useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import type { ActionResult } from "@/lib/errors";

export type NotificationView = { id: string; kind: string; message: string; link: string | null; createdAt: string };

/** The user's unread notices, each with where to look and a way to put it away. */
export function NotificationList({
  notifications,
  markRead,
}: {
  notifications: NotificationView[];
  markRead: (input: { ids: string[] }) => Promise<ActionResult<number>>;
}) {
  const { run, pending, error, result } = useServerAction(markRead);
  if (notifications.length === 0) {
    return <p className="px-4 py-3 text-sm text-zinc-500">Nothing new. You hear here when something about your stages changes without you, e.g. auto-approval is tightened after an audit.</p>;
  }
  return (
    <>
      <ul className="divide-y divide-zinc-100" aria-label="Unread notifications">
        {notifications.map((notice) => (
          <li key={notice.id} className="flex items-start justify-between gap-3 px-4 py-2.5" data-testid="notification">
            <div className="min-w-0">
              <p className="text-sm text-zinc-900">{notice.message}</p>
              <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-zinc-500">
                <Time iso={notice.createdAt} />
                {notice.link ? (
                  <Link href={notice.link} className="font-medium text-accent-700 underline">
                    Open the stage
                  </Link>
                ) : null}
              </p>
            </div>
            <Button size="sm" variant="ghost" disabled={pending} onClick={() => void run({ ids: [notice.id] })} aria-label={`Mark read: ${notice.message}`}>
              Mark read
            </Button>
          </li>
        ))}
      </ul>
      <div className="flex items-center justify-between gap-3 border-t border-zinc-100 px-4 py-2">
        <span className="text-xs" role="status">
          {error ? <span className="text-red-700">{error.message}</span> : result?.ok ? <span className="text-zinc-500">Marked read.</span> : null}
        </span>
        {notifications.length > 1 ? (
          <Button size="sm" pending={pending} onClick={() => void run({ ids: notifications.map((notice) => notice.id) })}>
            Mark all read
          </Button>
        ) : null}
      </div>
    </>
  );
}
