"use client";

import { useSyncExternalStore } from "react";

const formats = {
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  dateOnly: { dateStyle: "medium" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

const subscribe = () => () => {};

/**
 * A timestamp in the reader's own time zone. The server (and the first browser render, so
 * hydration matches) shows UTC; once mounted, the browser's zone is used.
 */
export function Time({ iso, dateOnly = false, className }: { iso: string | Date; dateOnly?: boolean; className?: string }) {
  const inBrowser = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const date = typeof iso === "string" ? new Date(iso) : iso;
  const format = new Intl.DateTimeFormat("en-GB", { ...formats[dateOnly ? "dateOnly" : "dateTime"], ...(inBrowser ? {} : { timeZone: "UTC" }) });
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()} className={className}>
      {format.format(date)}
    </time>
  );
}
