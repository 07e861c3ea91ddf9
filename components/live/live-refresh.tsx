"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * Keeps a page current from one of the live feeds (GET /api/v1/runs/{id}/events, GET
 * /api/v1/events): on each change event it re-renders the page's server components
 * (router.refresh) and refetches the given React Query data. `since` is the version the page
 * was rendered at, so opening the page costs no extra render. While the tab is hidden the
 * connection is closed (browsers allow few per site); on return it reconnects from the last
 * version seen, and a change made meanwhile arrives at once.
 */
export function LiveRefresh({ src, event, since, invalidate = [] }: { src: string; event: string; since?: string | null; invalidate?: QueryKey[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  // Read at mount only: a refreshed page passes a new `since`, but the stream already knows it.
  const version = useRef(since ?? null);
  // A refreshed page passes equal keys in new arrays; as text they do not reopen the stream.
  const keys = JSON.stringify(invalidate);

  useEffect(() => {
    let source: EventSource | null = null;
    let ended = false;

    const refresh = () => {
      router.refresh();
      for (const queryKey of JSON.parse(keys) as QueryKey[]) void queryClient.invalidateQueries({ queryKey });
    };
    const close = () => {
      source?.close();
      source = null;
    };
    const open = () => {
      if (source || ended) return;
      const url = new URL(src, window.location.href);
      if (version.current) url.searchParams.set("since", version.current);
      source = new EventSource(url);
      source.addEventListener(event, (message) => {
        version.current = message.lastEventId || null;
        refresh();
      });
      // The state can no longer change: stay closed (the browser would reconnect), and render the last state.
      source.addEventListener("end", () => {
        ended = true;
        close();
        refresh();
      });
    };
    const onVisibility = () => (document.visibilityState === "hidden" ? close() : open());

    if (document.visibilityState !== "hidden") open();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      close();
    };
  }, [src, event, keys, router, queryClient]);

  return null;
}
