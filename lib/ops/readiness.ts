import { db } from "@/lib/db";
import { databaseProvider, env } from "@/lib/env";
import { loadMigrations, MIGRATIONS_TABLE } from "@/lib/migrations";

/**
 * Liveness says the process answers; readiness says it can do its work: start-up finished, the
 * database answers, every committed migration is applied unchanged, and the run worker runs
 * when this server is meant to run it. A load balancer or `npm start` waits for ready.
 */
export type Check = { ok: boolean; detail: string };
export type Readiness = { status: "ready" | "not_ready"; checks: { startup: Check; database: Check; migrations: Check; worker: Check } };

type StartupState = { state: "pending" } | { state: "done" } | { state: "failed"; error: string };

// On globalThis: Next bundles instrumentation.ts and the route handlers separately, so a plain
// module variable would not be the same one in both (the worker keeps its handle the same way).
const shared = globalThis as unknown as {
  countersignStartup?: StartupState;
  countersignWorker?: { state: "starting" | "running" | "failed" };
};

/** Called by instrumentation.ts when the server's start-up work ends. */
export function recordStartup(state: StartupState): void {
  shared.countersignStartup = state;
}

const PROBE_TIMEOUT_MS = 3_000;
/** The committed migrations cannot change under a running server: read and hashed once, not on every probe. */
let committedMigrations: ReturnType<typeof loadMigrations> | undefined;

export async function checkReadiness(): Promise<Readiness> {
  const [database, migrations] = await Promise.all([check(databaseCheck), check(migrationsCheck)]);
  const checks = { startup: startupCheck(), database, migrations, worker: workerCheck() };
  return { status: Object.values(checks).every((c) => c.ok) ? "ready" : "not_ready", checks };
}

function startupCheck(): Check {
  const startup = shared.countersignStartup ?? { state: "pending" };
  if (startup.state === "done") return { ok: true, detail: "start-up work done" };
  if (startup.state === "failed") return { ok: false, detail: `start-up failed: ${startup.error}` };
  return { ok: false, detail: "start-up work (migrations, demo seed) is still running" };
}

function workerCheck(): Check {
  if (!env().WORKER) return { ok: true, detail: "not run by this server (WORKER=0)" };
  // Set by startWorker() in lib/pipeline/worker.ts, with the state of its start.
  const state = shared.countersignWorker?.state;
  if (state === "running") return { ok: true, detail: "running" };
  if (state === "starting") return { ok: false, detail: "the run worker is starting" };
  return { ok: false, detail: state === "failed" ? "the run worker failed to start (see the server log)" : "WORKER=1 but the run worker is not running" };
}

async function databaseCheck(): Promise<Check> {
  await db().$queryRawUnsafe("SELECT 1");
  return { ok: true, detail: `${databaseProvider()} answers` };
}

async function migrationsCheck(): Promise<Check> {
  const rows = await db().$queryRawUnsafe<{ name: string; checksum: string }[]>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
  const applied = new Map(rows.map((row) => [row.name, row.checksum]));
  committedMigrations ??= loadMigrations(databaseProvider());
  const committed = committedMigrations;
  const missing = committed.filter((m) => !applied.has(m.name)).map((m) => m.name);
  const changed = committed.filter((m) => applied.has(m.name) && applied.get(m.name) !== m.checksum).map((m) => m.name);
  if (missing.length > 0) return { ok: false, detail: `not applied: ${missing.join(", ")}` };
  if (changed.length > 0) return { ok: false, detail: `changed after they were applied: ${changed.join(", ")}` };
  return { ok: true, detail: `${committed.length} applied` };
}

/** A probe answers within a few seconds even when the database hangs. */
async function check(probe: () => Promise<Check>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${PROBE_TIMEOUT_MS / 1000} s` }), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().catch((error: unknown) => ({ ok: false, detail: describe(error) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Prisma prefixes the invocation site; the last line is the database's own words.
  return message.trim().split("\n").at(-1) ?? message;
}
