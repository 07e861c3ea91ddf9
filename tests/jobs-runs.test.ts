import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { databaseProvider } from "@/lib/env";
import { PG_BOSS_SCHEMA } from "@/lib/jobs/pg-boss";
import { startRun } from "@/lib/pipeline/service";
import { startWorker } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser, sampleNotes } from "./helpers";

/** Runs advance as jobs: sent with the run, handled by the server's worker, caught up after a restart. */
async function waitingJobsFor(runId: string): Promise<number> {
  const sql =
    databaseProvider() === "sqlite"
      ? `SELECT COUNT(*) AS count FROM "job" WHERE "queue" = 'run-advance' AND "singletonKey" = '${runId}' AND "state" = 'created'`
      : `SELECT COUNT(*) AS count FROM ${PG_BOSS_SCHEMA}.job WHERE name = 'run-advance' AND singleton_key = '${runId}' AND state = 'created'`;
  const [{ count }] = await db().$queryRawUnsafe<{ count: number | bigint }[]>(sql);
  return Number(count);
}

async function runStatus(runId: string): Promise<string> {
  return (await db().run.findUniqueOrThrow({ where: { id: runId } })).status;
}

describe("the run worker on the job queue", () => {
  let owner: UserActor;
  let projectId: string;

  beforeAll(async () => {
    const admin = await makeUser("admin@jobs-runs.test", "admin");
    owner = await makeUser("owner@jobs-runs.test");
    projectId = (await createProject(admin, { name: "Jobs" })).id;
    await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [owner.email] });
    for (const note of sampleNotes) await addSource(owner, projectId, note);
  });

  afterEach(async () => {
    await startWorker().stop();
    await db().run.updateMany({ where: { projectId }, data: { status: "completed", leaseOwner: null, leaseExpiresAt: null } });
  });

  it("sends the run's job in the transaction that queues it, and the worker advances the run", async () => {
    const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
    expect(await waitingJobsFor(runId)).toBe(1);

    startWorker({ pollMs: 50 });
    await expect.poll(() => runStatus(runId), { timeout: 30_000, interval: 50 }).toBe("waiting_review");
    // A dispatch at start-up may have sent a second job while the first was in hand: it finds nothing to do.
    await expect.poll(() => waitingJobsFor(runId), { timeout: 30_000, interval: 50 }).toBe(0);
    expect(await runStatus(runId)).toBe("waiting_review");
  });

  it("after a restart, finds a queued run that has no job and advances it", async () => {
    const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
    // As if the run were queued before runs were jobs, or its job were lost: only the row says so.
    const table = databaseProvider() === "sqlite" ? `"job" WHERE "singletonKey"` : `${PG_BOSS_SCHEMA}.job WHERE singleton_key`;
    await db().$executeRawUnsafe(`DELETE FROM ${table} = '${runId}'`);
    expect(await waitingJobsFor(runId)).toBe(0);

    startWorker({ pollMs: 50 });
    await expect.poll(() => runStatus(runId), { timeout: 30_000, interval: 50 }).toBe("waiting_review");
  });
});
