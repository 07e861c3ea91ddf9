/**
 * Next.js calls register() once per server start, before the server handles requests. The
 * Node.js server makes sure the migrations are applied (a no-op after `npm start`, which also
 * seeds the demo before it starts the server), then starts this process's job workers (runs and
 * the periodic jobs of lib/pipeline/worker.ts, over lib/jobs) unless WORKER=0 (then separate
 * `npm run cli -- worker` processes do the work), and records the outcome for /api/ready.
 */
export async function register(): Promise<void> {
  // Read directly (not via lib/env) so Next can drop the worker from its edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` may load this file too; start-up work belongs to a running server.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { recordStartup } = await import("@/lib/ops/readiness");
  recordStartup({ state: "pending" });
  try {
    const { migrate } = await import("@/lib/migrations");
    const applied = await migrate();
    if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);
    const { env } = await import("@/lib/env");
    if (env().WORKER) {
      const { startWorker } = await import("@/lib/pipeline/worker");
      await startWorker().ready;
    }
    recordStartup({ state: "done" });
  } catch (error) {
    // Keep serving so /api/ready can say what is wrong; it answers 503 until a restart fixes it.
    console.error("Start-up failed:", error);
    recordStartup({ state: "failed", error: error instanceof Error ? error.message : String(error) });
  }
}
