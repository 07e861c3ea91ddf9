/**
 * Next.js calls register() once per server start: the Node.js server runs the in-process run
 * worker unless WORKER=0 (then separate `npm run cli -- worker` processes do the work).
 */
export async function register(): Promise<void> {
  // Read directly (not via lib/env) so Next can drop the worker from its edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  if (!env().WORKER) return;
  const { startWorker } = await import("@/lib/pipeline/worker");
  startWorker();
}
