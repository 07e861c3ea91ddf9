"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";

const shortcuts: [string[], string][] = [
  [["j", "↓"], "Next item (skips items someone else holds)"],
  [["k", "↑"], "Previous item"],
  [["a"], "Approve"],
  [["e"], "Edit (another reviewer approves your version)"],
  [["r"], "Reject (asks why)"],
  [["c"], "Resolve a conflict (choose sides)"],
  [["z"], "Undo your last decision (10 seconds)"],
  [["x"], "Select the item for a bulk decision"],
  [["Shift", "A"], "Approve every selected item"],
  [["Shift", "R"], "Reject every selected item (asks why once)"],
  [["Ctrl", "Enter"], "Save the open form"],
  [["Esc"], "Cancel the open form"],
  [["?"], "Show or hide these shortcuts"],
];

/** The list of shortcuts, in a dialog that `?` or its button opens; Esc closes it and focus returns. */
export function ShortcutLegend({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      aria-labelledby="shortcut-legend-title"
      onClose={() => onOpenChange(false)}
      className="m-auto w-full max-w-md rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-xl backdrop:bg-zinc-900/30"
    >
      <h2 id="shortcut-legend-title" className="mb-3 font-semibold text-zinc-900">
        Keyboard shortcuts
      </h2>
      <dl className="space-y-1.5">
        {shortcuts.map(([keys, label]) => (
          <div key={label} className="flex items-center justify-between gap-3">
            <dt className="flex shrink-0 gap-1">
              {keys.map((key) => (
                <kbd key={key}>{key}</kbd>
              ))}
            </dt>
            <dd className="text-right text-zinc-700">{label}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-4 flex justify-end">
        <Button size="sm" onClick={() => onOpenChange(false)} autoFocus>
          Close
        </Button>
      </div>
    </dialog>
  );
}
