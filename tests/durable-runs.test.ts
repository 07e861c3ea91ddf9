import { hostname } from "node:os";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { getRun, startRun } from "@/lib/pipeline/service";
import { LeaseLostError } from "@/lib/pipeline/step-runner";
import { advanceRun, claimRun, drainRuns, releaseLeasesOfDeadLocalWorkers } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser, sampleNotes } from "./helpers";

const crash = vi.hoisted(() => ({ armed: false, runId: "" }));

// Simulates a worker that dies in the middle of check-quality: the step is left running and
// the run keeps the dead worker's lease until it expires.
vi.mock("@/lib/requirements/quality", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/requirements/quality")>();
  return {
    ...original,
    checkRequirementDrafts: (...args: Parameters<typeof original.checkRequirementDrafts>) => {
      if (crash.armed) {
        crash.armed = false;
        throw new LeaseLostError(crash.runId);
      }
      return original.checkRequirementDrafts(...args);
    },
  };
});

describe("runs are durable jobs", () => {
  let owner: UserActor;
  let projectId: string;

  beforeAll(async () => {
    const admin = await makeUser("admin@durable.test", "admin");
    owner = await makeUser("owner@durable.test");
    projectId = (await createProject(admin, { name: "Durable" })).id;
    await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [owner.email] });
    for (const note of sampleNotes) await addSource(owner, projectId, note);
  });

  it("continues after the last completed step when a worker dies mid-run", async () => {
    const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
    crash.runId = runId;
    crash.armed = true;

    expect(await claimRun("worker-a", 60_000)).toBe(runId);
    await advanceRun(runId, "worker-a", 60_000);
    const interrupted = await db().run.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    expect(interrupted.status).toBe("running");
    expect(interrupted.leaseOwner).toBe("worker-a");
    expect(interrupted.steps.find((s) => s.key === "check-quality")?.status).toBe("running");

    // Nobody may take it over while the lease holds...
    expect(await claimRun("worker-b", 60_000)).toBeNull();
    // The lease lapses (set in the past rather than waited for, so a slow machine cannot race it)...
    await db().run.update({ where: { id: runId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    // ...and once it lapsed, another worker continues where it stopped.
    expect(await drainRuns("worker-b", 60_000)).toBe(1);

    const run = await getRun(owner, runId);
    expect(run.status).toBe("waiting_review");
    const attempts = Object.fromEntries(run.steps.map((s) => [s.key, s.attempts]));
    expect(attempts["synthesize-requirements"]).toBe(1);
    expect(attempts["check-quality"]).toBe(2);
    expect(attempts["route-requirements"]).toBe(1);
  });

  it("resumes a run whose last items were decided without resuming it (two decisions at once)", async () => {
    await db().run.updateMany({ where: { projectId }, data: { status: "completed" } });
    const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
    expect((await getRun(owner, runId)).status).toBe("waiting_review");
    // As two racing last decisions leave it: every item decided, the run still waiting for them.
    await db().reviewItem.updateMany({ where: { runId, status: "pending" }, data: { status: "decided", decidedAt: new Date() } });
    expect((await getRun(owner, runId)).status).toBe("waiting_review");

    await drainRuns();
    expect((await getRun(owner, runId)).status).toBe("completed");
    expect(await db().auditEvent.count({ where: { action: "run.resumed", subjectId: runId } })).toBe(1);
  });

  it("takes over at once from a worker of this machine whose process died", async () => {
    await db().run.updateMany({ where: { projectId }, data: { status: "completed" } });
    const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
    const deadWorker = `${hostname()}:2147483646:dead00`;
    const liveWorker = `${hostname()}:${process.pid}:live00`;
    const farFuture = new Date(Date.now() + 3_600_000);
    await db().run.update({ where: { id: runId }, data: { status: "running", leaseOwner: deadWorker, leaseExpiresAt: farFuture } });
    expect(await claimRun("worker-c", 60_000)).toBeNull();

    expect(await releaseLeasesOfDeadLocalWorkers()).toBe(1);
    expect(await claimRun("worker-c", 60_000)).toBe(runId);

    // A worker that is alive keeps its lease.
    await db().run.update({ where: { id: runId }, data: { leaseOwner: liveWorker, leaseExpiresAt: farFuture } });
    expect(await releaseLeasesOfDeadLocalWorkers()).toBe(0);
  });

  it("lets only one worker claim a queued run", async () => {
    await db().run.updateMany({ where: { projectId }, data: { status: "completed" } });
    const { id: runId } = await startRun(owner, projectId, { stage: "requirements" });
    const claims = await Promise.all(["w1", "w2", "w3", "w4"].map((worker) => claimRun(worker, 60_000)));
    expect(claims.filter((claimed) => claimed === runId)).toHaveLength(1);
  });
});
