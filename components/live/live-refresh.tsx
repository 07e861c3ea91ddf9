"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { useLiveFeed } from "./use-live-feed";

/**
 * Keeps a page current from one of the live feeds (see useLiveFeed): on each change event it
 * re-renders the page's server components (router.refresh) and refetches the given React Query
 * data; when the feed ends it does so once more, for the last state.
 */
export function LiveRefresh({ src, event, since, invalidate = [] }: { src: string; event: string; since?: string | null; invalidate?: QueryKey[] }) {
  const refresh = useRefresh(invalidate);
  useLiveFeed({ src, event, since, onChange: refresh, onEnd: refresh });
  return null;
}

/** Re-renders the page's server components and refetches the given queries. */
export function useRefresh(invalidate: QueryKey[]): () => void {
  const router = useRouter();
  const queryClient = useQueryClient();
  // A refreshed page passes equal keys in new arrays; as text they keep the callback stable.
  const keys = JSON.stringify(invalidate);
  return useCallback(() => {
    router.refresh();
    for (const queryKey of JSON.parse(keys) as QueryKey[]) void queryClient.invalidateQueries({ queryKey });
  }, [router, queryClient, keys]);
}
