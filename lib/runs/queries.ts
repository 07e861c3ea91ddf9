import { useQuery } from "@tanstack/react-query";
import { runKeys } from "./keys";
import type { StepTrace } from "./views";

/** Runs in the browser: the trace a step shows when opened (GET /api/v1/step-runs/{id}). */
export type { StepTrace };

async function fetchTrace(stepRunId: string): Promise<StepTrace> {
  const response = await fetch(`/api/v1/step-runs/${encodeURIComponent(stepRunId)}`, { credentials: "same-origin", headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(message ?? `The server answered ${response.status} ${response.statusText}.`);
  }
  return body as StepTrace;
}

/** A step's full trace, fetched only once `enabled` (when someone opens it): traces can be megabytes of sources. */
export function useStepTrace(stepRunId: string, enabled: boolean) {
  return useQuery({ queryKey: runKeys.trace(stepRunId), queryFn: () => fetchTrace(stepRunId), enabled });
}
