import { describe, expect, it } from "vitest";
import { listArtifacts } from "@/lib/artifacts/service";
import { listAuditEvents } from "@/lib/audit/service";
import { toAppError } from "@/lib/errors";
import { getRun, startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem, listReviewItems } from "@/lib/review/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { makeUser, sampleNotes } from "./helpers";

describe("running a stage again", () => {
  it("is refused while a run is active, and afterwards supersedes the earlier drafts", async () => {
    const admin = await makeUser("admin@rerun.test", "admin");
    const owner = await makeUser("owner@rerun.test");
    const reviewer = await makeUser("reviewer@rerun.test");
    const projectId = (await createProject(admin, { name: "Rerun" })).id;
    await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
    await addSource(owner, projectId, sampleNotes[0]);

    const first = await startRun(owner, projectId, { stage: "requirements" });
    const refusal = await startRun(owner, projectId, { stage: "requirements" }).catch(toAppError);
    expect(refusal).toMatchObject({ code: "conflict" });

    await drainRuns();
    for (;;) {
      const { items } = await listReviewItems(reviewer, { projectId, status: "pending", limit: 100 });
      if (items.length === 0) break;
      for (const item of items) await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });
      await drainRuns();
    }
    expect((await getRun(owner, first.id)).status).toBe("completed");
    const before = await listArtifacts(owner, projectId, {});

    await addSource(owner, projectId, sampleNotes[1]);
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();

    const superseded = await listArtifacts(owner, projectId, { status: "superseded" });
    expect(superseded.map((a) => a.id).sort()).toEqual(before.filter((a) => a.kind === "requirement").map((a) => a.id).sort());
    const current = await listArtifacts(owner, projectId, { kind: "requirement" });
    expect(current.every((a) => a.runId !== first.id)).toBe(true);
    const { items: events } = await listAuditEvents(owner, { projectId, limit: 200 });
    expect(events.some((e) => e.action === "artifacts.superseded")).toBe(true);
  });
});
