"use client";

import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Wordmark } from "./wordmark";
import { UserMenu } from "./user-menu";

type NavUser = { name: string; email: string; role: "admin" | "member" };

export function TopNav({
  user,
  pendingReviews,
  unreadNotifications,
  signOut,
}: {
  user: NavUser;
  pendingReviews: number;
  unreadNotifications: number;
  signOut: () => Promise<void>;
}) {
  const pathname = usePathname();
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
          {/* The exact unread count; the layout's live feed re-renders it when a notice arrives or is read elsewhere. */}
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
