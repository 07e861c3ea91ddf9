import { beforeAll, describe, expect, it, vi } from "vitest";
import { drainRuns } from "@/lib/pipeline/worker";
import { api, makeCaller, type Caller } from "./api-client";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./next-auth-without-session")) }));

const clinicNotes = [
  {
    title: "Interview with the front-desk lead",
    kind: "interview",
    text: [
      "Q: Where does booking hurt today?",
      "A: Patients must be able to book an appointment online at any hour, without phoning the desk.",
      "Patients must be able to cancel an appointment online up to two hours before it starts.",
      "The booking page should be quick and easy to use on a phone.",
      "A reminder must be sent by text message 24 hours before every appointment.",
    ].join("\n"),
  },
  {
    title: "Email from the practice manager",
    kind: "email",
    text: [
      "Subject: Booking system, my constraints",
      "Patients must not cancel online at all; cancellations go through the desk so we can offer the slot to the waiting list.",
      "Patient records must stay on servers in the EU, and every access to a record must be logged.",
      "The system must be available from 6:00 to 23:00 every day.",
    ].join("\n"),
  },
];

describe("the requirements loop, through the HTTP API", () => {
  let admin: Caller;
  let owner: Caller;
  let reviewer: Caller;
  let second: Caller;
  let outsider: Caller;
  let projectId: string;
  let runId: string;

  beforeAll(async () => {
    admin = await makeCaller("admin@api-loop.test", "admin");
    owner = await makeCaller("owner@api-loop.test");
    reviewer = await makeCaller("reviewer@api-loop.test");
    second = await makeCaller("second@api-loop.test");
    outsider = await makeCaller("outsider@api-loop.test");
  });

  it("creates a project, assigns the stage and adds sources", async () => {
    const project = await api(admin.token).ok("createProject", { json: { name: "Clinic booking", brief: "Online appointments" } });
    projectId = project.id;
    expect(project).toMatchObject({ name: "Clinic booking", brief: "Online appointments" });

    const stage = await api(admin.token).ok("updateStage", {
      params: { id: projectId, key: "requirements" },
      json: { ownerEmail: owner.email, reviewerEmails: [admin.email] },
    });
    expect(stage.owner?.email).toBe(owner.email);
    await api(owner.token).fails("updateStage", { params: { id: projectId, key: "requirements" }, json: { ownerEmail: reviewer.email } }, 403);
    const reassigned = await api(owner.token).ok("updateStage", {
      params: { id: projectId, key: "requirements" },
      json: { reviewerEmails: [reviewer.email, second.email] },
    });
    expect(reassigned.reviewers.map((r) => r.email)).toEqual([reviewer.email, second.email]);

    for (const note of clinicNotes) {
      const source = await api(owner.token).ok("addSource", { params: { id: projectId }, json: note });
      expect(source).toMatchObject({ projectId, title: note.title, kind: note.kind });
    }
    expect((await api(owner.token).ok("listSources", { params: { id: projectId } })).items).toHaveLength(2);

    const visible = await api(owner.token).ok("listProjects");
    expect(visible.items).toEqual([expect.objectContaining({ id: projectId, sourceCount: 2 })]);
    expect((await api(outsider.token).ok("listProjects")).items).toEqual([]);
  });

  it("keeps the project from members who are not on it", async () => {
    const asOutsider = api(outsider.token);
    await asOutsider.fails("listSources", { params: { id: projectId } }, 403);
    await asOutsider.fails("addSource", { params: { id: projectId }, json: clinicNotes[0] }, 403);
    await asOutsider.fails("listStages", { params: { id: projectId } }, 403);
    await asOutsider.fails("listArtifacts", { params: { id: projectId } }, 403);
    await asOutsider.fails("startRun", { params: { id: projectId }, json: { stage: "requirements" } }, 403);
    await asOutsider.fails("listAuditEvents", { query: { projectId } }, 403);
  });

  it("queues a run (202) that the worker drafts, reporting model, tokens and cost per step", async () => {
    await api(reviewer.token).fails("startRun", { params: { id: projectId }, json: { stage: "requirements" } }, 403);
    const started = await api(owner.token).ok("startRun", { params: { id: projectId }, json: { stage: "requirements" } });
    runId = started.id;
    expect(started.status).toBe("queued");
    const again = await api(owner.token).fails("startRun", { params: { id: projectId }, json: { stage: "requirements" } }, 409);
    expect(again.details).toEqual({ runId });

    await drainRuns();
    const run = await api(reviewer.token).ok("getRun", { params: { id: runId } });
    expect(run.status).toBe("waiting_review");
    expect(run.steps.map((s) => s.status)).toEqual(run.steps.map(() => "completed"));
    const synthesis = run.steps.find((s) => s.kind === "model")!;
    expect(synthesis).toMatchObject({ key: "synthesize-requirements", model: "offline:drafter", attempts: 1, error: null });
    expect(synthesis.inputTokens).toBeGreaterThan(0);
    expect(synthesis.outputTokens).toBeGreaterThan(0);
    expect(synthesis.latencyMs).toBeGreaterThanOrEqual(0);
    expect(run.costUsd).toBe(run.steps.reduce((sum, s) => sum + s.costUsd, 0));
    await api(outsider.token).fails("getRun", { params: { id: runId } }, 403);
  });

  it("lists artifacts with their routing decisions and reasons", async () => {
    const { items } = await api(owner.token).ok("listArtifacts", { params: { id: projectId }, query: { kind: "requirement" } });
    expect(items.length).toBeGreaterThanOrEqual(4);
    for (const artifact of items) {
      expect(artifact.routing).not.toBeNull();
      expect(artifact.provenance.draftedBy.model).toBe("offline:drafter");
      if (artifact.status === "pending_review") expect(artifact.routing!.reasons).not.toEqual([]);
    }
    // The two notes contradict each other on online cancellation; that must reach a person.
    expect(items.some((a) => a.status === "pending_review" && a.routing!.reasons.some((r) => r.code === "conflict"))).toBe(true);
    const pending = await api(owner.token).ok("listArtifacts", { params: { id: projectId }, query: { status: "pending_review", stage: "requirements" } });
    expect(pending.items.every((a) => a.status === "pending_review")).toBe(true);
  });

  it("pages the review queue with a cursor", async () => {
    const asReviewer = api(reviewer.token);
    const first = await asReviewer.ok("listReviewItems", { query: { projectId, stage: "requirements", status: "pending", limit: 1 } });
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ canDecide: true, version: 1, projectName: "Clinic booking" });
    expect(first.items[0].citations.length).toBeGreaterThan(0);
    expect(first.nextCursor).toBe(first.items[0].id);
    const second = await asReviewer.ok("listReviewItems", { query: { projectId, limit: 1, cursor: first.nextCursor! } });
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect((await api(outsider.token).ok("listReviewItems")).items).toEqual([]);
  });

  it("refuses sign-off while items are pending, and from anyone but the owner", async () => {
    const pending = await api(owner.token).fails("signOffStage", { params: { id: projectId, key: "requirements" } }, 409);
    expect(pending.message).toMatch(/CONF-\d+ .* not resolved/);
    await api(reviewer.token).fails("signOffStage", { params: { id: projectId, key: "requirements" }, json: {} }, 403);
    await api(admin.token).fails("signOffStage", { params: { id: projectId, key: "requirements" }, json: {} }, 403);
  });

  it("approves, edits and rejects; answers 409 to stale versions and repeated decisions", async () => {
    const asReviewer = api(reviewer.token);
    const { items } = await asReviewer.ok("listReviewItems", { query: { projectId, limit: 100 } });
    // Sides of a conflict wait for the conflict to be resolved; these three stand alone.
    const drafts = items.filter((item) => item.kind !== "conflict" && !item.reasons.some((reason) => reason.code === "conflict"));
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    const [first, toEdit, third] = drafts;

    await api(owner.token).fails("decideReviewItem", { params: { id: first.id }, json: { action: "approve", version: 1 } }, 403);
    const approved = await asReviewer.ok("decideReviewItem", { params: { id: first.id }, json: { action: "approve", version: first.version, comment: "Right." } });
    expect(approved).toMatchObject({ action: "approve", status: "approved", version: first.version });
    const repeated = await asReviewer.fails("decideReviewItem", { params: { id: first.id }, json: { action: "approve", version: first.version } }, 409);
    expect(repeated.details).toMatchObject({ reason: "already_decided" });

    const edit =
      toEdit.kind === "requirement"
        ? { statement: "Patients must be able to book an appointment online between 00:00 and 24:00." }
        : { goal: "book an appointment online at any hour" };
    const edited = await asReviewer.ok("decideReviewItem", {
      params: { id: toEdit.id },
      json: { action: "edit", version: toEdit.version, content: edit, comment: "Made it testable." },
    });
    // The editor cannot approve their own words: the new version waits for another reviewer.
    expect(edited).toMatchObject({ action: "edit", status: "pending_review", version: toEdit.version + 1 });
    const stale = await asReviewer.fails("decideReviewItem", { params: { id: toEdit.id }, json: { action: "reject", version: 1, comment: "no" } }, 409);
    expect(stale.details).toMatchObject({ reason: "stale_version", currentVersion: 2 });
    const revised = (await api(second.token).ok("listReviewItems", { query: { projectId, limit: 100 } })).items.find((item) => item.artifactId === toEdit.artifactId)!;
    await asReviewer.fails("decideReviewItem", { params: { id: revised.id }, json: { action: "approve", version: 2 } }, 403);
    await api(second.token).ok("decideReviewItem", { params: { id: revised.id }, json: { action: "approve", version: 2 } });

    const unexplained = await asReviewer.fails("decideReviewItem", { params: { id: third.id }, json: { action: "reject", version: third.version } }, 422);
    expect(unexplained.details).toEqual([{ path: "comment", message: expect.any(String) }]);
    const invalidEdit = await asReviewer.fails(
      "decideReviewItem",
      { params: { id: third.id }, json: { action: "edit", version: third.version, content: { statement: "   ", role: "" } } },
      422,
    );
    expect(invalidEdit.details).not.toEqual([]);
    const rejected = await asReviewer.ok("decideReviewItem", {
      params: { id: third.id },
      json: { action: "reject", version: third.version, comment: "Duplicates another requirement." },
    });
    expect(rejected.status).toBe("rejected");

    const { items: artifacts } = await api(owner.token).ok("listArtifacts", { params: { id: projectId } });
    const byId = new Map(artifacts.map((a) => [a.id, a]));
    expect(byId.get(toEdit.artifactId!)).toMatchObject({ version: 2, status: "approved", provenance: { editedBy: { email: reviewer.email } } });
    expect(byId.get(third.artifactId!)?.status).toBe("rejected");
  });

  it("signs off (201) once everything is decided, which opens planning", async () => {
    const asReviewer = api(reviewer.token);
    // Deciding the last requirement resumes the run, which drafts user stories for review.
    for (;;) {
      await drainRuns();
      const { items } = await asReviewer.ok("listReviewItems", { query: { projectId, limit: 100 } });
      if (items.length === 0) break;
      // Conflicts first: the sign-off waits for them, and resolving one rejects the sides not kept.
      const conflicts = items.filter((item) => item.kind === "conflict");
      for (const conflict of conflicts) {
        const signOff = await api(owner.token).fails("signOffStage", { params: { id: projectId, key: "requirements" } }, 409);
        expect(signOff.message).toContain(conflict.ref);
        await asReviewer.ok("decideReviewItem", {
          params: { id: conflict.id },
          json: { action: "resolve", version: conflict.version, keep: [conflict.sides[0].artifactId!], comment: "The practice manager decides." },
        });
      }
      if (conflicts.length > 0) continue;
      for (const item of items) await asReviewer.ok("decideReviewItem", { params: { id: item.id }, json: { action: "approve", version: item.version } });
    }
    expect((await asReviewer.ok("getRun", { params: { id: runId } })).status).toBe("completed");

    const signOff = await api(owner.token).ok("signOffStage", { params: { id: projectId, key: "requirements" }, json: { comment: "Ready to plan." } });
    expect(signOff).toMatchObject({ stage: "requirements", coverageHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await api(owner.token).fails("signOffStage", { params: { id: projectId, key: "requirements" } }, 409);

    const stages = await api(reviewer.token).ok("listStages", { params: { id: projectId } });
    expect(stages.map((s) => [s.key, s.status])).toEqual([
      ["requirements", "signed_off"],
      ["planning", "open"],
      ["design", "locked"],
      ["coding", "locked"],
      ["testing", "locked"],
      ["deployment", "locked"],
      ["operations", "locked"],
    ]);
    expect(stages[0].signOff).toMatchObject({ by: { email: owner.email }, comment: "Ready to plan." });
    expect(stages[0].signOff!.artifactCount).toBeGreaterThan(0);
  });

  it("lists the audit trail newest first, a page at a time", async () => {
    const asOwner = api(owner.token);
    const first = await asOwner.ok("listAuditEvents", { query: { projectId, limit: 5 } });
    expect(first.items).toHaveLength(5);
    expect(first.items[0].action).toBe("stage.unlocked");
    const second = await asOwner.ok("listAuditEvents", { query: { projectId, limit: 5, cursor: first.nextCursor! } });
    expect(second.items[0].id).toBeLessThan(first.items[4].id);

    const all = await asOwner.ok("listAuditEvents", { query: { projectId, limit: 200 } });
    const actions = new Set(all.items.map((e) => e.action));
    for (const action of ["project.created", "stage.assigned", "source.added", "run.queued", "review.approved", "review.edited", "review.rejected", "stage.signed_off", "stage.unlocked"]) {
      expect(actions).toContain(action);
    }
    expect(all.items.find((e) => e.action === "source.added")!.actor).toMatchObject({ type: "token", label: `${owner.email} (API token)` });
    await asOwner.fails("listAuditEvents", {}, 403);
    expect((await api(admin.token).ok("listAuditEvents", { query: { limit: 1 } })).items).toHaveLength(1);
  });
});
