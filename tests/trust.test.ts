import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/actors";
import { listArtifacts } from "@/lib/artifacts/service";
import { db } from "@/lib/db";
import { toAppError, type AppError } from "@/lib/errors";
import { freshCategoryModel } from "@/lib/learning/category-model";
import { categoryBase } from "@/lib/models/offline/category-model";
import { getStepCalibration } from "@/lib/learning/service";
import { unreadNotifications } from "@/lib/notifications/service";
import { startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { getPolicy, updatePolicy } from "@/lib/policies/service";
import { createProject } from "@/lib/projects/service";
import { decideReviewItem, listReviewItems, type ReviewItemView } from "@/lib/review/service";
import { addSource } from "@/lib/sources/service";
import { signOffStage, updateStageAssignments } from "@/lib/stages/service";
import { makeUser, sampleNotes } from "./helpers";

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).not.toBeNull();
  return toAppError(error);
}

async function pendingItems(actor: UserActor, projectId: string): Promise<ReviewItemView[]> {
  const all: ReviewItemView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listReviewItems(actor, { projectId, status: "pending", limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

async function setUpProject(admin: UserActor, owner: UserActor, reviewers: UserActor[], name: string) {
  const projectId = (await createProject(admin, { name, brief: "Loans and renewals for a city library" })).id;
  await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: reviewers.map((r) => r.email) });
  return projectId;
}

describe("separation of duties and conflicts as decisions", () => {
  let admin: UserActor;
  let owner: UserActor;
  let reviewer: UserActor;
  let second: UserActor;
  let projectId: string;

  beforeAll(async () => {
    admin = await makeUser("admin@duties.test", "admin");
    owner = await makeUser("owner@duties.test");
    reviewer = await makeUser("reviewer@duties.test");
    second = await makeUser("second@duties.test");
    // The owner also made himself a reviewer: that alone must not let him approve his own run.
    projectId = await setUpProject(admin, owner, [owner, reviewer, second], "Library duties");
    for (const note of sampleNotes) await addSource(owner, projectId, note);
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
  });

  it("sends everything to people while no decision supports auto-approval, and says how many are needed", async () => {
    const artifacts = await listArtifacts(owner, projectId, { kind: "requirement" });
    expect(artifacts.length).toBeGreaterThan(3);
    for (const artifact of artifacts) {
      expect(artifact.status).toBe("pending_review");
      expect(artifact.routing).toMatchObject({ threshold: null, calibrationVersion: 0, policyVersion: 0 });
      expect(artifact.routing!.calibratedProbability).toEqual(expect.any(Number));
    }
    const clean = artifacts.filter((a) => (a.routing!.reasons as { code: string }[]).every((r) => r.code === "insufficient_evidence"));
    for (const artifact of clean) {
      expect((artifact.routing!.reasons as { detail: string }[])[0].detail).toMatch(/more error-free decisions? (is|are) needed/);
    }
  });

  it("refuses the run's starter every decision on its drafts, admins and owners alike, and says why", async () => {
    const items = await pendingItems(owner, projectId);
    const draft = items.find((item) => item.kind === "requirement")!;
    expect(draft.canDecide).toBe(false);
    expect(draft.refusal).toMatch(/you started the run/i);
    const error = await refusal(decideReviewItem(owner, draft.id, { action: "approve", version: draft.version }));
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/separation of duties/);
  });

  it("lets nobody approve a version they wrote: an edit waits for someone else", async () => {
    const items = await pendingItems(reviewer, projectId);
    const draft = items.find((item) => item.kind === "requirement" && !item.reasons.some((r) => r.code === "conflict"))!;
    const edited = await decideReviewItem(reviewer, draft.id, {
      action: "edit",
      version: draft.version,
      content: { category: draft.content!.category === "security" ? "legal" : "security" },
    });
    expect(edited).toMatchObject({ status: "pending_review", version: 2 });
    const next = (await pendingItems(reviewer, projectId)).find((item) => item.artifactId === draft.artifactId)!;
    expect(next.version).toBe(2);
    expect(next.reasons.map((r) => r.code)).toEqual(["edited"]);
    expect(next.canDecide).toBe(false);
    expect((await refusal(decideReviewItem(reviewer, next.id, { action: "approve", version: 2 }))).message).toMatch(/you wrote this version/i);
    await decideReviewItem(second, next.id, { action: "approve", version: 2 });

    const label = await db().draftLabel.findUniqueOrThrow({ where: { artifactId: draft.artifactId! } });
    expect(label).toMatchObject({ outcome: "edited", correct: false, source: "review", routedTo: "people" });
    expect(label.correctedCategory).not.toBeNull();
    const decision = await db().reviewDecision.findFirstOrThrow({ where: { reviewItemId: draft.id } });
    expect(decision.changedFields).toEqual(["category"]);
    expect(decision.editDistance).toBeGreaterThan(0);
    expect(decision.editDistance).toBeLessThan(0.2);
  });

  it("makes each contradiction one item that blocks its sides and the sign-off until resolved", async () => {
    const items = await pendingItems(reviewer, projectId);
    const conflicts = items.filter((item) => item.kind === "conflict");
    expect(conflicts.length).toBeGreaterThan(0);
    const item = conflicts[0];
    expect(item.ref).toMatch(/^CONF-\d+$/);
    expect(item.sides.length).toBeGreaterThanOrEqual(2);
    for (const side of item.sides) {
      expect(side.citation.passage?.match).toBeTruthy();
      if (side.artifactId) expect(side.statement!.length).toBeGreaterThan(0);
    }

    const side = items.find((candidate) => candidate.artifactId === item.sides[0].artifactId)!;
    const blocked = await refusal(decideReviewItem(reviewer, side.id, { action: "approve", version: side.version }));
    expect(blocked.code).toBe("conflict");
    expect(blocked.message).toContain(item.ref);

    const all = item.sides.flatMap((s) => (s.artifactId ? [s.artifactId] : []));
    expect((await refusal(decideReviewItem(reviewer, item.id, { action: "resolve", version: 1, keep: all }))).message).toMatch(/give the reason/);
    expect((await refusal(decideReviewItem(reviewer, item.id, { action: "resolve", version: 1, keep: ["someone-else"] }))).code).toBe("invalid");
    expect((await refusal(decideReviewItem(reviewer, item.id, { action: "approve", version: 1 }))).code).toBe("invalid");

    // Decide every other draft, so only the conflicts stand between the owner and the sign-off.
    for (const other of await pendingItems(reviewer, projectId)) {
      if (other.kind === "conflict" || conflicts.some((c) => c.sides.some((s) => s.artifactId === other.artifactId))) continue;
      await decideReviewItem(reviewer, other.id, { action: "approve", version: other.version });
    }
    const signOff = await refusal(signOffStage(owner, projectId, "requirements", {}));
    expect(signOff.code).toBe("conflict");

    for (const open of conflicts) {
      await decideReviewItem(reviewer, open.id, { action: "resolve", version: 1, keep: [open.sides[0].artifactId!], comment: "The director decides renewals." });
    }
    const [kept, dropped] = [item.sides[0], item.sides[1]];
    expect(dropped.artifactId).not.toBeNull();
    const artifacts = await listArtifacts(owner, projectId, { kind: "requirement" });
    expect(artifacts.find((a) => a.id === dropped.artifactId!)!.status).toBe("rejected");
    expect(artifacts.find((a) => a.id === kept.artifactId!)!.status).toBe("pending_review");
    for (const rest of await pendingItems(reviewer, projectId)) await decideReviewItem(reviewer, rest.id, { action: "approve", version: rest.version });
  });

  it("refuses a sign-off where every human decision was the owner's own", async () => {
    const soloOwner = await makeUser("solo@duties.test");
    const solo = await setUpProject(admin, soloOwner, [soloOwner], "Solo library");
    await updateStageAssignments(admin, solo, "requirements", { reviewerEmails: [soloOwner.email] });
    await addSource(soloOwner, solo, sampleNotes[0]);
    // An admin starts the run, so the owner may decide its drafts; but then he alone decided them.
    await startRun(admin, solo, { stage: "requirements" });
    await drainRuns();
    for (const item of await pendingItems(soloOwner, solo)) {
      if (item.kind === "conflict") await decideReviewItem(soloOwner, item.id, { action: "resolve", version: 1, keep: [item.sides[0].artifactId!] });
    }
    for (const item of await pendingItems(soloOwner, solo)) await decideReviewItem(soloOwner, item.id, { action: "approve", version: item.version });
    await drainRuns();
    for (const item of await pendingItems(soloOwner, solo)) await decideReviewItem(soloOwner, item.id, { action: "approve", version: item.version });
    const error = await refusal(signOffStage(soloOwner, solo, "requirements", {}));
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/every decision in this stage was yours/i);
  });
});

/** Requirement lines a reviewer approves unchanged: the labels calibration learns from. */
function librarySource(count: number, offset = 0): string {
  const verbs = ["renew", "reserve", "return", "search for", "rate", "share", "export", "print", "cancel", "review", "archive", "tag"];
  const objects = ["a loan", "a journal", "an audiobook", "a map", "a film", "a thesis", "a magazine", "a score", "a photograph", "a newspaper", "a poster", "a manuscript", "a recording", "a game", "a globe"];
  const lines: string[] = [];
  for (let index = offset; index < offset + count; index++) {
    const verb = verbs[index % verbs.length];
    const object = objects[Math.floor(index / verbs.length) % objects.length];
    lines.push(`- Members must be able to ${verb} ${object} from the member portal.`);
  }
  return `# Requirements list ${offset}\n\n${lines.join("\n")}\n`;
}

describe("the learning loop: decisions become labels, calibration earns auto-approval, audits tighten it", () => {
  let admin: UserActor;
  let owner: UserActor;
  let reviewer: UserActor;
  let projectId: string;

  beforeAll(async () => {
    admin = await makeUser("admin@loop-learn.test", "admin");
    owner = await makeUser("owner@loop-learn.test");
    reviewer = await makeUser("reviewer@loop-learn.test");
    projectId = await setUpProject(admin, owner, [reviewer], "Library portal");
    await updatePolicy(admin, "synthesize-requirements", { auditSampleRate: 0.1, reason: "audit more while the evidence builds up" });
  });

  it("learns from every decision and auto-approves only once the bound holds", async () => {
    await addSource(owner, projectId, { title: "Portal requirements, part 1", kind: "document", text: librarySource(130) });
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
    const first = await pendingItems(reviewer, projectId);
    expect(first.length).toBeGreaterThanOrEqual(120);
    // Requirements, then the stories drafted from them once the run resumes.
    for (let pending = first; pending.length > 0; pending = await pendingItems(reviewer, projectId)) {
      for (const item of pending) await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });
      await drainRuns();
    }

    const calibration = await getStepCalibration(admin, "synthesize-requirements");
    expect(calibration.labels).toBeGreaterThanOrEqual(120);
    expect(calibration.autoApproval.threshold).not.toBeNull();
    expect(calibration.autoApproval.upperBound).toBeLessThanOrEqual(0.03);

    await addSource(owner, projectId, { title: "Portal requirements, part 2", kind: "document", text: librarySource(40, 130) });
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
    const second = await listArtifacts(owner, projectId, { kind: "requirement" });
    const auto = second.filter((a) => a.status === "auto_approved");
    expect(auto.length).toBeGreaterThan(0);
    for (const artifact of auto) {
      expect(artifact.routing!.calibratedProbability!).toBeGreaterThanOrEqual(artifact.routing!.threshold!);
      expect(artifact.routing!.calibrationVersion).toBeGreaterThan(0);
      expect(artifact.routing!.policyVersion).toBe(1);
    }
    const audited = second.filter((a) => (a.routing!.reasons as { code: string }[]).some((r) => r.code === "audit_sample"));
    expect(audited.length).toBeGreaterThan(0);
  });

  it("tightens at once, tells the owner and records why when an audit finds an error", async () => {
    const before = (await getStepCalibration(admin, "synthesize-requirements")).autoApproval.threshold;
    const audits = (await pendingItems(reviewer, projectId)).filter((item) => item.reasons.some((r) => r.code === "audit_sample"));
    expect(audits.length).toBeGreaterThan(0);
    for (const audit of audits) await decideReviewItem(reviewer, audit.id, { action: "reject", version: audit.version, comment: "Not what the library asked for." });
    const after = (await getStepCalibration(admin, "synthesize-requirements")).autoApproval.threshold;
    expect(after === null || after > before!).toBe(true);
    const event = await db().auditEvent.findFirst({ where: { action: "calibration.tightened" }, orderBy: { id: "desc" } });
    expect(event?.reason).toMatch(/Audit found REQ-\d+/);
    const notices = await unreadNotifications(owner.userId);
    expect(notices.some((notice) => notice.kind === "calibration.tightened")).toBe(true);
  });

  it("keeps every policy change as a version with who and why, and refuses bad values without saving", async () => {
    const policy = await getPolicy(admin, "synthesize-requirements");
    expect(policy.version).toBe(1);
    expect(policy.history[0]).toMatchObject({ version: 1, reason: "audit more while the evidence builds up", by: admin.email });
    for (const bad of [{ targetErrorRate: 0 }, { auditSampleRate: 1.5 }, { confidenceLevel: 1 }, { minConfidence: "" }, { categories: { nonsense: { targetErrorRate: 0.01 } } }, {}]) {
      const error = await refusal(updatePolicy(admin, "synthesize-requirements", bad as never));
      expect(error.code).toBe("invalid");
    }
    expect((await getPolicy(admin, "synthesize-requirements")).version).toBe(1);
    const saved = await updatePolicy(admin, "synthesize-requirements", { categories: { security: { targetErrorRate: 0.01 } }, reason: "security drafts need a stricter bound" });
    expect(saved.values).toMatchObject({ auditSampleRate: 0.1, categories: { security: { targetErrorRate: 0.01 } } });
    expect((await refusal(updatePolicy(owner, "synthesize-requirements", { auditSampleRate: 0.2 }))).code).toBe("forbidden");
  });

  it("trains the drafter's category classifier on the reviewed drafts, and retrains one stored in an older format or on another base", async () => {
    const labelled = await db().draftLabel.count({ where: { stepKey: "synthesize-requirements", outcome: { in: ["approved_unchanged", "edited"] }, statement: { not: null } } });
    const trained = await freshCategoryModel();
    expect(trained).toMatchObject({ examples: labelled, data: { version: 3, base: categoryBase().id, learned: expect.objectContaining({ priorScale: expect.any(Number) }) } });
    expect(trained!.version).toBeGreaterThan(0);
    expect((await freshCategoryModel())!.version).toBe(trained!.version);

    // A classifier persisted by an earlier release (naive Bayes counts) is not read: it is retrained.
    await db().learnedModel.create({ data: { name: "category-classifier", version: trained!.version + 1, data: { version: 1, examples: 3 }, summary: {}, labelCount: labelled, reason: "an earlier release" } });
    const retrained = await freshCategoryModel();
    expect(retrained).toMatchObject({ version: trained!.version + 2, examples: labelled, data: trained!.data });

    // One learned on top of another base (an earlier release's) is retrained on this one's, and says why.
    const otherBase = { ...trained!.data, base: "base:0123456789abcdef" };
    await db().learnedModel.create({ data: { name: "category-classifier", version: trained!.version + 3, data: otherBase, summary: {}, labelCount: labelled, reason: "an earlier release" } });
    const relearned = await freshCategoryModel();
    expect(relearned).toMatchObject({ version: trained!.version + 4, examples: labelled, data: trained!.data });
    const row = await db().learnedModel.findFirst({ where: { name: "category-classifier", version: trained!.version + 4 } });
    expect(row!.reason).toMatch(/learned on another base or format/);
  });
});
