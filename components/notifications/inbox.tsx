"use client";

import clsx from "clsx";
import Link from "next/link";
import { useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { ActionResult } from "@/lib/errors";
import { notificationKindLabel, type MarkReadInput, type NotificationItem } from "@/lib/notifications/schema";

type MarkRead = (input: MarkReadInput) => Promise<ActionResult<{ marked: number; unreadCount: number }>>;

/** The inbox: unread notices first, each with where to look and a way to mark it read; then the ones already read. */
export function Inbox({ unread, read, unreadCount, markRead }: { unread: NotificationItem[]; read: NotificationItem[]; unreadCount: number; markRead: MarkRead }) {
  const { run, pending, error, result } = useServerAction(markRead);
  return (
    <div className="space-y-4">
      <Card data-testid="inbox-unread">
        <CardHeader
          title={`Unread (${unreadCount})`}
          description="Newest first. Marking a notice read keeps it below, under Earlier."
          actions={
            unreadCount > 0 ? (
              <Button size="sm" variant="primary" pending={pending} onClick={() => void run({ all: true })}>
                Mark all read
              </Button>
            ) : null
          }
        />
        <p className="px-4 pt-2 text-xs" role="status">
          {error ? <span className="text-red-700">{error.message}</span> : result?.ok ? <span className="text-zinc-600">Marked {result.data.marked} read.</span> : null}
        </p>
        {unread.length === 0 ? (
          <p className="px-4 pb-3 text-sm text-zinc-600">Nothing unread. You hear here when something you answer for changes, waits for you or needs a decision.</p>
        ) : (
          <NoticeList label="Unread notifications" notices={unread} action={(notice) => (
            <Button size="sm" variant="secondary" disabled={pending} onClick={() => void run({ ids: [notice.id] })} aria-label={`Mark read: ${notice.message}`}>
              Mark read
            </Button>
          )} />
        )}
      </Card>
      <Card data-testid="inbox-read">
        <CardHeader title="Earlier" description="Notices you have read, newest first." />
        {read.length === 0 ? <p className="px-4 py-3 text-sm text-zinc-600">None yet.</p> : <NoticeList label="Read notifications" notices={read} muted />}
      </Card>
    </div>
  );
}

function NoticeList({ label, notices, muted = false, action }: { label: string; notices: NotificationItem[]; muted?: boolean; action?: (notice: NotificationItem) => React.ReactNode }) {
  return (
    <ul className="divide-y divide-zinc-100" aria-label={label}>
      {notices.map((notice) => (
        <li key={notice.id} className="flex items-start justify-between gap-3 px-4 py-2.5" data-testid="inbox-notification">
          <div className="min-w-0">
            <p className="text-xs font-medium text-zinc-600">{notificationKindLabel(notice.kind)}</p>
            <p className={clsx("text-sm", muted ? "text-zinc-700" : "font-medium text-zinc-900")}>{notice.message}</p>
            <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-zinc-600">
              <Time iso={notice.createdAt} />
              {notice.link ? (
                <Link href={notice.link} className="font-medium text-accent-700 underline">
                  Open<span className="sr-only">: {notice.message}</span>
                </Link>
              ) : null}
            </p>
          </div>
          {action ? <div className="shrink-0">{action(notice)}</div> : null}
        </li>
      ))}
    </ul>
  );
}
