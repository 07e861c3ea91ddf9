import { beforeAll, describe, expect, it } from "vitest";
import { GET as traceabilityRoute } from "@/app/api/v1/projects/[id]/traceability/route";
import { reviseArtifact } from "@/lib/artifacts/revision";
import { db } from "@/lib/db";
import { updateStageAssignments } from "@/lib/stages/service";
import { api } from "./api/api-client";
import { getFile, person, signedOffProject, type Person } from "./seven-stages";

/**
 * GET /api/v1/projects/{id}/traceability after a full seven-stage run: the matrix from every
 * requirement to its runbooks, the gaps, the test coverage of requirements and criteria, the
 * filters, and the CSV file.
 */
describe("the traceability matrix", () => {
  let owner: Person;
  let member: Person;
  let stranger: Person;
  let projectId: string;

  beforeAll(async () => {
    const admin = await person("admin@trace.test", "admin");
    owner = await person("owner@trace.test");
    const reviewer = await person("reviewer@trace.test");
    member = await person("member@trace.test");
    stranger = await person("stranger@trace.test");
    projectId = await signedOffProject("Library loans", { admin, reviewer, ownerOf: () => owner });
    // A member of the project with no role in its stages reads it all the same.
    await updateStageAssignments(admin, projectId, "operations", { reviewerEmails: [reviewer.email, member.email] });
  });

  it("answers project members only", async () => {
    await api(stranger.token).fails("getTraceability", { params: { id: projectId } }, 403);
    await api(owner.token).fails("getTraceability", { params: { id: "no-such-project" } }, 404);
    const bad = await api(member.token).fails("getTraceability", { params: { id: projectId }, query: { format: "xml", gap: "everything" } }, 422);
    expect((bad.details as { path: string }[]).map((issue) => issue.path).sort()).toEqual(["format", "gap"]);
  });

  it("traces every current requirement through stories, milestones, designs, tasks, tests, release notes and runbooks", async () => {
    const report = await api(member.token).ok("getTraceability", { params: { id: projectId } });
    const requirements = await db().artifact.findMany({ where: { projectId, kind: "requirement", status: { notIn: ["rejected", "superseded"] } }, orderBy: { createdAt: "asc" } });
    expect(report.rows.map((row) => row.requirement.ref)).toEqual(requirements.map((requirement) => requirement.ref));
    expect(report.columns).toEqual(["user_story", "milestone", "adr", "interface", "task", "test_case", "release_note", "deployment_risk", "runbook"]);
    const full = report.rows.find((row) => ["user_story", "milestone", "task", "test_case", "runbook"].every((kind) => row.descendants[kind].length > 0));
    expect(full, "a requirement traced all the way to a runbook").toBeDefined();
    expect(full!.requirement.summary.length).toBeGreaterThan(0);

    // Each story in a row derives from the row's requirement, as the links say.
    for (const row of report.rows) {
      for (const story of row.descendants.user_story) {
        expect(await db().artifactLink.count({ where: { artifactId: story.id, parentId: row.requirement.id } }), `${story.ref} from ${row.requirement.ref}`).toBe(1);
      }
      expect(row.missingKinds.includes("user_story")).toBe(row.descendants.user_story.length === 0);
    }
    expect(report.totals).toMatchObject({ requirements: report.rows.length, stale: 0 });
  });

  it("lists every requirement and acceptance criterion with its tests, and names a criterion left without one", async () => {
    const before = await api(member.token).ok("getTraceability", { params: { id: projectId } });
    const stories = await db().artifact.findMany({ where: { projectId, kind: "user_story", status: { in: ["approved", "auto_approved"] } }, include: { versions: true } });
    const criteria = stories.flatMap((story) => (story.versions.find((v) => v.version === story.currentVersion)!.content as { acceptanceCriteria: unknown[] }).acceptanceCriteria);
    expect(before.coverage.criteria).toHaveLength(criteria.length);
    expect(before.coverage.requirements).toHaveLength(before.rows.length);
    expect(before.coverage.testKinds).toEqual(["test_case"]);

    // Take one tested criterion's tests away: the matrix names the criterion as untested.
    const tested = before.coverage.criteria.find((entry) => entry.tests.length > 0)!;
    await db().artifact.updateMany({ where: { id: { in: tested.tests.map((test) => test.id) } }, data: { status: "rejected" } });
    const after = await api(member.token).ok("getTraceability", { params: { id: projectId } });
    const entry = after.coverage.criteria.find((candidate) => candidate.artifact.id === tested.artifact.id && candidate.index === tested.index)!;
    expect(entry.tests).toEqual([]);
    expect(entry.criterion.given.length).toBeGreaterThan(0);
    const gap = after.gaps.find((candidate) => candidate.code === "untested_criterion" && candidate.artifactId === tested.artifact.id && candidate.criterionIndex === tested.index);
    expect(gap?.message).toBe(`Criterion ${tested.index + 1} of ${tested.artifact.ref} has no test case`);
    expect(after.totals.criteriaTested).toBe(before.totals.criteriaTested - 1);

    const filtered = await api(member.token).ok("getTraceability", { params: { id: projectId }, query: { gap: "untested_criterion" } });
    expect(filtered.rows.length).toBeGreaterThan(0);
    expect(filtered.rows.every((row) => row.gaps.some((candidate) => candidate.code === "untested_criterion"))).toBe(true);
    expect(filtered.rows.some((row) => row.descendants.user_story.some((story) => story.id === tested.artifact.id))).toBe(true);
    await db().artifact.updateMany({ where: { id: { in: tested.tests.map((test) => test.id) } }, data: { status: "approved" } });
  });

  it("filters by kind, text and stale work; a revision upstream shows as stale down the row", async () => {
    const all = await api(member.token).ok("getTraceability", { params: { id: projectId } });
    const onlyTests = await api(member.token).ok("getTraceability", { params: { id: projectId }, query: { kind: "test_case" } });
    expect(onlyTests.columns).toEqual(["test_case"]);
    expect(onlyTests.rows.every((row) => Object.keys(row.descendants).join() === "test_case")).toBe(true);

    const target = all.rows.find((row) => row.descendants.user_story.length > 0)!;
    const byText = await api(member.token).ok("getTraceability", { params: { id: projectId }, query: { q: target.requirement.ref } });
    expect(byText.rows.map((row) => row.requirement.ref)).toContain(target.requirement.ref);
    expect(byText.rows.length).toBeLessThan(all.rows.length);

    expect((await api(member.token).ok("getTraceability", { params: { id: projectId }, query: { stale: "true" } })).rows).toEqual([]);
    await reviseArtifact(owner, target.requirement.id, { content: { statement: `${target.requirement.summary} Within 2 working days.` }, comment: "a deadline" });
    const stale = await api(member.token).ok("getTraceability", { params: { id: projectId }, query: { stale: "true" } });
    const row = stale.rows.find((candidate) => candidate.requirement.id === target.requirement.id)!;
    expect(row.requirement).toMatchObject({ status: "pending_review", stale: false });
    expect(row.descendants.user_story.every((story) => story.stale && story.staleReason === `${target.requirement.ref} changed: a deadline`)).toBe(true);
    expect(stale.rows.every((candidate) => [candidate.requirement, ...Object.values(candidate.descendants).flat()].some((node) => node.stale))).toBe(true);
    expect(stale.totals.stale).toBeGreaterThan(0);
  });

  it("downloads the matrix as CSV, quoted and safe to open in a spreadsheet", async () => {
    const [requirement] = await db().artifact.findMany({ where: { projectId, kind: "requirement", status: { in: ["approved", "auto_approved"] } }, orderBy: { createdAt: "asc" } });
    await reviseArtifact(owner, requirement.id, { content: { statement: '=HYPERLINK("http://evil.example","renew, now")' }, comment: "testing CSV" });
    const report = await api(member.token).ok("getTraceability", { params: { id: projectId } });

    const file = await getFile(traceabilityRoute, `/projects/${projectId}/traceability?format=csv`, member.token, { id: projectId });
    expect(file.status).toBe(200);
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    expect(file.disposition).toMatch(/^attachment; filename="library-loans-traceability-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = file.text.split("\r\n");
    expect(lines[0]).toBe("Requirement,Statement,Status,Stale,User story,Milestone,Architecture decision,Interface,Task,Test case,Release note,Deployment risk,Runbook,Gaps");
    expect(lines.at(-1)).toBe("");
    expect(file.text).toContain(`${requirement.ref},"'=HYPERLINK(""http://evil.example"",""renew, now"")",pending_review,`);
    // One record per row, however many line breaks fields hold (none here).
    expect(lines.length - 2).toBe(report.rows.length);

    await expect(getFile(traceabilityRoute, `/projects/${projectId}/traceability?format=csv`, stranger.token, { id: projectId })).resolves.toMatchObject({ status: 403 });
    const filtered = await getFile(traceabilityRoute, `/projects/${projectId}/traceability?format=csv&kind=task`, member.token, { id: projectId });
    expect(filtered.text.split("\r\n")[0]).toBe("Requirement,Statement,Status,Stale,Task,Gaps");
  });
});
