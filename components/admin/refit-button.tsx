"use client";

import { useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";

/** Refits a step's calibration on the labels recorded so far; the page re-renders with the new fit. */
export function RefitButton({
  stepKey,
  title,
  refit,
}: {
  stepKey: string;
  title: string;
  refit: (input: { stepKey: string }) => Promise<ActionResult<{ version: number }>>;
}) {
  const { run, pending, error, result } = useServerAction(refit);
  return (
    <span className="inline-flex items-center gap-2">
      <span aria-live="polite" className="text-xs">
        {error ? <span className="text-red-700">{error.message}</span> : result?.ok ? <span className="text-emerald-700">Refitted as version {result.data.version}.</span> : null}
      </span>
      <Button size="sm" pending={pending} onClick={() => void run({ stepKey })} aria-label={`Refit now: ${title}`} data-testid={`refit-${stepKey}`}>
        Refit now
      </Button>
    </span>
  );
}
