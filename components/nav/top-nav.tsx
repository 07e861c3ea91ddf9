"use client";

import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { useRefresh } from "@/components/live/live-refresh";
import { useLiveFeed } from "@/components/live/use-live-feed";
import { reviewKeys } from "@/lib/review/queries";
import type { LiveCounts } from "@/lib/runs/events";
import { Wordmark } from "./wordmark";
import { UserMenu } from "./user-menu";

type NavUser = { name: string; email: string; role: "admin" | "member" };

/**
 * The top navigation with the user's live counts: the review badge and the unread notices. The
 * counts come from the live feed's own events, not from re-rendering the layout, so they are
 * right even when a refresh of the page is slow, overtaken or dropped by the router; the page
 * under the nav is refreshed on each change as well. The rendered counts hold until the first event.
 */
export function TopNav({ user, counts: rendered, countsVersion, signOut }: { user: NavUser; counts: LiveCounts; countsVersion: string; signOut: () => Promise<void> }) {
  const pathname = usePathname();
  const [counts, setCounts] = useState(rendered);
  const refresh = useRefresh([reviewKeys.all]);
  useLiveFeed<LiveCounts>({
    src: "/api/v1/events",
    event: "counts",
    since: countsVersion,
    onChange: (next) => {
      setCounts(next);
      refresh();
    },
  });
  const { pendingReviews, unreadNotifications } = counts;
  const links = [
    { href: "/", label: "Home", active: pathname === "/" || pathname.startsWith("/projects") },
    { href: "/review", label: "Review", active: pathname.startsWith("/review"), badge: pendingReviews },
    { href: "/insights", label: "Insights", active: pathname.startsWith("/insights") },
    { href: "/audit", label: "Audit", active: pathname.startsWith("/audit") },
    ...(user.role === "admin" ? [{ href: "/admin/users", label: "Admin", active: pathname.startsWith("/admin") }] : []),
    { href: "/settings/tokens", label: "Tokens", active: pathname.startsWith("/settings") },
  ];
  return (
    <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex h-12 max-w-7xl items-center gap-6 px-6">
        <Link href="/" aria-label="Countersign home" className="shrink-0">
          <Wordmark />
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1">
          {links.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              aria-current={link.active ? "page" : undefined}
              className={clsx(
                "inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium transition-colors",
                link.active ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900",
              )}
            >
              {link.label}
              {link.badge ? (
                <span
                  data-testid="pending-count"
                  aria-label={`${link.badge} waiting for you`}
                  className="rounded-full bg-amber-700 px-1.5 text-[11px] leading-4 font-semibold text-white"
                >
                  {link.badge}
                </span>
              ) : null}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          {/* The exact unread count, following notices that arrive or are read elsewhere. */}
          <Link
            href="/notifications"
            aria-current={pathname.startsWith("/notifications") ? "page" : undefined}
            className={clsx(
              "inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium",
              pathname.startsWith("/notifications") ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900",
            )}
            data-testid="notifications-link"
          >
            Notifications
            {unreadNotifications > 0 ? (
              <span data-testid="notification-count" className="rounded-full bg-sky-700 px-1.5 text-[11px] leading-4 font-semibold text-white">
                {unreadNotifications}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </Link>
          <UserMenu user={user} signOut={signOut} />
        </div>
      </div>
    </header>
  );
}
