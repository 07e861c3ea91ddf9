"use client";

import { useEffect, useState } from "react";

export type Toast = { id: number; text: string; undo: { itemId: string; ref: string; until: number } | null };

/**
 * What just happened, bottom right, with an Undo button (and `z`) while the decision can still be
 * taken back. Polite live region: the screen reader says it without moving focus.
 */
export function UndoToast({ toast, undoing, onUndo }: { toast: Toast | null; undoing: boolean; onUndo: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!toast?.undo) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [toast]);
  const secondsLeft = toast?.undo ? Math.ceil((toast.undo.until - now) / 1000) : 0;
  return (
    <div role="status" aria-live="polite" className="fixed right-6 bottom-6 z-30">
      {toast ? (
        <p className="flex items-center gap-3 rounded-md bg-zinc-900 px-3 py-2 text-sm text-white shadow-lg" data-testid="decision-toast">
          <span>{toast.text}</span>
          {toast.undo && secondsLeft > 0 ? (
            <button
              type="button"
              className="rounded border border-white/40 px-2 py-0.5 text-xs font-medium hover:bg-white/10 focus-visible:ring-2 focus-visible:ring-white disabled:opacity-60"
              disabled={undoing}
              onClick={onUndo}
              data-testid="undo"
            >
              Undo <kbd className="ml-0.5 border-white/40 bg-transparent text-white shadow-none">z</kbd>
              <span className="ml-1 tabular-nums text-zinc-300" aria-hidden>
                {secondsLeft}s
              </span>
            </button>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
