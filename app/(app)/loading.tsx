/** Shown at once while a signed-in page renders on the server. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="animate-pulse space-y-4">
      <div className="h-6 w-48 rounded bg-zinc-200" />
      <div className="h-4 w-96 max-w-full rounded bg-zinc-200" />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="h-32 rounded-lg bg-zinc-200/70" />
        <div className="h-32 rounded-lg bg-zinc-200/70 lg:col-span-2" />
      </div>
      <div className="h-64 rounded-lg bg-zinc-200/70" />
    </div>
  );
}
