"use client";

import { useEffect, useRef } from "react";

const FIRST_RETRY_MS = 2_000;
const LAST_RETRY_MS = 30_000;

/**
 * Follows one of the live feeds (GET /api/v1/runs/{id}/events, GET /api/v1/events) and calls
 * `onChange` with each new state. `since` is the version the page was rendered at, so opening
 * the page costs no extra event. While the tab is hidden the connection is closed (browsers
 * allow few per site); on return it reconnects from the last version seen, and a change made
 * meanwhile arrives at once. A connection the browser gives up on (an error answer rather than
 * a dropped line, which it retries by itself) is opened again after a growing pause, so a
 * server restart or a passing failure does not leave the page frozen until it is reloaded.
 */
export function useLiveFeed<T>({ src, event, since, onChange, onEnd }: { src: string; event: string; since?: string | null; onChange: (state: T) => void; onEnd?: () => void }) {
  // Read at mount only: a refreshed page passes a new `since`, but the stream already knows it.
  const version = useRef(since ?? null);
  // The latest callbacks, without reopening the stream when a render passes new ones.
  const handlers = useRef({ onChange, onEnd });
  useEffect(() => {
    handlers.current = { onChange, onEnd };
  });

  useEffect(() => {
    let source: EventSource | null = null;
    let ended = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let retryMs = FIRST_RETRY_MS;

    const close = () => {
      clearTimeout(retry);
      source?.close();
      source = null;
    };
    const open = () => {
      if (source || ended) return;
      const url = new URL(src, window.location.href);
      if (version.current) url.searchParams.set("since", version.current);
      const opened = new EventSource(url);
      source = opened;
      opened.addEventListener("open", () => (retryMs = FIRST_RETRY_MS));
      opened.addEventListener(event, (message) => {
        version.current = message.lastEventId || null;
        handlers.current.onChange(JSON.parse(message.data) as T);
      });
      // The state can no longer change: stay closed (the browser would reconnect), and show the last state.
      opened.addEventListener("end", () => {
        ended = true;
        close();
        handlers.current.onEnd?.();
      });
      opened.addEventListener("error", () => {
        if (opened.readyState !== EventSource.CLOSED || source !== opened) return;
        close();
        retry = setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
      });
    };
    const onVisibility = () => (document.visibilityState === "hidden" ? close() : open());

    if (document.visibilityState !== "hidden") open();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      close();
    };
  }, [src, event]);
}
