/** React Query keys of runs in the browser; a run's live feed invalidates `runKeys.all`. */
export const runKeys = {
  all: ["runs"] as const,
  trace: (stepRunId: string) => [...runKeys.all, "trace", stepRunId] as const,
};
