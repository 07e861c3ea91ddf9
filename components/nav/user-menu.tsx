"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";

export function UserMenu({
  user,
  signOut,
}: {
  user: { name: string; email: string; role: "admin" | "member" };
  signOut: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const initials = user.name
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
        className="inline-flex h-8 items-center gap-2 rounded-md px-1.5 text-sm text-zinc-700 hover:bg-zinc-100"
      >
        <span className="inline-flex size-6 items-center justify-center rounded-full bg-zinc-800 text-[11px] font-semibold text-white">
          {initials}
        </span>
        <span className="hidden sm:inline">{user.name}</span>
        <span className="sr-only">Account menu</span>
      </button>
      {open ? (
        <div role="menu" className="absolute right-0 mt-1 w-64 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg">
          <div className="px-3 py-2">
            <p className="truncate text-sm font-medium text-zinc-900">{user.name}</p>
            <p className="truncate text-xs text-zinc-500">{user.email}</p>
            <Badge tone={user.role === "admin" ? "accent" : "grey"} className="mt-1.5">
              {user.role === "admin" ? "Admin" : "Member"}
            </Badge>
          </div>
          <div className="my-1 border-t border-zinc-100" />
          <Link role="menuitem" href="/settings/tokens" className="block rounded-md px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-50" onClick={() => setOpen(false)}>
            API tokens
          </Link>
          <Link role="menuitem" href="/settings/notifications" className="block rounded-md px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-50" onClick={() => setOpen(false)}>
            Notification settings
          </Link>
          <Link role="menuitem" href="/settings/delegations" className="block rounded-md px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-50" onClick={() => setOpen(false)}>
            Delegations (out of office)
          </Link>
          <form action={signOut}>
            <button role="menuitem" type="submit" className="block w-full rounded-md px-3 py-1.5 text-left text-sm text-zinc-700 hover:bg-zinc-50">
              Sign out
            </button>
          </form>
        </div>
      ) : null}
    </div>
  );
}
