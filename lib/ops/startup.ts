import pg from "pg";
import { demoAccounts } from "@/lib/demo/accounts";
import { seedDemoIfEmpty, type SeedResult } from "@/lib/demo/seed";
import { databaseProvider, env } from "@/lib/env";
import { stopJobs } from "@/lib/jobs";
import { migrate } from "@/lib/migrations";

/**
 * The work that must be done before the app answers anyone: migrations, then the demo workspace
 * on an empty database. `npm start` runs it before it starts the server (the server itself only
 * re-checks the migrations in instrumentation.ts: the demo fixtures are read from disk in a way
 * the server bundle does not support).
 */
export type StartupResult = { applied: string[]; seed: SeedResult };

export async function prepareDatabase(): Promise<StartupResult> {
  try {
    return await withStartupLock(async () => ({ applied: await migrate(), seed: await seedDemoIfEmpty() }));
  } finally {
    // Seeding runs the demo's first run through the job queue; the server's own workers take over from here.
    await stopJobs();
  }
}

/**
 * On PostgreSQL several instances may start at once: the one that seeds holds the lock until the
 * demo workspace is complete, so no other instance serves half of it. (On SQLite, instances in
 * one folder are kept apart by scripts/start.ts's lock file.)
 */
async function withStartupLock<T>(work: () => Promise<T>): Promise<T> {
  const url = env().DATABASE_URL;
  if (databaseProvider(url) === "sqlite") return work();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('countersign_startup'))");
    return await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('countersign_startup'))").catch(() => undefined);
    await client.end();
  }
}

/** What an operator needs to read after start-up: the migrations applied and how to sign in. */
export function describeStartup({ applied, seed }: StartupResult): string[] {
  const lines = applied.length > 0 ? [`Applied migrations: ${applied.join(", ")}`] : [];
  if (!seed.seeded) return lines;
  return [
    ...lines,
    "",
    "Created the demo workspace. Sign in as any of:",
    ...Object.values(demoAccounts).map((account) => `  ${account.email}`),
    seed.generatedPassword
      ? `Password (generated, shown only this once): ${seed.password}\nSet DEMO_PASSWORD to choose it.\n`
      : "Password: the value of DEMO_PASSWORD.\n",
  ];
}
