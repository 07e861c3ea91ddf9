import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { listReviewItems } from "@/lib/review/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { api } from "./api/api-client";
import { person, signedOffProject, type Person } from "./seven-stages";

/**
 * POST /api/v1/artifacts/{id}/revisions after a full seven-stage run: who may revise, what is
 * refused and why, and what a revision does downstream on a real database (stale work, stages
 * reopened with their sign-offs kept as superseded, owners told, audited).
 */
describe("revising approved work", () => {
  let admin: Person;
  let owner: Person;
  let opsOwner: Person;
  let reviewer: Person;
  let stranger: Person;
  let projectId: string;
  const approved = async (kind: string) =>
    db().artifact.findMany({ where: { projectId, kind, status: { in: ["approved", "auto_approved"] } }, include: { versions: true }, orderBy: { createdAt: "asc" } });
  const contentOf = (artifact: { currentVersion: number; versions: { version: number; content: unknown }[] }) =>
    artifact.versions.find((version) => version.version === artifact.currentVersion)!.content as Record<string, unknown>;
  /** The approved requirements whose change reaches a runbook, through any number of links. */
  async function requirementsReachingRunbooks() {
    const runbooks = new Set((await approved("runbook")).map((runbook) => runbook.id));
    const links = await db().artifactLink.findMany({ where: { artifact: { projectId } }, select: { artifactId: true, parentId: true } });
    const reaches = (from: string, seen: Set<string>): boolean =>
      links.some((link) => link.parentId === from && !seen.has(link.artifactId) && (seen.add(link.artifactId), runbooks.has(link.artifactId) || reaches(link.artifactId, seen)));
    return (await approved("requirement")).filter((candidate) => reaches(candidate.id, new Set()));
  }

  beforeAll(async () => {
    admin = await person("admin@revisions.test", "admin");
    owner = await person("owner@revisions.test");
    opsOwner = await person("ops@revisions.test");
    reviewer = await person("reviewer@revisions.test");
    stranger = await person("stranger@revisions.test");
    projectId = await signedOffProject("Library loans", { admin, reviewer, ownerOf: (stage) => (stage === "operations" ? opsOwner : owner) });
  });

  it("refuses anyone but the stage owner: a stranger, a reviewer, an admin, the owner of another stage", async () => {
    const [requirement] = await approved("requirement");
    const request = { params: { id: requirement.id }, json: { content: { statement: "Members renew online up to 3 times." }, comment: "capped" } };
    for (const caller of [stranger, reviewer, admin, opsOwner]) {
      const error = await api(caller.token).fails("reviseArtifact", request, 403);
      expect(error.message, caller.email).toMatch(/Only the owner of the artifact's stage can revise/);
    }
    await api(owner.token).fails("reviseArtifact", { ...request, params: { id: "no-such-artifact" } }, 404);
    expect(await db().artifactVersion.count({ where: { artifactId: requirement.id } })).toBe(requirement.versions.length);
  });

  it("answers 422 naming the fields: a bad value, a field kept as drafted, an unknown key, no comment, no change", async () => {
    const [requirement] = await approved("requirement");
    const as = api(owner.token);
    const category = await as.fails("reviseArtifact", { params: { id: requirement.id }, json: { content: { category: "nonsense" }, comment: "recategorised" } }, 422);
    expect((category.details as { path: string }[]).map((issue) => issue.path)).toEqual(["category"]);
    expect(category.message).toMatch(/The revised requirement is not valid/);

    const locked = await as.fails("reviseArtifact", { params: { id: requirement.id }, json: { content: { sources: [], colour: "red" }, comment: "no sources" } }, 422);
    expect(locked.details).toEqual([
      { path: "content.sources", message: expect.stringMatching(/kept as drafted/) },
      { path: "content.colour", message: "not a field of this kind" },
    ]);

    const comment = await as.fails("reviseArtifact", { params: { id: requirement.id }, json: { content: { statement: "x" }, comment: "  " } }, 422);
    expect((comment.details as { path: string }[]).map((issue) => issue.path)).toEqual(["comment"]);

    await as.fails("reviseArtifact", { params: { id: requirement.id }, json: { content: { statement: contentOf(requirement).statement }, comment: "same" } }, 422);
    expect((await db().artifact.findUniqueOrThrow({ where: { id: requirement.id } })).currentVersion).toBe(requirement.currentVersion);
  });

  it("answers 409 when nobody but the owner reviews the stage: the new version could never be approved", async () => {
    const [runbook] = await approved("runbook");
    await updateStageAssignments(admin, projectId, "operations", { reviewerEmails: [opsOwner.email] });
    const error = await api(opsOwner.token).fails("reviseArtifact", { params: { id: runbook.id }, json: { content: { title: "Renewals runbook" }, comment: "clearer title" } }, 409);
    expect(error.message).toMatch(/no reviewer besides you/);
    await updateStageAssignments(admin, projectId, "operations", { reviewerEmails: [reviewer.email] });
  });

  it("makes a new version back in review, marks everything derived from it stale, reopens the stages holding it, keeps their sign-offs as superseded, and tells their owners", async () => {
    const [requirement] = await requirementsReachingRunbooks();
    expect(requirement, "a requirement whose change reaches Operations").toBeDefined();
    const signOffsBefore = await db().signOff.findMany({ where: { stage: { projectId } } });
    const statement = "Members must be able to renew a loan online at most 3 times per item.";

    const revision = await api(owner.token).ok("reviseArtifact", { params: { id: requirement.id }, json: { content: { statement }, comment: "renewals are capped at 3" } });
    expect(revision).toMatchObject({ id: requirement.id, ref: requirement.ref, version: requirement.currentVersion + 1, status: "pending_review" });
    expect(revision.reopenedStages[0]).toBe("requirements");

    const after = await db().artifact.findUniqueOrThrow({ where: { id: requirement.id }, include: { versions: true } });
    expect(after).toMatchObject({ status: "pending_review", currentVersion: revision.version, stale: false });
    expect(contentOf(after)).toMatchObject({ statement, sources: contentOf(requirement).sources });

    // Everything derived from it, however far down, is stale with the reason; nothing else is.
    const stale = await db().artifact.findMany({ where: { projectId, stale: true }, select: { id: true, kind: true, staleReason: true, stage: { select: { key: true } } } });
    expect(stale.map((artifact) => artifact.id).sort()).toEqual(revision.stale.map((artifact) => artifact.id).sort());
    expect(stale.every((artifact) => artifact.staleReason === `${requirement.ref} changed: renewals are capped at 3`)).toBe(true);
    expect(stale.map((artifact) => artifact.kind)).toEqual(expect.arrayContaining(["user_story", "test_case", "task", "runbook"]));

    // The stages that hold stale work reopen; their sign-offs stay on record, superseded with the reason.
    const holding = [...new Set(["requirements", ...stale.map((artifact) => artifact.stage.key)])];
    expect(revision.reopenedStages.sort()).toEqual(holding.sort());
    const stages = await db().stage.findMany({ where: { projectId }, include: { signOffs: true } });
    for (const stage of stages) {
      expect(stage.status, stage.key).toBe(holding.includes(stage.key) ? "open" : "signed_off");
      expect(stage.signOffs).toHaveLength(1);
      expect(stage.signOffs[0].supersededAt !== null, stage.key).toBe(holding.includes(stage.key));
      if (holding.includes(stage.key)) expect(stage.signOffs[0].supersededReason).toMatch(/renewals are capped at 3/);
    }
    expect(await db().signOff.count({ where: { stage: { projectId } } })).toBe(signOffsBefore.length);

    // Each owner of a reopened stage is told once, with a link to the stage.
    const notices = await db().notification.findMany({ where: { projectId, kind: "stage.reopened" } });
    expect(notices.map((notice) => notice.link).sort()).toEqual(holding.map((key) => `/projects/${projectId}/stages/${key}`).sort());
    expect(holding).toContain("operations");
    expect(notices.find((notice) => notice.userId === opsOwner.userId)?.message).toMatch(/Operations reopened: .*renewals are capped at 3/);

    // The new version waits for the stage's reviewers; its author cannot approve it.
    const { items } = await listReviewItems(reviewer, { status: "pending", projectId, limit: 100 });
    const item = items.find((candidate) => candidate.id === revision.reviewItemId)!;
    expect(item).toMatchObject({ artifactId: requirement.id, version: revision.version, canDecide: true });
    expect(item.reasons[0].detail).toMatch(/revised approved work \(statement\): renewals are capped at 3/);
    await api(owner.token).fails("decideReviewItem", { params: { id: item.id }, json: { action: "approve", version: revision.version } }, 403);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "artifact.revised", subjectId: requirement.id } });
    expect(audit).toMatchObject({ actorId: owner.userId, reason: "renewals are capped at 3" });
    expect(audit.after).toMatchObject({ version: revision.version, changedFields: ["statement"] });

    // Work waiting for review is not revised again: it is decided in the queue.
    const again = await api(owner.token).fails("reviseArtifact", { params: { id: requirement.id }, json: { content: { statement: "Again." }, comment: "again" } }, 409);
    expect(again.message).toMatch(/pending review: only approved work is revised/);
  });

  it("tells the owner of an open stage that their work turned stale, without reopening anything", async () => {
    // Another requirement whose change reaches a runbook, now that Operations is open.
    const requirement = (await requirementsReachingRunbooks())[0];
    expect(requirement, "a second requirement whose change reaches Operations").toBeDefined();
    const operations = await db().stage.findUniqueOrThrow({ where: { projectId_key: { projectId, key: "operations" } } });
    expect(operations.status).toBe("open");

    const before = await db().notification.count({ where: { userId: opsOwner.userId, kind: "artifacts.stale" } });
    const revision = await api(owner.token).ok("reviseArtifact", {
      params: { id: requirement.id },
      json: { content: { statement: `${contentOf(requirement).statement} (reviewed with the director)` }, comment: "agreed wording" },
    });
    expect(revision.reopenedStages).not.toContain("operations");
    const notices = await db().notification.findMany({ where: { userId: opsOwner.userId, kind: "artifacts.stale" }, orderBy: { createdAt: "asc" } });
    expect(notices).toHaveLength(before + 1);
    expect(notices.at(-1)!.message).toMatch(/in Operations rest on work that changed: agreed wording/);
    // The owner who made the change is not told about it.
    expect(await db().notification.count({ where: { userId: owner.userId, kind: "artifacts.stale" } })).toBe(0);
  });
});
