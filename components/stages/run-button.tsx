"use client";

import { FormError } from "@/components/forms/form-error";
import { useServerAction } from "@/components/forms/use-server-action";
import { Button } from "@/components/ui/button";
import type { StageKey } from "@/lib/generated/sqlite/enums";
import type { ActionResult } from "@/lib/errors";

export function RunButton({
  projectId,
  stage,
  label,
  startRun,
}: {
  projectId: string;
  stage: StageKey;
  label: string;
  startRun: (input: { projectId: string; stage: StageKey }) => Promise<ActionResult<{ id: string; status: string }>>;
}) {
  const { run, pending, error } = useServerAction(startRun);
  return (
    <div className="space-y-2">
      <Button variant="primary" pending={pending} data-testid="start-run" onClick={() => run({ projectId, stage })}>
        {label}
      </Button>
      <FormError error={error} />
    </div>
  );
}
