"use client";

import { useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/errors";

/** Ends a delegation now; the delegate loses the roles at once. */
export function RevokeDelegationButton({
  delegationId,
  label,
  revokeDelegation,
}: {
  delegationId: string;
  label: string;
  revokeDelegation: (input: { delegationId: string }) => Promise<ActionResult<void>>;
}) {
  const { run, pending, error } = useServerAction(revokeDelegation);
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      {error ? <span className="text-xs text-red-700">{error.message}</span> : null}
      <Button size="sm" variant="danger" pending={pending} onClick={() => run({ delegationId })} data-testid="revoke-delegation">
        End now<span className="sr-only"> {label}</span>
      </Button>
    </span>
  );
}
