import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** The submit and cancel row of an inline decision form, with its keyboard hint. */
export function DecisionFormActions({
  children,
  variant,
  pending,
  testId,
  verb,
  onCancel,
}: {
  children: ReactNode;
  variant: "success" | "danger";
  pending: boolean;
  testId: string;
  verb: string;
  onCancel: () => void;
}) {
  return (
    <div className="flex items-center gap-2">
      <Button type="submit" variant={variant} size="sm" pending={pending} data-testid={testId}>
        {children}
      </Button>
      <Button size="sm" variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
      <span className="text-xs text-zinc-500" aria-hidden>
        <kbd>Ctrl</kbd>+<kbd>Enter</kbd> {verb} · <kbd>Esc</kbd> cancel
      </span>
    </div>
  );
}
