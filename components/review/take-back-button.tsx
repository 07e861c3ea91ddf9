"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { undoDecisionAction } from "@/app/(app)/review/actions";
import { Button } from "@/components/ui/button";

/**
 * Undo (the decider, for a few seconds) or reopen (the stage owner) one decision from the
 * history. An undo button disappears when its window closes; the server refuses a late one anyway.
 */
export function TakeBackButton({ itemId, itemRef, kind, until }: { itemId: string; itemRef: string; kind: "undo" | "reopen"; until: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(true);
  useEffect(() => {
    if (kind !== "undo") return;
    const timer = setTimeout(() => setOpen(false), Math.max(0, new Date(until).getTime() - Date.now()));
    return () => clearTimeout(timer);
  }, [kind, until]);
  if (!open) return null;
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button
        size="sm"
        pending={pending}
        aria-label={`${kind === "undo" ? "Undo" : "Reopen"} ${itemRef}`}
        onClick={() =>
          startTransition(async () => {
            const result = await undoDecisionAction({ itemId });
            if (!result.ok) setError(result.error.message);
            else router.refresh();
          })
        }
      >
        {kind === "undo" ? "Undo" : "Reopen"}
      </Button>
      {error ? (
        <span role="alert" className="max-w-xs text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
